"""Rate ratios: hand-computed closed forms, the Poisson GLM agreeing with them, few events."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ina.errors import StatisticsError
from ina.stats import ESP2013, directly_standardised_rate
from ina.stats.rate_ratio import poisson_rate_ratios, rate_ratio


def _quintiles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "quintile": [1, 5, 2, 3, 4],
            "events": [30, 20, 25, 22, 21],
            "population": [10_000, 20_000, 15_000, 15_000, 18_000],
        }
    )


def test_crude_rate_ratio_matches_the_hand_computed_log_interval() -> None:
    # RR = (30/10,000) / (20/20,000) = 3; SE(log RR) = sqrt(1/30 + 1/20);
    # 95% limits 3·exp(∓1.959964·0.288675) = 1.703729, 5.282530.
    result = rate_ratio(
        _quintiles(), "events", "population", group="quintile", numerator=1, reference=5
    )
    row = result.iloc[0]
    assert row["value"] == pytest.approx(3.0)
    assert row["lowercl"] == pytest.approx(1.7037290739919275, rel=1e-12)
    assert row["uppercl"] == pytest.approx(5.282530032144443, rel=1e-12)
    assert row["numerator_value"] == pytest.approx(300.0)
    assert row["reference_value"] == pytest.approx(100.0)
    assert row["statistic"] == "rate ratio"
    assert row["method"] == "log interval, Poisson counts"


def test_two_confidence_levels_are_named_as_pheindicatormethods_does() -> None:
    result = rate_ratio(
        _quintiles(),
        "events",
        "population",
        group="quintile",
        numerator=1,
        reference=5,
        confidence=(95, 99.8),
    )
    assert {"lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"} <= set(result.columns)
    assert result["lower99_8cl"].iloc[0] < result["lower95_0cl"].iloc[0]
    assert result["confidence"].iloc[0] == "95%, 99.8%"


def test_proportion_ratio_uses_the_katz_interval() -> None:
    # (40/200) / (20/200) = 2; SE = sqrt(1/40 - 1/200 + 1/20 - 1/200).
    frame = pd.DataFrame({"core20": ["Core20", "rest"], "x": [40, 20], "n": [200, 200]})
    row = rate_ratio(
        frame,
        "x",
        "n",
        group="core20",
        numerator="Core20",
        reference="rest",
        statistic="proportion",
    ).iloc[0]
    assert row["value"] == pytest.approx(2.0)
    assert row["lowercl"] == pytest.approx(1.2134316869938382, rel=1e-12)
    assert row["uppercl"] == pytest.approx(3.2964360852563694, rel=1e-12)
    assert row["numerator_value"] == pytest.approx(20.0)  # percent by default
    assert row["method"] == "log interval (Katz)"


def _two_band_dsr_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "quintile": ["Q1", "Q1", "Q5", "Q5"],
            "age": ["young", "old"] * 2,
            "events": [10, 30, 5, 10],
            "population": [1000, 2000, 1000, 2000],
            "weight": [60.0, 40.0] * 2,
        }
    )


def test_ratio_of_dsrs_uses_the_dobson_variances_of_each_dsr() -> None:
    # DSR_Q1 = (60·10/1000 + 40·30/2000)/100 = 0.012, var = Σw²x/n²/W² = 4.8e-6;
    # DSR_Q5 = 0.005, var 2.2e-6; ratio 2.4, SE(log) = sqrt(4.8e-6/0.012² + 2.2e-6/0.005²).
    frame = _two_band_dsr_frame()
    row = rate_ratio(
        frame,
        "events",
        "population",
        group="quintile",
        numerator="Q1",
        reference="Q5",
        statistic="dsr",
        standard_population="weight",
        age_band="age",
    ).iloc[0]
    assert row["value"] == pytest.approx(2.4)
    assert row["lowercl"] == pytest.approx(1.2125866004116688, rel=1e-10)
    assert row["uppercl"] == pytest.approx(4.750176191988681, rel=1e-10)
    assert row["numerator_value"] == pytest.approx(1200.0)
    assert row["method"] == "log interval, Dobson variance of each DSR"


def test_each_dsr_in_the_ratio_is_the_published_dsr() -> None:
    rng = np.random.default_rng(8)
    bands = list(ESP2013.index)
    frame = pd.DataFrame(
        {
            "area": np.repeat(["A", "B"], 2 * len(bands)),
            "quintile": np.tile(np.repeat([1, 5], len(bands)), 2),
            "age_band": bands * 4,
            "population": rng.integers(500, 3000, 4 * len(bands)),
        }
    )
    frame["events"] = rng.poisson(frame["population"] * 0.01)
    result = rate_ratio(
        frame,
        "events",
        "population",
        group="quintile",
        numerator=1,
        reference=5,
        statistic="dsr",
        standard_population=ESP2013,
        age_band="age_band",
        group_by="area",
    )
    dsrs = directly_standardised_rate(
        frame,
        "events",
        "population",
        standard_population=ESP2013,
        age_band="age_band",
        group_by=["area", "quintile"],
    ).set_index(["area", "quintile"])["value"]
    assert result["area"].tolist() == ["A", "B"]
    for row in result.itertuples():
        assert row.numerator_value == pytest.approx(dsrs[(row.area, 1)], rel=1e-12)
        assert row.reference_value == pytest.approx(dsrs[(row.area, 5)], rel=1e-12)
        assert row.value == pytest.approx(dsrs[(row.area, 1)] / dsrs[(row.area, 5)])


def test_dsr_ratio_needs_every_band_on_each_side() -> None:
    frame = _two_band_dsr_frame().iloc[:3]
    with pytest.raises(StatisticsError, match="age bands"):
        rate_ratio(
            frame,
            "events",
            "population",
            group="quintile",
            numerator="Q1",
            reference="Q5",
            statistic="dsr",
            standard_population="weight",
            age_band="age",
        )


def test_ratio_of_dsrs_from_fewer_than_ten_events_is_not_published() -> None:
    frame = _two_band_dsr_frame().assign(events=[10, 30, 2, 3])
    row = rate_ratio(
        frame,
        "events",
        "population",
        group="quintile",
        numerator="Q1",
        reference="Q5",
        statistic="dsr",
        standard_population="weight",
        age_band="age",
    ).iloc[0]
    assert np.isnan(row["value"]) and np.isnan(row["lowercl"])
    assert np.isnan(row["reference_value"])
    assert row["statistic"] == "ratio of DSRs NA for a total count < 10 in a group"


def test_zero_events_give_a_missing_ratio_that_says_why() -> None:
    frame = _quintiles().assign(events=[0, 20, 25, 22, 21])
    row = rate_ratio(
        frame, "events", "population", group="quintile", numerator=1, reference=5
    ).iloc[0]
    assert np.isnan(row["value"]) and np.isnan(row["uppercl"])
    assert row["numerator_count"] == 0
    assert row["statistic"] == "rate ratio NA for zero events in a group"


def test_pooled_reference_and_guard_rails() -> None:
    frame = _quintiles()
    pooled = rate_ratio(
        frame, "events", "population", group="quintile", numerator=1, reference=[2, 3, 4, 5]
    ).iloc[0]
    assert pooled["reference_group"] == "2 + 3 + 4 + 5"
    assert pooled["reference_count"] == 88
    assert pooled["value"] == pytest.approx((30 / 10_000) / (88 / 68_000))
    with pytest.raises(StatisticsError, match="both the numerator and the reference"):
        rate_ratio(frame, "events", "population", group="quintile", numerator=1, reference=[1, 5])
    with pytest.raises(StatisticsError, match="not found"):
        rate_ratio(frame, "events", "population", group="quintile", numerator=9, reference=5)


# --- the Poisson GLM -------------------------------------------------------------------


def test_unadjusted_glm_reproduces_the_closed_form_rate_ratios() -> None:
    frame = _quintiles()
    fitted = poisson_rate_ratios(
        frame, "events", "population", "quintile", 5, confidence=(0.95, 0.998)
    ).ratios.set_index("quintile")
    for q in (1, 2, 3, 4):
        closed = rate_ratio(
            frame,
            "events",
            "population",
            group="quintile",
            numerator=q,
            reference=5,
            confidence=(0.95, 0.998),
        ).iloc[0]
        for column in ("value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"):
            assert fitted.loc[q, column] == pytest.approx(closed[column], rel=1e-7)
    assert fitted.index.tolist() == [1, 2, 3, 4, 5]
    assert fitted.loc[5, "value"] == 1.0 and fitted.loc[5, "note"] == "reference group"
    assert fitted.loc[1, "p_value"] < 0.001
    assert fitted["method"].unique().tolist() == ["Poisson GLM"]


def _synthetic_population(seed: int = 2026) -> pd.DataFrame:
    """Q1 is younger than Q5 and has twice Q5's age-specific rates; rates rise with age."""
    rng = np.random.default_rng(seed)
    bands = list(ESP2013.index)
    base_rate = 0.0005 * np.exp(0.09 * np.arange(len(bands)))
    rows = []
    for quintile, ratio in zip([1, 2, 3, 4, 5], [2.0, 1.7, 1.4, 1.2, 1.0], strict=True):
        ageing = np.linspace(1.6, 0.4, len(bands)) ** (1 if quintile < 3 else -1)
        population = np.round(20_000 * ageing).astype(int)
        events = rng.poisson(population * base_rate * ratio)
        rows.append(
            pd.DataFrame(
                {
                    "quintile": quintile,
                    "age_band": bands,
                    "population": population,
                    "events": events,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def test_age_adjusted_glm_agrees_with_the_ratio_of_dsrs_and_differs_from_the_crude() -> None:
    frame = _synthetic_population()
    adjusted = poisson_rate_ratios(
        frame, "events", "population", "quintile", 5, adjust_for=["age_band"]
    ).ratios.set_index("quintile")
    dsr_ratio = rate_ratio(
        frame,
        "events",
        "population",
        group="quintile",
        numerator=1,
        reference=5,
        statistic="dsr",
        standard_population=ESP2013,
        age_band="age_band",
    ).iloc[0]
    crude = rate_ratio(
        frame, "events", "population", group="quintile", numerator=1, reference=5
    ).iloc[0]
    assert adjusted.loc[1, "value"] == pytest.approx(dsr_ratio["value"], rel=0.06)
    assert adjusted.loc[1, "value"] == pytest.approx(2.0, rel=0.1)
    # The younger Q1 hides its higher rates in a crude comparison: adjustment matters.
    assert crude["value"] < 1.5
    assert adjusted.loc[1, "statistic"] == "rate ratio adjusted for age_band"
    assert np.isfinite(adjusted.loc[1, "dispersion"])


def test_trend_across_ordered_quintiles() -> None:
    frame = _synthetic_population()
    trend = poisson_rate_ratios(
        frame, "events", "population", "quintile", 5, adjust_for=["age_band"]
    ).trend.iloc[0]
    assert trend["order"] == "1 < 2 < 3 < 4 < 5"
    assert trend["value"] < 1 and trend["p_value"] < 0.001
    flat = _quintiles().assign(
        events=[20, 20, 30, 30, 36], population=[10_000, 10_000, 15_000, 15_000, 18_000]
    )
    flat_trend = poisson_rate_ratios(flat, "events", "population", "quintile", 5).trend.iloc[0]
    assert flat_trend["p_value"] > 0.5


def test_zero_event_group_gets_ratio_zero_with_no_interval_and_is_left_out_of_the_fit() -> None:
    frame = _quintiles().assign(events=[30, 20, 0, 22, 3])
    result = poisson_rate_ratios(frame, "events", "population", "quintile", 5).ratios
    row = result.set_index("quintile").loc[2]
    assert row["value"] == 0.0
    assert np.isnan(row["lowercl"]) and np.isnan(row["p_value"])
    assert row["note"].startswith("no events")
    few = result.set_index("quintile").loc[4]
    assert few["note"] == "fewer than 10 events: interval approximate"
    # The other ratios are unaffected by the empty group.
    assert result.set_index("quintile").loc[1, "value"] == pytest.approx(3.0)


def test_zero_event_reference_raises() -> None:
    frame = _quintiles().assign(events=[30, 0, 25, 22, 21])
    with pytest.raises(StatisticsError, match="reference group 5 has no events"):
        poisson_rate_ratios(frame, "events", "population", "quintile", 5)


def test_age_band_without_any_events_does_not_change_the_adjusted_ratios() -> None:
    frame = _synthetic_population()
    empty_band = frame[frame["age_band"] == "0-4"].assign(age_band="extra", events=0)
    with_empty = pd.concat([frame, empty_band], ignore_index=True)
    first = poisson_rate_ratios(
        frame, "events", "population", "quintile", 5, adjust_for=["age_band"]
    )
    second = poisson_rate_ratios(
        with_empty, "events", "population", "quintile", 5, adjust_for=["age_band"]
    )
    np.testing.assert_allclose(first.ratios["value"], second.ratios["value"], rtol=1e-9)


def test_quasi_poisson_widens_intervals_under_overdispersion() -> None:
    rng = np.random.default_rng(3)
    frame = _synthetic_population()
    # Multiply counts by a gamma frailty per cell: variance well above the mean.
    frame["events"] = rng.poisson(frame["events"] * rng.gamma(2.0, 0.5, len(frame)) + 0.01)
    poisson = poisson_rate_ratios(
        frame, "events", "population", "quintile", 5, adjust_for=["age_band"]
    ).ratios.set_index("quintile")
    quasi = poisson_rate_ratios(
        frame, "events", "population", "quintile", 5, adjust_for=["age_band"], scale="pearson"
    ).ratios.set_index("quintile")
    assert quasi.loc[1, "value"] == pytest.approx(poisson.loc[1, "value"])
    assert quasi.loc[1, "dispersion"] > 1
    width = lambda r: np.log(r["uppercl"]) - np.log(r["lowercl"])  # noqa: E731
    assert width(quasi.loc[1]) == pytest.approx(
        width(poisson.loc[1]) * np.sqrt(quasi.loc[1, "dispersion"]), rel=1e-6
    )
    assert quasi.loc[1, "method"] == "quasi-Poisson GLM (Pearson scale)"


def test_quasi_poisson_on_a_saturated_model_raises() -> None:
    with pytest.raises(StatisticsError, match="saturated"):
        poisson_rate_ratios(_quintiles(), "events", "population", "quintile", 5, scale="pearson")


def test_group_by_fits_one_model_per_area() -> None:
    frame = pd.concat(
        [_quintiles().assign(area="A"), _quintiles().assign(area="B", events=[40, 20, 25, 22, 21])]
    )
    result = poisson_rate_ratios(frame, "events", "population", "quintile", 5, group_by="area")
    q1 = result.ratios[result.ratios["quintile"] == 1].set_index("area")["value"]
    assert q1["A"] == pytest.approx(3.0) and q1["B"] == pytest.approx(4.0)
    assert result.trend["area"].tolist() == ["A", "B"]
    assert list(result.ratios.columns[:3]) == ["area", "quintile", "reference"]
