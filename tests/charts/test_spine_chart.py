"""The spine chart draws every indicator, shapes markers by comparison and describes itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from ina.charts.spine import describe_spine, spine_chart
from ina.errors import StatisticsError
from ina.publishing import figure_png
from ina.stats import spine_chart_data
from ina.stats.benchmarking import BENCHMARK_STYLES


def _rows() -> pd.DataFrame:
    long = pd.DataFrame(
        {
            "indicator": ["LE"] * 4 + ["DSR"] * 4,
            "area": ["a", "b", "c", "d"] * 2,
            "value": [78.0, 80.0, 81.0, 79.0, 1000.0, 900.0, 800.0, 950.0],
            "benchmark": [80.0] * 4 + [900.0] * 4,
            "polarity": ["high is good"] * 4 + ["low is good"] * 4,
        }
    )
    positions = spine_chart_data(
        long,
        indicator="indicator",
        area="area",
        value="value",
        benchmark="benchmark",
        polarity="polarity",
        areas=["a"],
    )
    return positions.assign(comparison=["worse", "similar"])


def test_spine_chart_returns_figure_and_the_data_it_drew() -> None:
    rows = _rows()
    fig, data = spine_chart(rows, area_name="Area A", benchmark_name="ICB")
    assert isinstance(fig, Figure)
    assert data["indicator"].tolist() == ["LE", "DSR"]
    assert data["value"].tolist() == [78.0, 1000.0]
    # Low is good: the worst DSR is the highest value.
    assert data.loc[1, "worst"] == 1000.0 and data.loc[1, "best"] == 800.0
    assert data["comparison"].tolist() == ["worse", "similar"]
    ax = fig.axes[0]
    markers = {
        tuple(np.round(collection.get_offsets()[0], 3)): collection for collection in ax.collections
    }
    assert len(markers) == 2  # one marker per comparison label
    legend = [text.get_text() for text in fig.legends[0].get_texts()]
    assert "Area A: worse" in legend and "Area A: similar" in legend
    assert [label.get_text() for label in ax.get_yticklabels()] == ["LE", "DSR"]


def test_markers_have_distinct_shapes_per_comparison_so_colour_is_not_needed() -> None:
    shapes = {BENCHMARK_STYLES[label].marker for label in ("better", "similar", "worse")}
    assert len(shapes) == 3
    rows = _rows()
    fig, _ = spine_chart(rows, area_name="A", benchmark_name="ICB")
    handles = fig.legends[0].legend_handles
    drawn = {h.get_label(): h.get_marker() for h in handles if hasattr(h, "get_marker")}
    assert drawn["A: worse"] == BENCHMARK_STYLES["worse"].marker
    assert drawn["A: similar"] == BENCHMARK_STYLES["similar"].marker


def test_spine_png_is_deterministic() -> None:
    first = figure_png(spine_chart(_rows(), area_name="A", benchmark_name="ICB")[0], dpi=60)
    second = figure_png(spine_chart(_rows(), area_name="A", benchmark_name="ICB")[0], dpi=60)
    assert first == second


def test_describe_spine_counts_comparisons_and_names_worse_indicators() -> None:
    _, data = spine_chart(_rows(), area_name="Area A", benchmark_name="ICB")
    text = describe_spine(data, area_name="Area A", benchmark_name="ICB")
    assert "Spine chart of 2 indicators for Area A" in text
    assert "1 similar, 1 worse" in text
    assert "Significantly worse: LE." in text


def test_spine_chart_refuses_data_without_positions() -> None:
    with pytest.raises(StatisticsError, match="missing column"):
        spine_chart(pd.DataFrame({"indicator": ["x"]}), area_name="A", benchmark_name="B")
