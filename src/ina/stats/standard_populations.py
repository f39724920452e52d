"""Standard populations for direct age standardisation.

Directly standardised rates are comparable only when they share a standard population;
English public health statistics (Fingertips, ONS mortality) use the 2013 European
Standard Population (Eurostat 2013, "Revision of the European Standard Population",
Methodologies and Working papers, ISSN 1977-0375), which replaced the 1976 ESP in
2014. Both are provided as read-only pandas Series indexed by age-band label, in
age order, so that they can be passed straight to
:func:`ina.stats.dsr.directly_standardised_rate` as ``standard_population``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ina.errors import StatisticsError

__all__ = ["ESP1976", "ESP2013", "ESP2013_BANDS", "esp2013_age_band"]


def _read_only_series(labels: Sequence[str], weights: Sequence[int], name: str) -> pd.Series:
    values = np.asarray(weights, dtype=float)
    values.flags.writeable = False
    return pd.Series(values, index=pd.Index(labels, name="age_band"), name=name, copy=False)


#: The 19 five-year bands of ESP2013 as Fingertips labels them (0-4 ... 85-89, 90+).
ESP2013_BANDS: tuple[str, ...] = (
    *(f"{start}-{start + 4}" for start in range(0, 90, 5)),
    "90+",
)

#: 2013 European Standard Population (Eurostat 2013), per 100,000, 19 bands to 90+.
ESP2013: pd.Series = _read_only_series(
    ESP2013_BANDS,
    [
        5000,
        5500,
        5500,
        5500,
        6000,
        6000,
        6500,
        7000,
        7000,
        7000,
        7000,
        6500,
        6000,
        5500,
        5000,
        4000,
        2500,
        1500,
        1000,
    ],
    "esp2013",
)

#: 1976 European Standard Population (WHO 1976), per 100,000, 18 bands to 85+. For
#: reproducing historic figures only; current indicators use :data:`ESP2013`.
ESP1976: pd.Series = _read_only_series(
    [*(f"{start}-{start + 4}" for start in range(0, 85, 5)), "85+"],
    [
        8000,
        7000,
        7000,
        7000,
        7000,
        7000,
        7000,
        7000,
        7000,
        7000,
        7000,
        6000,
        5000,
        4000,
        3000,
        2000,
        1000,
        1000,
    ],
    "esp1976",
)


def esp2013_age_band(ages: Sequence[float] | np.ndarray | pd.Series) -> pd.Series:
    """Map ages in whole years to ESP2013 band labels ("0-4" ... "90+"), vectorised.

    Lets single-year-of-age extracts (e.g. ONS mid-year estimates) be banded to match
    :data:`ESP2013`. Negative or missing ages raise ``StatisticsError``.
    """
    values = pd.Series(ages, dtype=float) if not isinstance(ages, pd.Series) else ages
    numbers = values.to_numpy(dtype=float, na_value=np.nan)
    if np.any(np.isnan(numbers)) or np.any(numbers < 0):
        raise StatisticsError("ages must be non-negative numbers with none missing")
    positions = np.minimum(np.floor(numbers / 5).astype(int), len(ESP2013_BANDS) - 1)
    labels = np.asarray(ESP2013_BANDS, dtype=object)[positions]
    return pd.Series(labels, index=values.index, dtype="string", name="age_band")
