"""Spine-chart scaling: England at 0.5, the furthest extreme at the edge, polarity-aware."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ina.errors import StatisticsError
from ina.stats.spine import spine_chart_data


def _data(values: list[float], england: float, polarity: str, marked: float) -> pd.DataFrame:
    rows = [
        {
            "indicator": "i1",
            "area": f"LA{i}",
            "value": v,
            "england": england,
            "polarity": polarity,
            "lower": v - 1,
            "upper": v + 1,
            "peer": True,
        }
        for i, v in enumerate(values)
    ]
    rows.append(
        {
            "indicator": "i1",
            "area": "ICB",
            "value": marked,
            "england": england,
            "polarity": polarity,
            "lower": marked - 0.5,
            "upper": marked + 0.5,
            "peer": False,
        }
    )
    return pd.DataFrame(rows)


def _spine(frame: pd.DataFrame, **kwargs) -> pd.Series:
    result = spine_chart_data(
        frame,
        indicator="indicator",
        area="area",
        value="value",
        benchmark="england",
        polarity="polarity",
        areas=["ICB"],
        peers="peer",
        lower="lower",
        upper="upper",
        **kwargs,
    )
    assert len(result) == 1
    return result.iloc[0]


def test_high_is_good_scaling_by_hand() -> None:
    # Peers 80..95, England 90: worst 80 is 10 away, best 95 is 5 away -> D = 10.
    row = _spine(_data([80, 85, 88, 90, 92, 95], 90.0, "high is good", 93.0))
    assert (row["worst"], row["best"]) == (80.0, 95.0)
    assert row["worst_x"] == pytest.approx(0.0)
    assert row["best_x"] == pytest.approx(0.75)
    assert row["benchmark_x"] == 0.5
    assert row["value_x"] == pytest.approx(0.5 + 3 / 20)
    assert row["percentile_25"] == pytest.approx(np.percentile([80, 85, 88, 90, 92, 95], 25))
    assert row["comparison"] == "better"
    assert row["comparison_colour"] == "#92D050"


def test_low_is_good_puts_the_maximum_at_the_worst_end() -> None:
    row = _spine(_data([5, 10, 12, 14, 20, 30], 12.0, "low is good", 15.0))
    assert (row["worst"], row["best"]) == (30.0, 5.0)
    assert row["worst_x"] == pytest.approx(0.0)  # 18 from England: the furthest
    assert row["best_x"] == pytest.approx(0.5 + 7 / 36)
    assert row["value_x"] < 0.5  # higher than England is worse: left of centre
    assert row["comparison"] == "worse"


def test_no_judgement_runs_lowest_to_highest() -> None:
    row = _spine(_data([1, 2, 3, 4, 9], 3.0, "no judgement", 3.0))
    assert (row["worst"], row["best"]) == (1.0, 9.0)
    assert row["best_x"] == pytest.approx(1.0)
    assert row["comparison"] == "similar"


def test_all_peers_equal_sit_on_the_centre() -> None:
    row = _spine(_data([4, 4, 4], 4.0, "high is good", 4.0))
    assert row["worst_x"] == row["best_x"] == row["value_x"] == 0.5


def test_too_few_peers_give_no_positions() -> None:
    row = _spine(_data([4.0], 4.0, "high is good", 5.0))
    assert np.isnan(row["worst_x"]) and np.isnan(row["value_x"])


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(st.floats(0, 1000), min_size=2, max_size=40),
    england=st.floats(0, 1000),
    polarity=st.sampled_from(["high is good", "low is good", "no judgement"]),
)
def test_positions_stay_on_the_axis_and_one_extreme_touches_an_edge(
    values: list[float], england: float, polarity: str
) -> None:
    row = _spine(_data(values, england, polarity, values[0]))
    positions = [row[c] for c in ("worst_x", "percentile_25_x", "percentile_75_x", "best_x")]
    assert all(-1e-9 <= p <= 1 + 1e-9 for p in positions)
    if max(values) != min(values) or values[0] != england:
        assert min(abs(row["worst_x"]), abs(1 - row["best_x"])) == pytest.approx(0, abs=1e-9)
    assert row["worst_x"] <= row["best_x"] + 1e-12  # better is always to the right


def test_errors() -> None:
    frame = _data([1, 2, 3], 2.0, "high is good", 2.0)
    with pytest.raises(StatisticsError, match="not found"):
        spine_chart_data(
            frame,
            indicator="indicator",
            area="area",
            value="value",
            benchmark="england",
            polarity="polarity",
            areas=["Nowhere"],
        )
    with pytest.raises(StatisticsError, match="polarity"):
        spine_chart_data(
            frame,
            indicator="indicator",
            area="area",
            value="value",
            benchmark="england",
            polarity="upside down",
            areas=["ICB"],
        )
    frame.loc[0, "england"] = 99.0
    with pytest.raises(StatisticsError, match="more than one benchmark"):
        spine_chart_data(
            frame,
            indicator="indicator",
            area="area",
            value="value",
            benchmark="england",
            polarity="polarity",
            areas=["ICB"],
        )
