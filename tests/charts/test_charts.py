"""Charts return a figure plus the data they drew, deterministic PNGs and honest alt text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from ina.chapters.population import resident_pyramid
from ina.charts import bars, deciles, lines, pyramid
from ina.publishing import figure_png


def _population(old_weight: float) -> pd.DataFrame:
    ages = np.arange(91)
    weights = np.where(ages >= 65, old_weight, 1.0)
    return pd.DataFrame(
        [(sex, age, weights[age] * 100) for sex in ("female", "male") for age in ages],
        columns=["sex", "age", "population"],
    )


def test_pyramid_data_matches_input_and_alt_text_reports_older_share() -> None:
    table = resident_pyramid(_population(2.0), _population(1.0), area_name="A", comparator_name="B")
    fig, data = pyramid.population_pyramid(table, area_name="A", comparator_name="B")
    assert isinstance(fig, Figure)
    assert len(data) == 19
    female_a = table[(table["area"] == "A") & (table["sex"] == "female")]["percent"].to_numpy()
    np.testing.assert_allclose(data["area_female_percent"], female_a)
    total = data[[c for c in data.columns if c.startswith("area_")]].to_numpy().sum()
    assert total == pytest.approx(100)
    text = pyramid.describe_pyramid(data, area_name="A", comparator_name="B")
    assert "A is older than B" in text
    older_share = 26 * 2 / (65 + 26 * 2) * 100
    assert f"{older_share:.1f}%" in text


def test_horizontal_bars_data_and_description() -> None:
    frame = pd.DataFrame({"name": ["North", "South", "East"], "share": [12.0, 30.5, 7.25]})
    fig, data = bars.horizontal_bars(
        frame, label="name", value="share", title="t", axis_label="%", reference=("ICB", 15.0)
    )
    assert data["share"].tolist() == [12.0, 30.5, 7.25]
    ax = fig.axes[0]
    assert [p.get_width() for p in ax.patches] == [12.0, 30.5, 7.25]
    texts = [t.get_text() for t in ax.texts]
    assert "30.5%" in texts and " ICB: 15.0%" in texts  # labels, not colour alone
    described = bars.describe_horizontal_bars(data, label="name", value="share", what="x")
    assert "Highest: South (30.5%)" in described and "lowest: East (7.2%)" in described


def test_grouped_bars_keep_order_and_values() -> None:
    frame = pd.DataFrame(
        {
            "group": ["0-15", "75+", "0-15", "75+"],
            "year": ["2030", "2030", "2040", "2040"],
            "change": [-1.0, 20.0, -2.0, 40.0],
        }
    )
    fig, data = bars.grouped_bars(
        frame, category="group", series="year", value="change", title="t", axis_label="%"
    )
    assert data.values.tolist() == [
        ["0-15", "2030", -1.0],
        ["0-15", "2040", -2.0],
        ["75+", "2030", 20.0],
        ["75+", "2040", 40.0],
    ]
    assert fig.axes[0].get_legend() is not None
    assert "75+ (2040): 40.0%" in bars.describe_grouped_bars(
        data, category="group", series="year", value="change", what="change"
    )


def test_interval_bars_mark_unpublished_rates() -> None:
    frame = pd.DataFrame(
        {"q": ["1", "2"], "rate": [500.0, np.nan], "lo": [450.0, np.nan], "hi": [560.0, np.nan]}
    )
    fig, data = bars.interval_bars(
        frame, label="q", value="rate", lower="lo", upper="hi", title="t", axis_label="r"
    )
    assert "not published" in [t.get_text() for t in fig.axes[0].texts]
    assert data["hi"].tolist()[0] == 560.0


def test_trend_lines_label_each_line_at_its_end() -> None:
    frame = pd.DataFrame({"year": [2020, 2021, 2022], "births": [9.0, 8.5, 8.0], "x": [1, 2, 3]})
    fig, data = lines.trend_lines(
        frame, x="year", series={"births": "Births"}, title="t", axis_label="per 1,000"
    )
    assert list(data.columns) == ["year", "births"]
    assert "Births: 8.0" in [t.get_text() for t in fig.axes[0].texts]
    assert "Births from 9.0 in 2020 to 8.0 in 2022" in lines.describe_trend_lines(
        data, x="year", series={"births": "Births"}, what="births"
    )


def test_decile_chart_with_comparator() -> None:
    distribution = pd.DataFrame(
        {
            "area": ["P"] * 10 + ["ICB"] * 10,
            "imd_decile": list(range(1, 11)) * 2,
            "percent": [15, 15, *[70 / 8] * 8] + [10] * 10,
            "england_percent": 10.0,
        }
    )
    _fig, data = deciles.decile_chart(distribution, area_name="P", comparator_name="ICB")
    assert data["area_percent"].iloc[:2].tolist() == [15, 15]
    assert data["comparator_percent"].tolist() == [10] * 10
    assert "30.0% live in the two most deprived deciles" in deciles.describe_deciles(
        data, area_name="P"
    )


def test_charts_are_deterministic() -> None:
    frame = pd.DataFrame({"name": ["a", "b"], "share": [1.0, 2.0]})
    first = figure_png(
        bars.horizontal_bars(frame, label="name", value="share", title="t", axis_label="%")[0]
    )
    second = figure_png(
        bars.horizontal_bars(frame, label="name", value="share", title="t", axis_label="%")[0]
    )
    assert first == second
