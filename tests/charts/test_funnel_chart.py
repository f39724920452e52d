"""The practice funnel chart: limits from ina.stats.funnel, outliers named, alt text counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ina.charts.funnel import FUNNEL_WORDS, funnel_chart
from ina.errors import StatisticsError
from ina.publishing import figure_png
from ina.stats.funnel import HIGH_998, LOW_998


def _practices() -> pd.DataFrame:
    # Ten ordinary practices at 70%, one far above and one far below, one without data.
    names = [f"P{i:02d}" for i in range(10)] + ["High Street", "Low Lane", "No Data"]
    register = [500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400, 1000, 1000, 300]
    reviewed = [350, 420, 490, 560, 630, 700, 770, 840, 910, 980, 900, 500, np.nan]
    return pd.DataFrame({"practice": names, "reviewed": reviewed, "register": register})


def _draw(frame: pd.DataFrame | None = None):
    return funnel_chart(
        _practices() if frame is None else frame,
        label="practice",
        numerator="reviewed",
        denominator="register",
        title="COPD reviews",
        axis_label="% reviewed",
        what="COPD reviews",
    )


def test_table_has_each_practice_with_its_limits_and_significance_in_words() -> None:
    data = _draw().data
    assert (
        data["practice"].tolist()[0] == "High Street"
        and data["practice"].tolist()[-1] == "Low Lane"
    )
    assert "No Data" not in set(data["practice"])
    assert not data.isna().any().any()
    baseline = (8050 / 11500) * 100  # pooled over the 12 practices with data: 70%
    assert data["baseline"].unique() == pytest.approx([baseline])
    row = data.set_index("practice").loc["P05"]
    spread = 1.959963984540054 * np.sqrt(baseline / 100 * (1 - baseline / 100) / 1000) * 100
    assert row["lower_95"] == pytest.approx(baseline - spread)
    assert row["upper_95"] == pytest.approx(baseline + spread)
    significance = data.set_index("practice")["significance"]
    assert significance["High Street"] == FUNNEL_WORDS[HIGH_998]
    assert significance["Low Lane"] == FUNNEL_WORDS[LOW_998]
    assert set(data["significance"]) <= set(FUNNEL_WORDS.values())


def test_outliers_are_named_on_the_chart() -> None:
    ax = _draw().figure.axes[0]
    texts = [text.get_text() for text in ax.texts]
    assert "High Street" in texts and "Low Lane" in texts
    assert "P05" not in texts
    assert any(text.startswith("ICB: 70.0%") for text in texts)


def test_alt_text_counts_practices_where_they_fall() -> None:
    text = _draw().alt_text
    assert text.startswith("Funnel plot of COPD reviews for 12 practices")
    assert "ICB value of 70.0%" in text
    assert "1 above the 99.8% limit (High Street)" in text
    assert "1 below the 99.8% limit (Low Lane)" in text
    assert "1 practice without data not shown." in text


def test_funnel_png_is_deterministic() -> None:
    assert figure_png(_draw().figure, dpi=60) == figure_png(_draw().figure, dpi=60)


def test_funnel_needs_practices() -> None:
    with pytest.raises(StatisticsError, match="at least two"):
        _draw(_practices().iloc[:1])
    with pytest.raises(StatisticsError, match="missing column"):
        _draw(_practices().drop(columns="register"))
