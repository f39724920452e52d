"""The indicator × place matrix: a cell per indicator and area, shapes and words, alt text."""

from __future__ import annotations

import pandas as pd
import pytest

from ina.charts.matrix import NOT_AVAILABLE, indicator_matrix
from ina.errors import StatisticsError
from ina.publishing import figure_png
from ina.stats.benchmarking import BENCHMARK_STYLES


def _results() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "chapter": ["Start Well"] * 4 + ["Age Well"] * 2,
            "indicator": ["LBW", "LBW", "Infant deaths", "Infant deaths", "Falls", "Falls"],
            "area": ["ICB", "West Norfolk"] * 3,
            "comparison": ["similar", "worse", "better", "worst", None, "higher"],
        }
    )


def test_table_has_one_text_row_per_cell_with_gaps_named_not_available() -> None:
    result = indicator_matrix(_results(), areas=["ICB", "West Norfolk", "West Suffolk"])
    data = result.data
    assert list(data.columns) == ["chapter", "indicator", "area", "comparison", "symbol", "meaning"]
    assert len(data) == 3 * 3  # 3 indicators x 3 areas, West Suffolk has no rows at all
    assert not data.isna().any().any()
    cell = data.set_index(["indicator", "area"])
    assert cell.loc[("Falls", "ICB"), "comparison"] == NOT_AVAILABLE
    assert cell.loc[("LBW", "West Suffolk"), "comparison"] == NOT_AVAILABLE
    assert cell.loc[("Infant deaths", "West Norfolk"), "symbol"] == BENCHMARK_STYLES["worst"].symbol
    assert cell.loc[("LBW", "West Norfolk"), "meaning"] == BENCHMARK_STYLES["worse"].text
    assert data["chapter"].drop_duplicates().tolist() == ["Start Well", "Age Well"]


def test_chapters_are_panels_and_every_cell_has_a_word() -> None:
    result = indicator_matrix(_results(), chapters=["Age Well", "Start Well"])
    fig = result.figure
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Age Well", "Start Well"]
    words = [text.get_text() for ax in fig.axes for text in ax.texts]
    assert words.count("worse") == 1 and words.count("worst") == 1
    assert "no data" in words
    assert len(words) == 6  # 3 indicators x 2 areas
    legend = [text.get_text() for text in fig.legends[0].get_texts()]
    assert BENCHMARK_STYLES["worse"].text in legend and "Not available" in legend


def test_markers_come_from_benchmark_styles() -> None:
    fig = indicator_matrix(_results()).figure
    drawn = set()
    for ax in fig.axes:
        for collection in ax.collections[1:]:  # the first is the heatmap itself
            paths = collection.get_paths()
            if paths and collection.get_offsets().shape[0] == 1:
                drawn.add(len(paths[0].vertices))
    assert len(drawn) >= 3  # similar, worse/worst, better, higher: several distinct shapes


def test_alt_text_counts_each_area() -> None:
    text = indicator_matrix(_results()).alt_text
    assert text.startswith("Matrix of 3 indicators in 2 chapters (rows) by 2 areas")
    assert "West Norfolk is worse than England on 2 of 3 indicators, higher on 1." in text
    assert (
        "ICB is better than England on 1 of 3 indicators, similar on 1, not available on 1." in text
    )
    assert "Worse than England on the most indicators: West Norfolk (2)." in text


def test_matrix_png_is_deterministic_and_tall_enough_for_its_rows() -> None:
    first = figure_png(indicator_matrix(_results()).figure, dpi=60)
    second = figure_png(indicator_matrix(_results()).figure, dpi=60)
    assert first == second
    many = pd.DataFrame(
        {
            "chapter": ["A"] * 100,
            "indicator": [f"indicator {i}" for i in range(100)],
            "area": "ICB",
            "comparison": "similar",
        }
    )
    height = indicator_matrix(many).figure.get_size_inches()[1]
    assert height * 2.54 >= 100 * 0.45


def test_matrix_refuses_unknown_labels_and_duplicate_cells() -> None:
    with pytest.raises(StatisticsError, match="unknown comparison"):
        indicator_matrix(_results().assign(comparison="amber"))
    with pytest.raises(StatisticsError, match="two rows"):
        indicator_matrix(pd.concat([_results(), _results().iloc[:1]]))
