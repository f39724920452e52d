"""The indicator engine against values worked out by hand on the tiny world (conftest.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ina.indicators import load_catalogue
from ina.indicators.engine import EngineInputs, annual_series, compute_indicators
from ina.stats import ESP2013, life_expectancy, proportion

COMMON = """
    phrase: it
    section: population
    definition: Test.
    age: All ages
    period: Test
    standardisation: none
    unit: x
    decimals: 1
    polarity: no judgement
"""


def _catalogue(tmp_path: Path, entries: str) -> object:
    path = tmp_path / "population.yml"
    path.write_text("indicators:\n" + entries, encoding="utf-8")
    return load_catalogue(path)


def _entry(indicator_id: str, statistic: str, numerator: str, denominator: str, sources: str,
           multiplier: float = 100, extra: str = "") -> str:  # fmt: skip
    return (
        f"  - id: {indicator_id}\n    short_name: {indicator_id}\n    statistic: {statistic}\n"
        f"    multiplier: {multiplier}\n    sources: [{sources}]\n"
        f"    numerator: {numerator}\n    denominator: {denominator}\n{extra}" + COMMON
    )


def _values(results: pd.DataFrame, indicator_id: str, column: str = "value") -> dict[str, float]:
    rows = results[results["indicator_id"] == indicator_id]
    return dict(zip(rows["area_id"], rows[column].astype(float), strict=True))


@pytest.fixture()
def results(tiny_inputs: EngineInputs, tmp_path: Path) -> pd.DataFrame:
    catalogue = _catalogue(
        tmp_path,
        _entry(
            "residents",
            "count",
            "{text: r, source: resident_population}",
            "none",
            "resident_population",
            1,
            "    england: computed\n",
        )
        + _entry(
            "older",
            "proportion_wilson",
            "{text: o, source: resident_population, where: {age: {at_least: 65}}}",
            "{text: a, source: resident_population}",
            "resident_population",
            100,
            "    england: computed\n",
        )
        + _entry(
            "lbw",
            "proportion_wilson",
            "{text: l, source: births, where: {birth_weight_g: {below: 2500}}}",
            "{text: s, source: births, where: {birth_weight_g: stated}}",
            "births",
            100,
            "    trend: true\n",
        )
        + _entry(
            "birth_rate",
            "crude_rate",
            "{text: b, source: births}",
            "{text: r, source: resident_population}",
            "births, resident_population",
            1000,
        )
        + _entry(
            "gfr",
            "crude_rate",
            "{text: b, source: births}",
            "{text: w, source: resident_population, "
            "where: {sex: female, age: {between: [15, 44]}}}",
            "births, resident_population",
            1000,
        )
        + _entry(
            "core20",
            "proportion_wilson",
            "{text: c, source: resident_population, where: {imd_decile: [1, 2]}}",
            "{text: r, source: resident_population}",
            "resident_population, deprivation",
        )
        + _entry(
            "registered_per_100",
            "ratio",
            "{text: p, source: registered_by_age}",
            "{text: r, source: resident_population}",
            "registered_by_age, resident_population",
        )
        + _entry(
            "patients",
            "count",
            "{text: p, source: registered_by_age}",
            "none",
            "registered_by_age",
            1,
        )
        + _entry(
            "mortality",
            "dsr_esp2013",
            "{text: d, source: deaths}",
            "{text: r, source: resident_population}",
            "deaths, resident_population",
            100000,
        )
        + _entry(
            "mortality_u75",
            "dsr_esp2013",
            "{text: d, source: deaths, where: {age: {below: 75}}}",
            "{text: r, source: resident_population, where: {age: {below: 75}}}",
            "deaths, resident_population",
            100000,
            "    age_range: [0, 74]\n",
        )
        + _entry(
            "le_female",
            "life_expectancy_chiang",
            "{text: d, source: deaths, where: {sex: female}}",
            "{text: r, source: resident_population, where: {sex: female}}",
            "deaths, resident_population",
            1,
        )
        + _entry(
            "circulatory",
            "count",
            "{text: d, source: deaths, where: {underlying_cause: {icd10: [I00-I99]}}}",
            "none",
            "deaths",
            1,
        ),
    )
    return compute_indicators(tiny_inputs, catalogue)


def test_counts_reach_every_area_of_their_geography(results: pd.DataFrame) -> None:
    assert _values(results, "residents") == {
        "england": 1000, "icb": 20000, "26A": 8000, "06L": 12000, "north": 8000, "south": 12000,
    }  # fmt: skip
    # Practice-born data also reach PCNs and practices.
    patients = _values(results, "patients")
    assert patients["icb"] == 3650 and patients["N1"] == 1550 and patients["S1"] == 2100
    assert patients["P1"] == 1100 and patients["north"] == 1550 and patients["26A"] == 1550


def test_proportions_are_wilson_on_the_area_totals(results: pd.DataFrame) -> None:
    older = results[results["indicator_id"] == "older"].set_index("area_id")
    assert older.loc["icb", "value"] == pytest.approx(6000 / 20000 * 100)
    assert older.loc["england", "value"] == pytest.approx(30.0)  # from the national twin
    expected = proportion(
        pd.DataFrame({"x": [6000], "n": [20000]}), "x", "n", multiplier=100,
        confidence=(0.95, 0.998),
    ).iloc[0]  # fmt: skip
    assert older.loc["icb", "lower_95"] == pytest.approx(expected["lower95_0cl"])
    assert older.loc["icb", "upper_99_8"] == pytest.approx(expected["upper99_8cl"])
    # Low birth weight: 3 of the 18 births with a stated weight (one not stated).
    lbw = _values(results, "lbw")
    assert lbw["icb"] == pytest.approx(3 / 18 * 100)
    assert lbw["north"] == pytest.approx(3 / 14 * 100)
    assert lbw["south"] == 0.0
    assert _values(results, "lbw", "denominator")["icb"] == 18
    assert _values(results, "core20") == pytest.approx(
        {"icb": 40.0, "26A": 100.0, "06L": 0.0, "north": 100.0, "south": 0.0}
    )


def test_pooled_rates_use_person_years(results: pd.DataFrame) -> None:
    rates = results[results["indicator_id"] == "birth_rate"].set_index("area_id")
    assert rates.loc["icb", "period"] == "2023-24"
    assert rates.loc["icb", "denominator"] == 40000  # 20,000 residents × 2 years
    assert rates.loc["icb", "value"] == pytest.approx(19 / 40000 * 1000)
    assert rates.loc["south", "value"] == pytest.approx(4 / 24000 * 1000)
    # Women aged 15-44: 3,000 (500 at each of the ages 15, 20, ... 40) × 2 years.
    assert _values(results, "gfr")["icb"] == pytest.approx(19 / 6000 * 1000)


def test_a_ratio_of_practice_patients_to_residents(results: pd.DataFrame) -> None:
    ratio = _values(results, "registered_per_100")
    assert ratio["icb"] == pytest.approx(3650 / 20000 * 100)
    assert ratio["north"] == pytest.approx(1550 / 8000 * 100)
    assert ratio["south"] == pytest.approx(2100 / 12000 * 100)
    assert "N1" not in ratio  # a PCN has patients but no residents


def test_dsr_by_hand_and_the_fewer_than_10_rule(results: pd.DataFrame) -> None:
    weights = ESP2013.astype(float)
    # ICB 2024: 3 deaths at 30-34, 12 at 80-84, 20 at 90+; 1,000 residents in each band.
    expected = (weights["30-34"] * 3 + weights["80-84"] * 12 + weights["90+"] * 20) / 1000
    assert _values(results, "mortality")["icb"] == pytest.approx(expected / weights.sum() * 1e5)
    # Under 75: only the 3 deaths at 30 — fewer than 10, so no rate is published.
    assert np.isnan(_values(results, "mortality_u75")["icb"])
    assert _values(results, "mortality_u75", "numerator")["icb"] == 3


def test_life_expectancy_matches_a_direct_life_table(results: pd.DataFrame) -> None:
    starts = [0, 1, *range(5, 95, 5)]
    people = dict.fromkeys(starts, 500)  # females of the ICB: 500 in every band
    deaths = {80: 6, 90: 10}
    table = pd.DataFrame(
        {
            "start_age": starts,
            "population": [float(people[s]) for s in starts],
            "deaths": [float(deaths.get(s, 0)) for s in starts],
        }
    )
    direct = life_expectancy(
        table, "deaths", "population", "start_age", le_age=0, confidence=(0.95, 0.998)
    ).iloc[0]
    # So few deaths give a 95% interval wider than 20 years: the value is withheld (as
    # PHEindicatormethods does) and the limits are kept, so compare those.
    assert np.isnan(direct["value"]) and np.isnan(_values(results, "le_female")["icb"])
    assert _values(results, "le_female", "lower_95")["icb"] == pytest.approx(direct["lower95_0cl"])
    assert _values(results, "le_female", "upper_99_8")["icb"] == pytest.approx(
        direct["upper99_8cl"]
    )
    assert _values(results, "le_female", "numerator")["icb"] == 16


def test_icd10_filters_count_the_right_causes(results: pd.DataFrame) -> None:
    assert _values(results, "circulatory") == {"icb": 12, "26A": 12, "north": 12}


def test_annual_series_per_year(tiny_inputs: EngineInputs, tmp_path: Path) -> None:
    catalogue = _catalogue(
        tmp_path,
        _entry("lbw", "proportion_wilson",
               "{text: l, source: births, where: {birth_weight_g: {below: 2500}}}",
               "{text: s, source: births, where: {birth_weight_g: stated}}", "births", 100,
               "    trend: true\n")
        + _entry("birth_rate", "crude_rate", "{text: b, source: births}",
                 "{text: r, source: resident_population}", "births, resident_population", 1000,
                 "    trend: true\n"),
    )  # fmt: skip
    series = annual_series(tiny_inputs, catalogue)
    icb = series[series["area_id"] == "icb"].set_index(["indicator_id", "year"])
    assert icb.loc[("lbw", 2023), "value"] == pytest.approx(2 / 9 * 100)
    assert icb.loc[("lbw", 2024), "value"] == pytest.approx(1 / 9 * 100)
    # Each year divides by the one population estimate (not × years).
    assert icb.loc[("birth_rate", 2023), "value"] == pytest.approx(10 / 20000 * 1000)
    assert icb.loc[("birth_rate", 2024), "denominator"] == 20000
    # A year with no births in an area is a zero, not a gap.
    south = series[(series["area_id"] == "south") & (series["indicator_id"] == "birth_rate")]
    assert south.set_index("year").loc[2023, "numerator"] == 0


def test_indicators_whose_sources_are_missing_are_left_out(
    tiny_inputs: EngineInputs, tmp_path: Path
) -> None:
    catalogue = _catalogue(
        tmp_path,
        _entry("activity", "count", "{text: a, source: hospital_activity}", "none",
               "hospital_activity", 1),
    )  # fmt: skip
    assert compute_indicators(tiny_inputs, catalogue).empty


def test_a_denominator_can_include_its_numerator(tiny_inputs: EngineInputs, tmp_path: Path) -> None:
    """Stillbirths per 1,000 total births: live births plus the stillbirths themselves.
    Here the low-weight births stand in for stillbirths: X1+X3 have 19 births, 3 low."""
    catalogue = _catalogue(
        tmp_path,
        _entry(
            "per_total",
            "crude_rate",
            "{text: l, source: births, where: {birth_weight_g: {below: 2500}}}",
            "{text: b, source: births}",
            "births",
            1000,
            "    parameters: {denominator_includes_numerator: true}\n",
        )
        + _entry(
            "per_live",
            "crude_rate",
            "{text: l, source: births, where: {birth_weight_g: {below: 2500}}}",
            "{text: b, source: births}",
            "births",
            1000,
        ),
    )
    out = compute_indicators(tiny_inputs, catalogue)
    assert _values(out, "per_live", "denominator")["icb"] == 19
    assert _values(out, "per_total", "denominator")["icb"] == 19 + 3
    assert _values(out, "per_total")["icb"] == pytest.approx(3 / 22 * 1000)


def test_the_latest_three_years_are_pooled(tiny_inputs: EngineInputs, tmp_path: Path) -> None:
    """The tiny births span 2023-24: three latest years keep both, the latest year one."""
    catalogue = _catalogue(
        tmp_path,
        _entry(
            "three",
            "count",
            "{text: b, source: births}",
            "none",
            "births",
            1,
            "    pooling: last_3_years\n",
        )
        + _entry(
            "latest",
            "count",
            "{text: b, source: births}",
            "none",
            "births",
            1,
            "    pooling: latest_year\n",
        ),
    )
    out = compute_indicators(tiny_inputs, catalogue).set_index(["indicator_id", "area_id"])
    assert out.loc[("three", "icb"), "value"] == 19
    assert out.loc[("three", "icb"), "period"] == "2023-24"
    assert out.loc[("latest", "icb"), "value"] == 9
    assert out.loc[("latest", "icb"), "period"] == "2024"
