"""Age in days of infant deaths and the place of every death, for the demo deaths file.

Drawn from a generator of its own (``seed + 205``) for the world's deaths in their
order, so adding the two columns changes no existing field of any death.

- ``AGEINDAYS`` (deaths aged 0 only): about 70% neonatal (0-27 days, most of them in the
  first week) as in ONS child mortality statistics; perinatal conditions are nearly all
  neonatal, congenital anomalies mostly, sudden infant deaths (R95) almost never.
- ``POD_TYPE``: by age and cause, after ONS / OHID palliative care profiles (England
  2022: about 47% in the usual place of residence, i.e. home, care home or religious
  establishment; 43% in hospital; 5% in a hospice): the oldest die in care homes more,
  cancer deaths in hospices and at home, dementia and "old age" in care homes, COVID-19
  and infant deaths in hospital, external causes elsewhere (``other``). Deprived areas
  have slightly fewer deaths at home and in hospices (the gradient in the palliative
  care profiles).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ina.demo._world import DemoWorld

DEATH_DETAILS_OFFSET = 205
PLACES = ("home", "care_home", "hospital", "hospice", "religious", "other")
#: Share neonatal (0-27 days) of infant deaths by the cause's first letter.
_NEONATAL_SHARE = {"P": 0.9, "Q": 0.65}
_NEONATAL_SHARE_OTHER = 0.4
_NEONATAL_SHARE_SIDS = 0.05
#: Place weights by age band lower bound (home, care home, hospital, hospice, religious,
#: other).
_PLACE_BY_AGE = (
    (1, (0.30, 0.02, 0.55, 0.05, 0.001, 0.08)),
    (65, (0.29, 0.10, 0.52, 0.06, 0.002, 0.02)),
    (75, (0.25, 0.19, 0.50, 0.04, 0.003, 0.01)),
    (85, (0.17, 0.33, 0.46, 0.02, 0.004, 0.01)),
)
_INFANT_PLACE = (0.12, 0.0, 0.83, 0.02, 0.0, 0.03)
#: Multipliers by cause (ICD-10 prefix) for each place, in PLACES order.
_CAUSE_MULTIPLIERS = (
    ("C", (1.3, 0.8, 0.6, 2.6, 1.0, 0.5)),
    ("F0", (0.6, 2.3, 0.55, 0.2, 1.0, 0.5)),
    ("G30", (0.6, 2.3, 0.55, 0.2, 1.0, 0.5)),
    ("R54", (0.8, 2.0, 0.5, 0.2, 1.0, 0.5)),
    ("U071", (0.3, 0.7, 2.0, 0.1, 1.0, 0.3)),
    ("V", (0.3, 0.1, 0.8, 0.0, 0.0, 6.0)),
    ("X", (1.6, 0.2, 0.5, 0.0, 0.0, 4.0)),
    ("Y", (1.0, 0.2, 0.8, 0.0, 0.0, 3.0)),
)
_DEPRIVATION_MULTIPLIER = (0.92, 1.0, 1.06, 0.85, 1.0, 1.0)  # per unit of deprivation (log)


def draw_death_details(world: DemoWorld) -> tuple[np.ndarray, np.ndarray]:
    """``(AGEINDAYS text, POD_TYPE)`` for ``world.deaths`` in its order."""
    rng = np.random.default_rng(world.seed + DEATH_DETAILS_OFFSET)
    deaths = world.deaths
    age = deaths["age"].to_numpy()
    cause = deaths["underlying_cause"].to_numpy().astype("U4")
    n = len(deaths)
    infant = age == 0
    first = np.char.ljust(cause, 1).astype("<U1")
    neonatal_p = np.array([_NEONATAL_SHARE.get(letter, _NEONATAL_SHARE_OTHER) for letter in first])
    neonatal_p[np.char.startswith(cause, "R95")] = _NEONATAL_SHARE_SIDS
    neonatal = rng.random(n) < neonatal_p
    early = rng.random(n) < 0.72  # of neonatal deaths, in the first week
    days = np.where(
        neonatal,
        np.where(early, np.minimum(rng.geometric(0.45, n) - 1, 6), rng.integers(7, 28, n)),
        np.minimum(28 + rng.gamma(1.6, 60.0, n).astype(np.int64), 364),
    )
    age_days = np.where(infant, days.astype(str), "")

    weights = np.empty((n, len(PLACES)))
    bounds = np.array([low for low, _ in _PLACE_BY_AGE])
    table = np.array([w for _, w in _PLACE_BY_AGE])
    weights[:] = table[np.clip(np.searchsorted(bounds, age, side="right") - 1, 0, None)]
    weights[infant] = _INFANT_PLACE
    for prefix, multiplier in _CAUSE_MULTIPLIERS:
        hit = np.char.startswith(cause, prefix) & ~infant
        weights[hit] *= np.array(multiplier)
    lsoa_q = pd.Series(
        1.0 - 2.0 * world.small_areas["percentile"].to_numpy(),
        index=world.small_areas["lsoa_code"].to_numpy(),
    )
    q = deaths["lsoa_code"].map(lsoa_q).to_numpy(dtype=float)
    weights *= np.exp(np.multiply.outer(q, np.log(_DEPRIVATION_MULTIPLIER)))
    cumulative = np.cumsum(weights, axis=1)
    pick = (cumulative < (rng.random(n) * cumulative[:, -1])[:, None]).sum(axis=1)
    return age_days, np.array(PLACES)[pick]
