"""Fingertips recent trends: labels, the two tests, validity rules and errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from ina.errors import StatisticsError
from ina.stats.trends import TREND_CHI_SQUARED_THRESHOLD, TREND_LABELS, recent_trend


def _series(
    values: list[float],
    *,
    area: str = "A",
    start: int = 2015,
    half_width: float = 0.5,
    denominator: float = 1000.0,
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": area,
            "year": [start + i for i in range(len(values))],
            "value": values,
            "lower": [v - half_width for v in values],
            "upper": [v + half_width for v in values],
            "count": [v / 100 * denominator for v in values],
            "denominator": denominator,
        }
    )


def _regression(frame: pd.DataFrame, polarity: str = "high is good", **kwargs) -> pd.DataFrame:
    return recent_trend(
        frame,
        "year",
        polarity,
        value="value",
        lower="lower",
        upper="upper",
        group_by="area",
        **kwargs,
    )


def _chi(frame: pd.DataFrame, polarity: str = "high is good", **kwargs) -> pd.DataFrame:
    return recent_trend(
        frame,
        "year",
        polarity,
        method="proportion",
        count="count",
        denominator="denominator",
        group_by="area",
        **kwargs,
    )


def test_threshold_is_fingertips_constant() -> None:
    assert abs(TREND_CHI_SQUARED_THRESHOLD - 9.54953570608324) < 1e-12


def test_labels_are_exactly_fingertips_words() -> None:
    assert set(TREND_LABELS) == {
        "Increasing and getting better",
        "Increasing and getting worse",
        "Decreasing and getting better",
        "Decreasing and getting worse",
        "Increasing",
        "Decreasing",
        "No significant change",
        "Cannot be calculated",
    }


@pytest.mark.parametrize("run", [_regression, _chi])
def test_fingertips_label_cases(run) -> None:
    frame = pd.concat(
        [
            _series([10, 12, 14, 16, 18], area="rising"),
            _series([18, 16, 14, 12, 10], area="falling"),
            _series([10, 10, 10, 10, 10], area="flat"),
            _series([10, 12, 14, 16], area="four points"),
        ]
    )
    high = run(frame, "high is good").set_index("area")["trend"]
    assert high["rising"] == "Increasing and getting better"
    assert high["falling"] == "Decreasing and getting worse"
    assert high["flat"] == "No significant change"
    assert high["four points"] == "Cannot be calculated"
    low = run(frame, "low is good").set_index("area")["trend"]
    assert low["rising"] == "Increasing and getting worse"
    assert low["falling"] == "Decreasing and getting better"
    neutral = run(frame, "no judgement").set_index("area")["trend"]
    assert neutral["rising"] == "Increasing"
    assert neutral["falling"] == "Decreasing"


def test_uses_only_the_five_most_recent_points() -> None:
    # A long fall then five rising points: the trend is the recent rise.
    frame = _series([30, 25, 20, 15, 10, 12, 14, 16, 18])
    result = _regression(frame)
    assert result["trend"].iloc[0] == "Increasing and getting better"
    assert (result["first_period"].iloc[0], result["last_period"].iloc[0]) == (2019, 2023)


@pytest.mark.parametrize("run", [_regression, _chi])
def test_gaps_give_a_trend_by_default_and_cannot_be_calculated_if_consecutive_required(
    run,
) -> None:
    # Fingertips' rule: the 5 most recent points, whatever their spacing.
    frame = _series([10, 12, 14, 16, 18])
    frame.loc[4, "year"] = 2021  # gap: 2018 -> 2021 (2019 and 2020 have no row)
    default = run(frame)
    assert default["trend"].iloc[0] == "Increasing and getting better"
    assert default["trend_note"].iloc[0] == ""
    assert (default["first_period"].iloc[0], default["last_period"].iloc[0]) == (2015, 2021)
    strict = run(frame, require_consecutive=True)
    assert strict["trend"].iloc[0] == "Cannot be calculated"
    assert "consecutive" in strict["trend_note"].iloc[0]
    assert np.isnan(strict["chi_squared"].iloc[0])


@pytest.mark.parametrize("run", [_regression, _chi])
def test_gapped_points_are_scored_one_to_five_not_by_period(run) -> None:
    # Fingertips numbers the 5 most recent points 1..5 in date order, so uneven gaps give
    # exactly the statistics of the same values in consecutive years.
    values = [10, 11, 13, 14, 17]
    consecutive = _series(values, start=2017)
    gapped = consecutive.assign(year=[2008, 2012, 2013, 2018, 2021])
    a, b = run(consecutive), run(gapped)
    assert a["trend"].iloc[0] == b["trend"].iloc[0] == "Increasing and getting better"
    assert b["chi_squared"].iloc[0] == pytest.approx(a["chi_squared"].iloc[0], rel=1e-12)
    assert b["slope"].iloc[0] == pytest.approx(a["slope"].iloc[0], rel=1e-12)


def test_gap_before_the_five_most_recent_points_is_ignored() -> None:
    # Older points beyond the 5 most recent do not matter, gapped or not.
    frame = _series([40, 10, 12, 14, 16, 18])
    frame.loc[0, "year"] = 2000
    for consecutive in (False, True):
        result = _regression(frame, require_consecutive=consecutive)
        assert result["trend"].iloc[0] == "Increasing and getting better"
        assert result["first_period"].iloc[0] == 2016


def test_missing_counts_or_limits_cannot_be_calculated() -> None:
    frame = _series([10, 12, 14, 16, 18])
    frame.loc[2, "count"] = np.nan
    frame.loc[3, "upper"] = np.nan
    assert _chi(frame)["trend_note"].iloc[0] == "missing count or denominator"
    assert _regression(frame)["trend_note"].iloc[0] == "missing value or confidence limits"
    assert (_chi(frame)["trend"] == "Cannot be calculated").all()


def test_zero_count_cannot_be_calculated_for_proportions() -> None:
    frame = _series([0, 12, 14, 16, 18])
    result = _chi(frame)
    assert result["trend"].iloc[0] == "Cannot be calculated"
    assert "logit" in result["trend_note"].iloc[0]


def test_one_outlier_year_does_not_make_a_trend() -> None:
    # Flat except a jump in the last year: significant overall, but leaving the last point
    # out gives a slope of the opposite sign, so Fingertips' robustness check rejects it.
    frame = _series([10.4, 10.2, 10.0, 9.8, 30.0], half_width=0.3)
    result = _regression(frame)
    assert result["chi_squared"].iloc[0] > TREND_CHI_SQUARED_THRESHOLD
    assert result["trend"].iloc[0] == "No significant change"


def test_chi_squared_matches_regression_sum_of_squares_form() -> None:
    """Independent check: Armitage's test as the regression sum of squares of p on t."""
    counts = np.array([120.0, 131.0, 150.0, 149.0, 171.0])
    denominators = np.array([1000.0, 1010.0, 1040.0, 990.0, 1020.0])
    frame = pd.DataFrame(
        {"area": "A", "year": range(2015, 2020), "count": counts, "denominator": denominators}
    )
    result = _chi(frame)
    p = counts / denominators
    pooled = counts.sum() / denominators.sum()
    weights = denominators / (pooled * (1 - pooled))
    t = np.arange(1, 6, dtype=float)
    fit = sm.WLS(p, sm.add_constant(t), weights=weights).fit()
    fitted = fit.fittedvalues
    expected = np.sum(weights * (fitted - np.average(p, weights=weights)) ** 2)
    assert result["chi_squared"].iloc[0] == pytest.approx(expected, rel=1e-10)
    assert result["slope"].iloc[0] == pytest.approx(fit.params[1], rel=1e-10)


