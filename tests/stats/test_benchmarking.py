"""Fingertips benchmarking: labels, polarity, 95%/99.8% levels, quintiles, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ina.errors import StatisticsError
from ina.stats.benchmarking import (
    BENCHMARK_STYLES,
    COMPARISON_LABELS,
    Polarity,
    benchmark_style,
    compare_with_benchmark,
    compare_with_quintiles,
    describe_comparison,
)


def _frame(rows: list[tuple[float, float, float]], benchmark: float = 20.0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "value": [r[0] for r in rows],
            "lower": [r[1] for r in rows],
            "upper": [r[2] for r in rows],
            "england": benchmark,
        }
    )


# value, lower, upper around an England value of 20
ABOVE = (30.0, 26.0, 34.0)
BELOW = (10.0, 8.0, 12.0)
STRADDLES = (21.0, 18.0, 24.0)
TOUCHES = (23.0, 20.0, 26.0)  # lower limit equal to the benchmark: not significant


@pytest.mark.parametrize(
    ("polarity", "expected"),
    [
        ("high is good", ["better", "worse", "similar", "similar"]),
        ("low is good", ["worse", "better", "similar", "similar"]),
        ("no judgement", ["higher", "lower", "similar", "similar"]),
        (Polarity.HIGH_IS_GOOD, ["better", "worse", "similar", "similar"]),
        ("RAG - Low is good", ["worse", "better", "similar", "similar"]),
        ("BOB - Blue orange blue", ["higher", "lower", "similar", "similar"]),
    ],
)
def test_95_percent_labels_follow_polarity(polarity: str, expected: list[str]) -> None:
    frame = _frame([ABOVE, BELOW, STRADDLES, TOUCHES])
    result = compare_with_benchmark(frame, "value", "lower", "upper", "england", polarity)
    assert result["comparison"].tolist() == expected


def test_colours_are_fingertips_colours() -> None:
    frame = _frame([ABOVE, BELOW, STRADDLES, (np.nan, np.nan, np.nan)])
    result = compare_with_benchmark(frame, "value", "lower", "upper", "england", "high is good")
    assert result["comparison_colour"].tolist() == ["#92D050", "#C00000", "#FFC000", "#C9C9C9"]
    neutral = compare_with_benchmark(frame, "value", "lower", "upper", "england", "no judgement")
    assert neutral["comparison_colour"].tolist()[:2] == ["#BED2FF", "#5555E6"]


def test_every_label_has_a_distinct_marker_and_text() -> None:
    comparison_markers = [benchmark_style(label).marker for label in COMPARISON_LABELS[:5]]
    assert len(set(comparison_markers)) == 5
    texts = [style.text for style in BENCHMARK_STYLES.values()]
    assert len(set(texts)) == len(texts)
    assert describe_comparison("worse", "the ICB") == "significantly worse than the ICB"


def test_two_levels_give_best_and_worst() -> None:
    frame = pd.DataFrame(
        {
            "value": [30.0, 23.0, 10.0, 17.0, 20.0],
            "lower": [26.0, 21.0, 8.0, 15.0, 18.0],
            "upper": [34.0, 25.0, 12.0, 19.0, 22.0],
            "lower_998": [24.0, 19.0, 7.0, 14.0, 17.0],
            "upper_998": [36.0, 27.0, 13.0, 21.0, 23.0],
        }
    )
    result = compare_with_benchmark(
        frame,
        "value",
        "lower",
        "upper",
        20.0,
        "high is good",
        lower_998="lower_998",
        upper_998="upper_998",
    )
    assert result["comparison"].tolist() == ["best", "better", "worst", "worse", "similar"]
    assert result["comparison_level"].tolist()[:4] == ["99.8%", "95%", "99.8%", "95%"]
    assert pd.isna(result["comparison_level"].iloc[4])
    neutral = compare_with_benchmark(
        frame,
        "value",
        "lower",
        "upper",
        20.0,
        "no judgement",
        lower_998="lower_998",
        upper_998="upper_998",
    )
    assert neutral["comparison"].tolist() == ["higher", "higher", "lower", "lower", "similar"]


def test_missing_interval_or_benchmark_is_not_compared() -> None:
    frame = _frame([ABOVE, (30.0, np.nan, 34.0), ABOVE])
    frame.loc[2, "england"] = np.nan
    result = compare_with_benchmark(frame, "value", "lower", "upper", "england", "high is good")
    assert result["comparison"].tolist() == ["better", "not compared", "not compared"]


def test_polarity_per_row_from_a_column() -> None:
    frame = _frame([ABOVE, ABOVE, ABOVE])
    frame["polarity"] = ["high is good", "low is good", "no judgement"]
    result = compare_with_benchmark(frame, "value", "lower", "upper", "england", "polarity")
    assert result["comparison"].tolist() == ["better", "worse", "higher"]


def test_does_not_modify_the_input() -> None:
    frame = _frame([ABOVE])
    before = frame.copy()
    compare_with_benchmark(frame, "value", "lower", "upper", "england", "high is good")
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize("bad", ["higher is worse", "", "High", 3])
def test_unknown_polarity_raises(bad: object) -> None:
    frame = _frame([ABOVE])
    if bad == "High":  # the short form is accepted, case-insensitively
        compare_with_benchmark(frame, "value", "lower", "upper", "england", bad)
        return
    with pytest.raises(StatisticsError, match="polarity"):
        compare_with_benchmark(frame, "value", "lower", "upper", "england", bad)  # type: ignore[arg-type]


def test_lower_above_upper_raises_naming_the_row() -> None:
    frame = _frame([ABOVE, (30.0, 34.0, 26.0)])
    with pytest.raises(StatisticsError, match="row 1"):
        compare_with_benchmark(frame, "value", "lower", "upper", "england", "high is good")


def test_998_interval_narrower_than_95_raises() -> None:
    frame = _frame([ABOVE])
    frame["l998"], frame["u998"] = 27.0, 33.0
    with pytest.raises(StatisticsError, match="contain"):
        compare_with_benchmark(
            frame,
            "value",
            "lower",
            "upper",
            "england",
            "high is good",
            lower_998="l998",
            upper_998="u998",
        )
    with pytest.raises(StatisticsError, match="both"):
        compare_with_benchmark(
            frame, "value", "lower", "upper", "england", "high is good", lower_998="l998"
        )


def test_missing_column_raises() -> None:
    with pytest.raises(StatisticsError, match="not found"):
        compare_with_benchmark(_frame([ABOVE]), "value", "lower", "nope", 1.0, "high is good")


interval = st.tuples(
    st.floats(0.01, 1e4, allow_nan=False),
    st.floats(0.0, 1e3, allow_nan=False),
    st.floats(0.0, 1e3, allow_nan=False),
)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(interval, min_size=1, max_size=20),
    benchmark=st.floats(0.01, 1e4, allow_nan=False),
    scale=st.sampled_from([0.001, 0.1, 10.0, 1000.0, 1e5]),
)
def test_invariant_to_scaling_values_and_benchmark_together(
    rows: list[tuple[float, float, float]], benchmark: float, scale: float
) -> None:
    frame = pd.DataFrame(
        {
            "value": [v for v, _, _ in rows],
            "lower": [v - a for v, a, _ in rows],
            "upper": [v + b for v, _, b in rows],
        }
    )
    scaled = frame * scale
    base = compare_with_benchmark(frame, "value", "lower", "upper", benchmark, "high is good")
    moved = compare_with_benchmark(
        scaled, "value", "lower", "upper", benchmark * scale, "high is good"
    )
    # Scaling by a power of ten can move a limit that exactly equals the benchmark by one
    # ulp; compare only rows not within rounding of the benchmark.
    near = np.isclose(frame["lower"], benchmark, rtol=1e-12) | np.isclose(
        frame["upper"], benchmark, rtol=1e-12
    )
    assert (base["comparison"][~near] == moved["comparison"][~near]).all()


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(interval, min_size=1, max_size=20), benchmark=st.floats(0.01, 1e4))
def test_flipping_polarity_swaps_better_and_worse(
    rows: list[tuple[float, float, float]], benchmark: float
) -> None:
    frame = pd.DataFrame(
        {
            "value": [v for v, _, _ in rows],
            "lower": [v - a for v, a, _ in rows],
            "upper": [v + b for v, _, b in rows],
        }
    )
    high = compare_with_benchmark(frame, "value", "lower", "upper", benchmark, "high is good")
    low = compare_with_benchmark(frame, "value", "lower", "upper", benchmark, "low is good")
    swap = {"better": "worse", "worse": "better", "similar": "similar"}
    assert low["comparison"].tolist() == [swap[label] for label in high["comparison"]]
    neutral = compare_with_benchmark(frame, "value", "lower", "upper", benchmark, "no judgement")
    as_direction = {"better": "higher", "worse": "lower", "similar": "similar"}
    assert neutral["comparison"].tolist() == [as_direction[x] for x in high["comparison"]]


def test_quintiles_by_polarity_and_group() -> None:
    frame = pd.DataFrame(
        {
            "indicator": ["a"] * 10 + ["b"] * 10 + ["c"] * 3,
            "value": list(range(10)) + list(range(10)) + [1.0, 2.0, 3.0],
            "polarity": ["high is good"] * 10 + ["low is good"] * 10 + ["no judgement"] * 3,
        }
    )
    result = compare_with_quintiles(frame, "value", "polarity", group_by="indicator")
    a = result[result["indicator"] == "a"]
    assert a["quintile_comparison"].tolist() == [
        "worst",
        "worst",
        "worse",
        "worse",
        "middle",
        "middle",
        "better",
        "better",
        "best",
        "best",
    ]
    b = result[result["indicator"] == "b"]
    assert b["quintile_comparison"].iloc[0] == "best"
    assert b["quintile_comparison"].iloc[-1] == "worst"
    # fewer than five peers: no quintiles
    c = result[result["indicator"] == "c"]
    assert (c["quintile_comparison"] == "not compared").all()
    assert c["quintile_comparison_quintile"].isna().all()
    neutral = compare_with_quintiles(frame.iloc[:10], "value", "no judgement")
    assert neutral["quintile_comparison"].iloc[0] == "lowest"
    assert neutral["quintile_comparison"].iloc[-1] == "highest"


def test_quintiles_reject_mixed_polarity_in_a_group() -> None:
    frame = pd.DataFrame(
        {"g": ["a"] * 6, "value": range(6), "polarity": ["high is good"] * 5 + ["low is good"]}
    )
    with pytest.raises(StatisticsError, match="polarity differs"):
        compare_with_quintiles(frame, "value", "polarity", group_by="g")


def test_no_two_labels_share_a_chart_marker() -> None:
    """Better/higher and worse/lower once shared a triangle, told apart by hue only."""
    markers = [style.marker for style in BENCHMARK_STYLES.values()]
    assert len(set(markers)) == len(markers)
    assert BENCHMARK_STYLES["better"].marker != BENCHMARK_STYLES["higher"].marker
    assert BENCHMARK_STYLES["worse"].marker != BENCHMARK_STYLES["lower"].marker
