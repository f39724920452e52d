"""Confidence levels: one way to read them and one way to name their columns.

Public health analysts write confidence levels both as fractions (``0.95``, ``0.998``) and
as percentages (``95``, ``99.8``); Fingertips publishes 95% and 99.8% limits side by side.
Every function in :mod:`ina.stats` accepts either form, and names its output columns the
way PHEindicatormethods does (``lowercl``/``uppercl`` for one level, ``lower95_0cl``,
``upper99_8cl`` ... for several) so that results can be compared with the R package and
with Fingertips downloads column for column.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Real

import numpy as np
from scipy import stats as _scipy_stats

from ina.errors import StatisticsError

#: The range PHEindicatormethods accepts: 90% to 100% (as a fraction or a percentage).
MIN_CONFIDENCE = 0.9

ConfidenceLike = float | int | Iterable[float | int] | None


def _one_level(value: object) -> float:
    """Read one confidence level as a fraction in [0.9, 1], or raise ``StatisticsError``."""
    if isinstance(value, bool) or not isinstance(value, Real | np.number):
        raise StatisticsError(
            f"confidence must be a number such as 0.95 or 95, got {value!r}"
        )
    level = float(value)
    if math.isnan(level):
        raise StatisticsError("confidence must be a number such as 0.95 or 95, got NaN")
    # Percentages are divided by 100; rounding removes float noise (99.8 / 100 is not
    # exactly 0.998) so that 99.8 and 0.998 give bit-identical limits.
    if 1 < level <= 100:
        level = round(level / 100, 12)
    if not MIN_CONFIDENCE <= level <= 1:
        raise StatisticsError(
            "confidence must be between 0.9 and 1 (or between 90 and 100), "
            f"got {value!r}"
        )
    return level


def normalise_confidence(confidence: ConfidenceLike) -> tuple[float, ...]:
    """Return confidence level(s) as a tuple of fractions, in the order given.

    Accepts ``0.95``, ``95``, ``99.8``, ``0.998`` or a sequence such as ``[0.95, 0.998]``.
    ``None`` means "no confidence interval" and gives an empty tuple (PHEindicatormethods'
    ``confidence = NA``). Anything outside 90%-100%, non-numeric, or repeated raises
    :class:`~ina.errors.StatisticsError`, because a typo such as ``0.095`` would otherwise
    publish a meaningless interval.
    """
    if confidence is None:
        return ()
    if isinstance(confidence, str):
        raise StatisticsError(
            f"confidence must be a number such as 0.95 or 95, got the text {confidence!r}"
        )
    if isinstance(confidence, Iterable):
        levels = tuple(_one_level(value) for value in confidence)
        if not levels:
            raise StatisticsError("confidence must name at least one level, got an empty list")
    else:
        levels = (_one_level(confidence),)
    if len(set(levels)) != len(levels):
        raise StatisticsError(f"confidence levels must be distinct, got {confidence!r}")
    return levels


def single_confidence(confidence: float | int) -> float:
    """Return exactly one confidence level as a fraction (for the interval primitives)."""
    levels = normalise_confidence(confidence)
    if len(levels) != 1:
        raise StatisticsError(f"expected one confidence level, got {confidence!r}")
    return levels[0]


def confidence_suffix(level: float | int) -> str:
    """Return the column-name suffix for a level: ``"95_0"`` for 95%, ``"99_8"`` for 99.8%.

    Matches PHEindicatormethods' names (``lower95_0cl``, ``upper99_8cl``); levels with more
    decimal places keep them (99.95% gives ``"99_95"``).
    """
    percent = _one_level(level) * 100
    text = f"{round(percent, 8):.10g}"
    if "." not in text:
        text += ".0"
    return text.replace(".", "_")


def interval_columns(levels: tuple[float, ...]) -> list[tuple[str, str]]:
    """Return ``(lower, upper)`` column names for each level, PHEindicatormethods style.

    One level gives ``[("lowercl", "uppercl")]``; several give ``lower95_0cl`` /
    ``upper95_0cl`` and so on, in the order the levels were given.
    """
    if len(levels) == 1:
        return [("lowercl", "uppercl")]
    return [(f"lower{confidence_suffix(c)}cl", f"upper{confidence_suffix(c)}cl") for c in levels]


def confidence_label(levels: tuple[float, ...]) -> str:
    """Return levels as text for a ``confidence`` column, e.g. ``"95%"`` or ``"95%, 99.8%"``."""
    return ", ".join(f"{round(c * 100, 8):.10g}%" for c in levels)


def z_value(confidence: float | int) -> float:
    """Two-sided standard normal quantile for a confidence level: 1.95996... for 95%.

    ``z = Φ⁻¹(c + (1 - c)/2)`` (written this way, rather than ``(1 + c)/2``, so that the
    floating-point result matches the R package bit for bit); confidence 1 gives ``inf``.
    """
    level = single_confidence(confidence)
    return float(_scipy_stats.norm.ppf(level + (1 - level) / 2))