def test_weighted_regression_matches_statsmodels() -> None:
    values = np.array([50.0, 52.5, 51.0, 55.0, 57.0])
    half = np.array([1.0, 1.5, 1.2, 2.0, 1.1])
    frame = pd.DataFrame(
        {
            "area": "A",
            "year": range(2015, 2020),
            "value": values,
            "lower": values - half,
            "upper": values + half,
        }
    )
    result = _regression(frame)
    se = 2 * half / 3.92
    fit = sm.WLS(values, sm.add_constant(np.arange(1, 6.0)), weights=1 / se**2).fit(
        cov_type="fixed scale"
    )
    assert result["slope"].iloc[0] == pytest.approx(fit.params[1], rel=1e-10)
    assert result["chi_squared"].iloc[0] == pytest.approx(
        (fit.params[1] / fit.bse[1]) ** 2, rel=1e-10
    )


def test_grouped_over_many_series_with_per_row_method_and_polarity() -> None:
    frame = pd.concat(
        [
            _series([10, 12, 14, 16, 18], area="A").assign(kind="rate", pol="low is good"),
            _series([10, 12, 14, 16, 18], area="B").assign(kind="proportion", pol="high"),
        ]
    )
    result = recent_trend(
        frame,
        "year",
        "pol",
        method="kind",
        value="value",
        lower="lower",
        upper="upper",
        count="count",
        denominator="denominator",
        group_by="area",
    )
    assert result["area"].tolist() == ["A", "B"]
    assert result["trend"].tolist() == [
        "Increasing and getting worse",
        "Increasing and getting better",
    ]
    assert result["trend_method"].tolist() == ["weighted_regression", "chi_squared"]


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(st.floats(1, 90), min_size=5, max_size=5),
    half=st.floats(0.1, 5),
)
def test_flipping_polarity_swaps_better_and_worse(values: list[float], half: float) -> None:
    frame = _series(values, half_width=half)
    high = _regression(frame, "high is good")["trend"].iloc[0]
    low = _regression(frame, "low is good")["trend"].iloc[0]
    swap = {
        "Increasing and getting better": "Increasing and getting worse",
        "Decreasing and getting worse": "Decreasing and getting better",
        "No significant change": "No significant change",
    }
    assert low == swap[high]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.assign(count=-f["count"]), "negative"),
        (lambda f: f.assign(count=f["denominator"] + 1), "larger than"),
        (lambda f: f.assign(lower=f["upper"] + 1), "above upper"),
        (lambda f: pd.concat([f, f.iloc[[0]]]), "twice"),
    ],
)
def test_bad_input_raises(change, message: str) -> None:
    frame = change(_series([10, 12, 14, 16, 18]))
    with pytest.raises(StatisticsError, match=message):
        recent_trend(
            frame,
            "year",
            "high is good",
            method="proportion",
            value="value",
            lower="lower",
            upper="upper",
            count="count",
            denominator="denominator",
            group_by="area",
        )


def test_unknown_polarity_or_method_raises() -> None:
    frame = _series([10, 12, 14, 16, 18])
    with pytest.raises(StatisticsError, match="polarity"):
        _regression(frame, "sideways")
    with pytest.raises(StatisticsError, match="method"):
        recent_trend(
            frame, "year", "high", method="spline", value="value", lower="lower", upper="upper"
        )
    with pytest.raises(StatisticsError, match="count= and denominator="):
        recent_trend(frame, "year", "high", method="chi_squared")
