"""Small multiples: one panel per area, CIs as bands, hidden points as gaps, alt text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ina.charts.small_multiples import NOT_SHOWN, SHOWN, small_multiples
from ina.errors import StatisticsError
from ina.publishing import figure_png


def _trends() -> pd.DataFrame:
    rows = []
    for area, base in (("West Norfolk", 20.0), ("West Suffolk", 15.0), ("Great Yarmouth", 25.0)):
        for year in range(2018, 2023):
            value = base + year - 2018
            rows.append((area, year, value, value - 2, value + 2, 19.0))
    frame = pd.DataFrame(rows, columns=["area", "year", "value", "lower", "upper", "england"])
    frame["hidden"] = (frame["area"] == "West Suffolk") & (frame["year"] == 2020)
    frame.loc[(frame["area"] == "Great Yarmouth") & (frame["year"] == 2022), "value"] = np.nan
    return frame


def _draw(frame: pd.DataFrame | None = None):
    return small_multiples(
        _trends() if frame is None else frame,
        x="year",
        y="value",
        facet="area",
        lower="lower",
        upper="upper",
        hidden="hidden",
        comparator="england",
        title="Smoking prevalence",
        axis_label="%",
        what="smoking prevalence",
        value_format=lambda v: f"{v:.1f}%",
    )


def test_one_panel_per_area_with_hidden_points_as_gaps() -> None:
    result = _draw()
    titled = [ax for ax in result.figure.axes if ax.get_title(loc="left")]
    titles = [ax.get_title(loc="left") for ax in titled]
    assert titles == ["West Norfolk", "West Suffolk", "Great Yarmouth"]
    suffolk = titled[1]
    line = suffolk.lines[0].get_ydata()
    assert np.isnan(line[2]) and np.isfinite(line).sum() == 4  # 2020 is a gap
    assert len(suffolk.collections) == 1  # the CI band
    assert suffolk.lines[1].get_linestyle() == "--"  # England
    legend = result.figure.legends[0]
    assert legend.get_title().get_text().startswith("Gaps are values suppressed")


def test_table_removes_hidden_numbers_and_names_their_status() -> None:
    data = _draw().data
    assert list(data.columns) == ["area", "year", "value", "lower", "upper", "england", "status"]
    assert len(data) == 15
    hidden = data[data["status"] != SHOWN]
    assert hidden[["area", "year"]].values.tolist() == [
        ["West Suffolk", 2020],
        ["Great Yarmouth", 2022],
    ]
    assert hidden["value"].isna().all() and hidden["lower"].isna().all()
    assert set(hidden["status"]) == {NOT_SHOWN}
    shown = data[data["status"] == SHOWN]
    assert not shown.isna().any().any()
    assert not data[["area", "year", "status"]].isna().any().any()


def test_alt_text_gives_first_and_last_shown_values_and_the_gaps() -> None:
    text = _draw().alt_text
    assert text.startswith(
        "Small multiples of smoking prevalence, 2018 to 2022, one panel for each of 3 areas"
    )
    assert "West Norfolk from 20.0% in 2018 to 24.0% in 2022" in text
    assert "Great Yarmouth from 25.0% in 2018 to 28.0% in 2021" in text
    assert "not available): West Suffolk (1), Great Yarmouth (1)." in text


def test_small_multiples_png_is_deterministic() -> None:
    assert figure_png(_draw().figure, dpi=60) == figure_png(_draw().figure, dpi=60)


def test_small_multiples_refuse_bad_input() -> None:
    with pytest.raises(StatisticsError, match="missing column"):
        small_multiples(_trends(), x="year", y="rate", facet="area", title="t", axis_label="a")
    with pytest.raises(StatisticsError, match="two rows"):
        small_multiples(
            pd.concat([_trends(), _trends().iloc[:1]]),
            x="year",
            y="value",
            facet="area",
            title="t",
            axis_label="a",
        )
