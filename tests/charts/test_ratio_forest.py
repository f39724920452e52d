"""The forest plot of most vs least deprived rate ratios (JFP Figure 5)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ina.charts.ratios import describe_ratios, ratio_forest
from ina.publishing import figure_png


def _ratios() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Smoking at delivery (%)", "Infant mortality", "A&E attendances"],
            "ratio": [4.29, np.nan, 1.39],
            "lower_95": [3.41, np.nan, 1.38],
            "upper_95": [5.41, np.nan, 1.39],
            "jfp_ratio": [3.0, 1.7, np.nan],
        }
    )


def test_the_ratio_axis_is_labelled_with_plain_round_ratios_that_do_not_collide() -> None:
    fig, data = ratio_forest(_ratios())
    figure_png(fig, dpi=60)  # lays the figure out, as publishing does
    ax = fig.axes[0]
    labels = [tick.get_text() for tick in ax.get_xticklabels() if tick.get_text()]
    assert "1" in labels and "2" in labels and "5" in labels
    assert all("10^" not in label and "times" not in label for label in labels)
    assert not [tick.get_text() for tick in ax.get_xticklabels(minor=True) if tick.get_text()]
    assert list(data.columns) == ["label", "ratio", "lower_95", "upper_95", "jfp_ratio"]


def test_alt_text_counts_the_ratios_whose_interval_excludes_one() -> None:
    _, data = ratio_forest(_ratios())
    text = describe_ratios(data, area_name="West Norfolk")
    assert "2 rate ratios for West Norfolk" in text
    assert "2 have a 95% interval that excludes 1" in text
    assert "Smoking at delivery (%): 4.29 times" in text
    empty = describe_ratios(data.assign(ratio=np.nan), area_name="West Norfolk")
    assert empty == "No most-versus-least-deprived ratio could be published for West Norfolk."


def test_plain_log_axis_labels_one_two_five_steps_inside_the_limits() -> None:
    from matplotlib.figure import Figure

    from ina.charts._style import plain_log_axis

    ax = Figure().subplots()
    ax.set_xscale("log")
    ax.set_xlim(800, 30_000)
    ticks = plain_log_axis(ax)
    assert ticks == [1_000, 2_000, 5_000, 10_000, 20_000]
    assert [ax.xaxis.get_major_formatter()(tick) for tick in ticks[:2]] == ["1,000", "2,000"]
    assert ax.xaxis.get_minor_formatter()(3_000) == ""
