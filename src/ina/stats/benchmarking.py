"""Fingertips benchmarking: is an area better, similar or worse than its comparator?

Fingertips (OHID) colours every indicator value by comparing the area's confidence interval
with a comparator's *value* (England, the region, or here also the ICB), and reads the result
through the indicator's **polarity**:

* ``high is good`` / ``low is good`` ("RAG" polarity in Fingertips): "better", "similar",
  "worse"; with the 99.8% interval as well, "best" / "worst" mark differences significant at
  99.8% and "better" / "worse" those significant at 95% only;
* ``no judgement`` ("BOB", blue-orange-blue): "higher", "similar", "lower";
* an area with no interval (suppressed, too few events) or no comparator is "not compared".

Method and source: Fingertips "Public Health Profiles: technical guidance / PH methods"
(https://fingertips.phe.org.uk/profile/guidance/supporting-information/PH-methods) and the
Fingertips user guide: an area is significantly different from the comparator when the
comparator's value lies outside the area's confidence interval, i.e. ``lower > benchmark``
(higher) or ``upper < benchmark`` (lower); an interval that touches the benchmark is similar.
The comparison is of the interval with the comparator value, not of two intervals,
because the comparator (England) is usually large enough for its own interval to be
negligible.

Quintiles (:func:`compare_with_quintiles`) follow Fingertips' "compared with percentiles"
option for indicators where significance testing is not appropriate: areas are ranked among
their peers and split into fifths, labelled lowest..highest, or best..worst by polarity.

Every label has a colour, a text label and a marker shape (:data:`BENCHMARK_STYLES`), so a
chart never relies on colour alone (WCAG 2.2, 1.4.1 "Use of colour").
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from numbers import Real

import numpy as np
import pandas as pd

from ina.errors import StatisticsError
from ina.stats._confidence import numeric_values, require_columns
from ina.stats.quantiles import quantiles as assign_quantiles

__all__ = [
    "BENCHMARK_STYLES",
    "COMPARISON_LABELS",
    "NOT_COMPARED",
    "QUINTILE_LABELS",
    "BenchmarkStyle",
    "Polarity",
    "benchmark_style",
    "compare_with_benchmark",
    "compare_with_quintiles",
    "describe_comparison",
]


class Polarity(StrEnum):
    """Which direction of an indicator is good (Fingertips "polarity")."""

    HIGH_IS_GOOD = "high is good"
    LOW_IS_GOOD = "low is good"
    NO_JUDGEMENT = "no judgement"

    @classmethod
    def parse(cls, value: object) -> Polarity:
        """Read a polarity from an enum member or the text Fingertips and analysts write.

        Accepts the enum's values in any case, Fingertips' polarity names ("RAG - High is
        good", "RAG - Low is good", "BOB - Blue orange blue", "Not applicable") and the
        short forms "high", "low", "none"/"neutral". Anything else raises
        :class:`~ina.errors.StatisticsError`, because guessing a polarity would silently
        turn "worse" into "better".
        """
        if isinstance(value, Polarity):
            return value
        if not isinstance(value, str):
            raise StatisticsError(
                f"polarity must be one of {[p.value for p in cls]}, got {value!r}"
            )
        text = " ".join(value.strip().lower().replace("_", " ").split())
        text = text.removeprefix("rag - ").removeprefix("rag ")
        aliases = {
            "high is good": cls.HIGH_IS_GOOD,
            "high": cls.HIGH_IS_GOOD,
            "higher is better": cls.HIGH_IS_GOOD,
            "low is good": cls.LOW_IS_GOOD,
            "low": cls.LOW_IS_GOOD,
            "lower is better": cls.LOW_IS_GOOD,
            "no judgement": cls.NO_JUDGEMENT,
            "no judgment": cls.NO_JUDGEMENT,
            "none": cls.NO_JUDGEMENT,
            "neutral": cls.NO_JUDGEMENT,
            "not applicable": cls.NO_JUDGEMENT,
            "bob - blue orange blue": cls.NO_JUDGEMENT,
            "blue orange blue": cls.NO_JUDGEMENT,
        }
        if text not in aliases:
            raise StatisticsError(
                f"unknown polarity {value!r}; expected one of {[p.value for p in cls]} "
                "(or Fingertips' 'RAG - High is good', 'RAG - Low is good', "
                "'BOB - Blue orange blue')"
            )
        return aliases[text]


#: Label for an area that could not be compared (no interval, no value or no comparator).
NOT_COMPARED = "not compared"

#: Every label :func:`compare_with_benchmark` can return, best first.
COMPARISON_LABELS: tuple[str, ...] = (
    "best",
    "better",
    "similar",
    "worse",
    "worst",
    "higher",
    "lower",
    NOT_COMPARED,
)

#: Quintile labels, lowest values first, for no-judgement and for polarity indicators
#: (high is good: the highest quintile is "best").
QUINTILE_LABELS: dict[Polarity, tuple[str, ...]] = {
    Polarity.NO_JUDGEMENT: ("lowest", "low", "middle", "high", "highest"),
    Polarity.HIGH_IS_GOOD: ("worst", "worse", "middle", "better", "best"),
    Polarity.LOW_IS_GOOD: ("best", "better", "middle", "worse", "worst"),
}


@dataclass(frozen=True)
class BenchmarkStyle:
    """How to draw one comparison result: a colour plus redundant non-colour cues.

    ``colour`` is a hex fill; ``marker`` a matplotlib marker code (distinct per label so
    that the shape alone tells the category); ``symbol`` a short text glyph for tables;
    ``text`` the legend wording.
    """

    colour: str
    marker: str
    symbol: str
    text: str


#: Fingertips' benchmark colours for better (#92D050), similar (#FFC000), worse (#C00000),
#: higher (#BED2FF), lower (#5555E6) and not compared (#C9C9C9). Fingertips has no separate
#: hue for the 99.8% categories; "best" (#00B050) and "worst" (#7B0000) are ina's darker
#: shades of the same hues, and the quintile shades are ina's (a sequential purple scale
#: for no-judgement, the green-amber-red family for polarity), all with distinct markers.
BENCHMARK_STYLES: dict[str, BenchmarkStyle] = {
    # Every label has a chart marker of its own (no two share one) and its own word, so
    # better and higher, or worse and lower, are never told apart by hue alone (WCAG
    # 1.4.1): up/down triangles judge (better/worse); right/left-pointing triangles only
    # say higher/lower (no judgement: higher is to the right on a spine chart). Tables
    # print the symbol next to the word ("△ higher").
    "best": BenchmarkStyle("#00B050", "P", "▲▲", "Better (99.8% confidence)"),
    "better": BenchmarkStyle("#92D050", "^", "▲", "Better (95% confidence)"),
    "similar": BenchmarkStyle("#FFC000", "o", "●", "Similar"),
    "worse": BenchmarkStyle("#C00000", "v", "▼", "Worse (95% confidence)"),
    "worst": BenchmarkStyle("#7B0000", "X", "▼▼", "Worse (99.8% confidence)"),
    "higher": BenchmarkStyle("#BED2FF", ">", "△", "Higher"),
    "lower": BenchmarkStyle("#5555E6", "<", "▽", "Lower"),
    NOT_COMPARED: BenchmarkStyle("#C9C9C9", "s", "–", "Not compared"),
    # Quintiles (no judgement): light to dark purple, lowest to highest, five more shapes.
    "lowest": BenchmarkStyle("#E3E3F5", "d", "1", "Lowest quintile"),
    "low": BenchmarkStyle("#C2C2EB", "p", "2", "Low quintile"),
    "middle": BenchmarkStyle("#9A9AD9", "h", "3", "Middle quintile"),
    "high": BenchmarkStyle("#6E6EC2", "*", "4", "High quintile"),
    "highest": BenchmarkStyle("#3F3F99", "D", "5", "Highest quintile"),
}


def benchmark_style(label: str) -> BenchmarkStyle:
    """Return the colour, marker, symbol and legend text for a comparison label."""
    try:
        return BENCHMARK_STYLES[label]
    except KeyError:
        raise StatisticsError(
            f"unknown comparison label {label!r}; expected one of {list(BENCHMARK_STYLES)}"
        ) from None


def describe_comparison(label: str, comparator: str = "England") -> str:
    """Say a comparison label in words for key findings: "significantly worse than England".

    "best"/"worst" name the 99.8% level because that is what distinguishes them.
    """
    phrases = {
        "best": f"significantly better than {comparator} (99.8% confidence)",
        "better": f"significantly better than {comparator}",
        "similar": f"similar to {comparator}",
        "worse": f"significantly worse than {comparator}",
        "worst": f"significantly worse than {comparator} (99.8% confidence)",
        "higher": f"significantly higher than {comparator}",
        "lower": f"significantly lower than {comparator}",
        NOT_COMPARED: f"not compared with {comparator}",
    }
    if label not in phrases:
        raise StatisticsError(
            f"unknown comparison label {label!r}; expected one of {list(phrases)}"
        )
    return phrases[label]


# ---------------------------------------------------------------------------------------
# Interval comparison
# ---------------------------------------------------------------------------------------


def _column_or_scalar(frame: pd.DataFrame, spec: str | float | None, role: str) -> np.ndarray:
    """Return a column (by name) or a scalar broadcast to the frame, as float64."""
    if spec is None:
        return np.full(len(frame), np.nan)
    if isinstance(spec, str):
        require_columns(frame, [spec], f"compare_with_benchmark ({role})")
        return numeric_values(frame, spec)
    if isinstance(spec, bool) or not isinstance(spec, Real | np.number):
        raise StatisticsError(f"{role} must be a column name or a number, got {spec!r}")
    return np.full(len(frame), float(spec))


def _polarity_codes(frame: pd.DataFrame, polarity: Polarity | str) -> np.ndarray:
    """Return per-row polarity codes: +1 high is good, -1 low is good, 0 no judgement.

    ``polarity`` is one polarity for every row, or the name of a column holding each row's
    polarity (indicators in one frame usually differ).
    """
    codes = {Polarity.HIGH_IS_GOOD: 1, Polarity.LOW_IS_GOOD: -1, Polarity.NO_JUDGEMENT: 0}
    if (
        isinstance(polarity, str)
        and not isinstance(polarity, Polarity)
        and (polarity in frame.columns)
    ):
        column = frame[polarity]
        if column.isna().any():
            first = column.index[column.isna().to_numpy()][0]
            raise StatisticsError(f"polarity column {polarity!r} is missing at row {first!r}")
        distinct = {value: codes[Polarity.parse(value)] for value in pd.unique(column)}
        return column.map(distinct).to_numpy(dtype=np.int8)
    return np.full(len(frame), codes[Polarity.parse(polarity)], dtype=np.int8)


def _check_interval(
    frame: pd.DataFrame, lower: np.ndarray, upper: np.ndarray, names: tuple[str, str]
) -> None:
    with np.errstate(invalid="ignore"):
        bad = lower > upper
    if bad.any():
        row = frame.index[int(np.flatnonzero(bad)[0])]
        raise StatisticsError(
            f"lower limit {names[0]!r} is above upper limit {names[1]!r} at row {row!r} "
            f"({lower[bad][0]!r} > {upper[bad][0]!r}); check the columns are not swapped"
        )


def _direction(lower: np.ndarray, upper: np.ndarray, benchmark: np.ndarray) -> np.ndarray:
    """+1 where the interval lies wholly above the benchmark, -1 wholly below, else 0."""
    with np.errstate(invalid="ignore"):
        return np.where(lower > benchmark, 1, np.where(upper < benchmark, -1, 0)).astype(np.int8)


def compare_with_benchmark(
    frame: pd.DataFrame,
    value: str,
    lower: str,
    upper: str,
    benchmark: str | float,
    polarity: Polarity | str,
    *,
    lower_998: str | None = None,
    upper_998: str | None = None,
    output: str = "comparison",
) -> pd.DataFrame:
    """Compare each row's interval with its benchmark the Fingertips way (vectorised).

    Method (Fingertips PH methods; module docstring): with the 95% interval only, the
    result is "better"/"worse" (or "higher"/"lower" for no-judgement polarity) when the
    benchmark lies outside the interval, "similar" when inside or on a limit. With the
    99.8% interval too (``lower_998``/``upper_998``), polarity indicators get five levels:
    "best"/"worst" when significant at 99.8%, "better"/"worse" at 95% only, "similar"
    otherwise; no-judgement indicators still get "higher"/"lower"/"similar" (at 95%), and
    ``<output>_level`` says which level the difference reached ("99.8%", "95%" or missing).
    A row with a missing value, limit or benchmark is "not compared".

    Parameters
    ----------
    frame:
        One row per indicator × area (× period ...), e.g. a Fingertips export.
    value, lower, upper:
        Columns with the value and its 95% confidence limits.
    benchmark:
        Column with each row's comparator value (England, region, ICB), or one number.
    polarity:
        A :class:`Polarity` (or its text) for every row, or the name of a column holding
        each row's polarity.
    lower_998, upper_998:
        Optional 99.8% limits; both or neither.
    output:
        Name of the label column added (``"comparison"``); ``<output>_colour`` and
        ``<output>_level`` are added alongside.

    Returns
    -------
    A copy of ``frame`` with the label (text), its Fingertips colour and the significance
    level reached. The result is unchanged if values, limits and benchmark are all
    multiplied by the same positive number (e.g. per 1,000 vs per 100,000).

    Raises
    ------
    StatisticsError
        Missing columns, unknown polarity, a lower limit above its upper limit, a 99.8%
        interval that does not contain the 95% interval, or only one 99.8% limit given.
    """
    require_columns(frame, [value, lower, upper], "compare_with_benchmark")
    if (lower_998 is None) != (upper_998 is None):
        raise StatisticsError("give both lower_998 and upper_998, or neither")
    values = numeric_values(frame, value)
    low95 = numeric_values(frame, lower)
    up95 = numeric_values(frame, upper)
    reference = _column_or_scalar(frame, benchmark, "benchmark")
    codes = _polarity_codes(frame, polarity)
    _check_interval(frame, low95, up95, (lower, upper))

    missing = np.isnan(values) | np.isnan(low95) | np.isnan(up95) | np.isnan(reference)
    direction95 = _direction(low95, up95, reference)
    direction998 = np.zeros(len(frame), dtype=np.int8)
    if lower_998 is not None and upper_998 is not None:
        require_columns(frame, [lower_998, upper_998], "compare_with_benchmark")
        low998 = numeric_values(frame, lower_998)
        up998 = numeric_values(frame, upper_998)
        _check_interval(frame, low998, up998, (lower_998, upper_998))
        # Tolerate rounding in published limits (Fingertips rounds to ~6 figures).
        scale = np.maximum(np.abs(low95), np.abs(up95))
        with np.errstate(invalid="ignore"):
            narrower = (low998 > low95 + 1e-9 * scale) | (up998 < up95 - 1e-9 * scale)
        if narrower.any():
            row = frame.index[int(np.flatnonzero(narrower)[0])]
            raise StatisticsError(
                f"the 99.8% interval must contain the 95% interval, but at row {row!r} "
                f"[{low998[narrower][0]}, {up998[narrower][0]}] does not contain "
                f"[{low95[narrower][0]}, {up95[narrower][0]}]; are the levels swapped?"
            )
        missing |= np.isnan(low998) | np.isnan(up998)
        direction998 = _direction(low998, up998, reference)

    goodness = direction95 * codes  # +1 better, -1 worse, 0 similar / no judgement
    strong = direction998 != 0
    labels = np.select(
        [
            missing,
            (codes != 0) & (goodness > 0) & strong,
            (codes != 0) & (goodness > 0),
            (codes != 0) & (goodness < 0) & strong,
            (codes != 0) & (goodness < 0),
            (codes == 0) & (direction95 > 0),
            (codes == 0) & (direction95 < 0),
        ],
        ["not compared", "best", "better", "worst", "worse", "higher", "lower"],
        default="similar",
    )
    level = np.where(missing | (direction95 == 0), None, np.where(strong, "99.8%", "95%")).astype(
        object
    )
    if lower_998 is None:
        level = np.where(missing | (direction95 == 0), None, "95%").astype(object)

    result = frame.copy()
    result[output] = pd.array(labels, dtype="string")
    colours = {label: style.colour for label, style in BENCHMARK_STYLES.items()}
    result[f"{output}_colour"] = pd.array([colours[label] for label in labels], dtype="string")
    result[f"{output}_level"] = pd.array(level, dtype="string")
    return result


# ---------------------------------------------------------------------------------------
# Quintiles among peers
# ---------------------------------------------------------------------------------------

QUINTILES = 5


def compare_with_quintiles(
    frame: pd.DataFrame,
    value: str,
    polarity: Polarity | str,
    *,
    group_by: str | Sequence[str] | None = None,
    output: str = "quintile_comparison",
) -> pd.DataFrame:
    """Place each area in a fifth of its peers: lowest..highest, or best..worst by polarity.

    Method: Fingertips "compared with percentiles" — rank the non-missing values within
    each group (one indicator × period among comparable areas) and split them into five
    equal-sized groups by the PHEindicatormethods ``phe_quantile`` rule (ties share the
    lower rank; ``ina.stats.quantiles.quantiles`` with ``invert=False``, so quintile 1
    holds the lowest values). Labels: no judgement "lowest", "low", "middle", "high",
    "highest"; high is good "worst" .. "best"; low is good "best" .. "worst". Rows with a
    missing value, and groups with fewer than five values, are "not compared".

    Adds ``<output>`` (label), ``<output>_quintile`` (1 = lowest values) and
    ``<output>_colour``.
    """
    require_columns(frame, [value], "compare_with_quintiles")
    keys = [group_by] if isinstance(group_by, str) else list(group_by or [])
    require_columns(frame, keys, "compare_with_quintiles")
    codes = _polarity_codes(frame, polarity)
    numeric_values(frame, value)  # raises a clear error for text values
    if keys:
        per_group = (
            pd.Series(codes, index=frame.index)
            .groupby([frame[key] for key in keys], sort=False, dropna=False)
            .nunique()
        )
        if (per_group > 1).any():
            raise StatisticsError(
                f"polarity differs within group {per_group[per_group > 1].index[0]!r}; "
                "rank areas only among values of one indicator"
            )
    work = pd.DataFrame({"__value": frame[value].to_numpy()}, index=frame.index)
    for key in keys:
        work[key] = frame[key].to_numpy()
    with warnings.catch_warnings():
        # Groups with fewer than five values are reported as "not compared" instead.
        warnings.simplefilter("ignore", UserWarning)
        ranked = assign_quantiles(
            work,
            "__value",
            n_quantiles=QUINTILES,
            invert=False,
            group_by=keys or None,
            quantile_column="__quintile",
        )
    quintile = ranked["__quintile"].to_numpy(dtype=float, na_value=np.nan)
    label_sets = {
        1: QUINTILE_LABELS[Polarity.HIGH_IS_GOOD],
        -1: QUINTILE_LABELS[Polarity.LOW_IS_GOOD],
        0: QUINTILE_LABELS[Polarity.NO_JUDGEMENT],
    }
    labels = np.full(len(frame), NOT_COMPARED, dtype=object)
    for code, names in label_sets.items():
        for position, name in enumerate(names, start=1):
            labels[(codes == code) & (quintile == position)] = name
    colours = {label: style.colour for label, style in BENCHMARK_STYLES.items()}
    result = frame.copy()
    result[output] = pd.array(labels, dtype="string")
    result[f"{output}_quintile"] = pd.array(
        np.where(np.isnan(quintile), None, quintile).astype(object), dtype="Int64"
    )
    result[f"{output}_colour"] = pd.array([colours[label] for label in labels], dtype="string")
    return result
