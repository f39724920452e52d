"""Age groupings the chapters share, so every table and chart bands ages the same way.

* Five-year bands ``0-4`` ... ``85-89`` and an open ``90+``: the bands of ONS population
  outputs and the 2013 European Standard Population (19 bands), used for pyramids, rates
  and standardisation.
* Broad groups ``0-15``, ``16-64``, ``65-74``, ``75+``: the groups the Norfolk and Waveney
  Joint Forward Plan (section 3.2) uses for the growth of the older population against the
  working-age population and children.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ina.errors import StatisticsError

__all__ = [
    "BROAD_AGE_GROUPS",
    "FIVE_YEAR_BANDS",
    "broad_age_group",
    "five_year_band",
]

FIVE_YEAR_BANDS: tuple[str, ...] = (
    *(f"{start}-{start + 4}" for start in range(0, 90, 5)),
    "90+",
)
BROAD_AGE_GROUPS: tuple[str, ...] = ("0-15", "16-64", "65-74", "75+")
_BROAD_EDGES = np.array([16, 65, 75])


def _ages(age: pd.Series, what: str) -> np.ndarray:
    values = pd.to_numeric(age, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(values).any() or (values < 0).any():
        raise StatisticsError(f"{what}: ages must be whole numbers >= 0 (found missing/negative)")
    return values.astype(int)


def five_year_band(age: pd.Series) -> pd.Series:
    """Return the five-year band of each single year of age (90 and over → ``90+``)."""
    index = np.minimum(_ages(age, "five_year_band") // 5, len(FIVE_YEAR_BANDS) - 1)
    return pd.Series(
        pd.Categorical.from_codes(index, categories=list(FIVE_YEAR_BANDS), ordered=True),
        index=age.index,
        name="age_band",
    )


def broad_age_group(age: pd.Series) -> pd.Series:
    """Return the broad age group (0-15, 16-64, 65-74, 75+) of each single year of age."""
    index = np.searchsorted(_BROAD_EDGES, _ages(age, "broad_age_group"), side="right")
    return pd.Series(
        pd.Categorical.from_codes(index, categories=list(BROAD_AGE_GROUPS), ordered=True),
        index=age.index,
        name="age_group",
    )
