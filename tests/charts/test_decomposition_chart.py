"""Charts of the life expectancy gap: figure + the data drawn, labels, alt text, wording."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from ina.charts.decomposition import (
    describe_gap_by_cause,
    describe_quintile_life_expectancy,
    gap_by_cause_chart,
    quintile_life_expectancy_chart,
    years_and_months,
)
from ina.publishing import figure_png


@pytest.mark.parametrize(
    ("years", "long", "short"),
    [
        (6.75, "6 years and 9 months", "6y 9m"),
        (5 + 4 / 12, "5 years and 4 months", "5y 4m"),
        (1.0, "1 year", "1y"),
        (1 / 12, "1 month", "1m"),
        (6.99, "7 years", "7y"),  # 83.88 months round to 84
        (1 + 1 / 12, "1 year and 1 month", "1y 1m"),
        (0.01, "0 months", "0m"),
        (-0.5, "-6 months", "-6m"),
        (-0.01, "0 months", "0m"),  # no "-0"
    ],
)
def test_years_and_months(years: float, long: str, short: str) -> None:
    assert years_and_months(years) == long
    assert years_and_months(years, short=True) == short


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_years_and_months_refuses_missing(bad: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        years_and_months(bad)


def _quintile_frame() -> pd.DataFrame:
    labels = ["1 most deprived", "2", "3", "4", "5 least deprived"]
    males = [75.7, 77.4, np.nan, 80.4, 82.0]
    females = [79.7, 81.3, 82.7, 83.9, 85.0]
    rows = [
        {"sex": sex, "label": label, "value": v, "lowercl": v - 0.5, "uppercl": v + 0.5}
        for sex, values in (("Males", males), ("Females", females))
        for label, v in zip(labels, values, strict=True)
    ]
    frame = pd.DataFrame(rows)
    # An unpublished value with its limits also unknown (as a quintile with no residents).
    frame.loc[2, ["lowercl", "uppercl"]] = np.nan
    return frame


def test_quintile_chart_returns_figure_and_the_data_drawn() -> None:
    frame = _quintile_frame()
    fig, data = quintile_life_expectancy_chart(frame, title="Somewhere: life expectancy")
    assert isinstance(fig, Figure)
    assert list(data.columns) == ["sex", "label", "value", "lowercl", "uppercl"]
    assert len(data) == 10
    assert data["value"].to_numpy() == pytest.approx(frame["value"].to_numpy(), nan_ok=True)
    texts = [text.get_text() for text in fig.axes[0].texts]
    assert "not\npublished" in texts
    assert "85.0" in texts and "75.7" in texts
    assert fig.axes[0].get_xticklabels()[0].get_text() == "1 most deprived"
    assert fig.axes[0].get_legend() is not None
    again, _ = quintile_life_expectancy_chart(frame, title="Somewhere: life expectancy")
    assert figure_png(fig) == figure_png(again)  # deterministic bytes


def test_quintile_chart_copes_with_nothing_published() -> None:
    frame = _quintile_frame().assign(value=np.nan, lowercl=np.nan, uppercl=np.nan)
    fig, data = quintile_life_expectancy_chart(frame, title="Nowhere")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("not published") == 5  # one label per quintile, not one per sex
    assert "not\npublished" not in texts
    text = describe_quintile_life_expectancy(data)
    assert "not published in any quintile" in text


def test_describe_quintile_chart_names_first_and_last_published() -> None:
    text = describe_quintile_life_expectancy(_quintile_frame())
    assert "Males: 75.7 years in quintile 1 most deprived, 82.0 in quintile 5" in text
    assert "5 deprivation quintiles" in text


def _causes_frame() -> pd.DataFrame:
    causes = ["Coronary heart disease", "Cancer", "Mental and behavioural (incl. dementia)"]
    return pd.DataFrame(
        {
            "sex": ["Males"] * 3 + ["Females"] * 3,
            "cause": causes * 2,
            "contribution": [1.5, 4.75, -0.25, 0.5, 2.0, 0.5],
            "percent_of_gap": [25.0, 79.2, -4.2, 16.7, 66.7, 16.7],
        }
    )


def test_gap_chart_returns_figure_and_data_one_panel_per_sex() -> None:
    frame = _causes_frame()
    fig, data = gap_by_cause_chart(frame, title="Somewhere: the gap by cause")
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Males", "Females"]
    assert list(data.columns) == ["sex", "cause", "contribution", "percent_of_gap"]
    pd.testing.assert_series_equal(data["contribution"], frame["contribution"])
    males = fig.axes[0]
    widths = [patch.get_width() for patch in males.patches]
    assert widths == pytest.approx([1.5, 4.75, -0.25])  # the negative bar goes left
    labels = [text.get_text() for text in males.texts]
    assert labels == ["1y 6m (25%)", "4y 9m (79%)", "-3m (-4%)"]
    # Labels of bars drawn left of zero still start right of zero, clear of the names.
    assert min(text.get_position()[0] for text in males.texts) > 0
    assert males.get_yticklabels()[0].get_text() == "Coronary heart disease"
    assert [t.get_text() for t in fig.axes[1].get_yticklabels()] == ["", "", ""]


def test_gap_chart_single_sex_and_alt_text() -> None:
    frame = _causes_frame()
    fig, data = gap_by_cause_chart(frame[frame["sex"] == "Females"], title="Only women")
    assert len(fig.axes) == 1
    assert data["sex"].unique().tolist() == ["Females"]
    text = describe_gap_by_cause(_causes_frame())
    assert "Males: largest is Cancer (4 years and 9 months, 79% of the gap)" in text
    assert "3 causes" in text


def test_gap_chart_refuses_an_empty_frame() -> None:
    with pytest.raises(ValueError, match="at least one row"):
        gap_by_cause_chart(_causes_frame().iloc[:0], title="Nothing")
