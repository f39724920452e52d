"""Population chapter computations on small hand-made frames with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ina.chapters import population as chapter
from ina.errors import StatisticsError


def _single_years(per_age: float = 10.0, ages: range = range(91)) -> pd.DataFrame:
    return pd.DataFrame(
        [(sex, age, per_age) for sex in ("female", "male") for age in ages],
        columns=["sex", "age", "population"],
    )


def test_pyramid_percentages_sum_to_100_per_area() -> None:
    area = _single_years(10.0)
    comparator = _single_years(1000.0, range(0, 60))
    pyramid = chapter.resident_pyramid(area, comparator, area_name="A", comparator_name="B")
    totals = pyramid.groupby("area")["percent"].sum()
    assert totals["A"] == pytest.approx(100)
    assert totals["B"] == pytest.approx(100)
    assert len(pyramid) == 2 * 2 * 19
    # Uniform ages 0-90: band 0-4 holds 5 of 91 single years per sex.
    first = pyramid[(pyramid["area"] == "A") & (pyramid["age_band"] == "0-4")]
    assert first["percent"].tolist() == pytest.approx([5 / 182 * 100] * 2)
    # Comparator has nobody over 59: those bands are present with 0.
    old = pyramid[(pyramid["area"] == "B") & (pyramid["age_band"] == "90+")]
    assert old["population"].tolist() == [0, 0]


def test_median_age_interpolates_within_the_year() -> None:
    # 100 people aged 30 and 100 aged 40: half (100) is reached at the end of age 30.
    frame = pd.DataFrame({"age": [30, 40], "population": [100, 100]})
    assert chapter.median_age(frame).iloc[0] == pytest.approx(31.0)
    frame = pd.DataFrame({"age": [20, 21], "population": [50, 150]})
    # half = 100: 50 before age 21, 50 more of its 150 → 21 + 1/3.
    assert chapter.median_age(frame).iloc[0] == pytest.approx(21 + 1 / 3)


def test_population_by_place_profiles_and_totals() -> None:
    population = pd.DataFrame(
        {
            "lsoa_code": ["X1", "X1", "X2", "X2"],
            "sex": ["female", "male", "female", "male"],
            "age": [70, 10, 90, 30],
            "population": [30, 70, 10, 90],
        }
    )
    small_areas = pd.DataFrame({"lsoa_code": ["X1", "X2"], "place_name": ["North", "South"]})
    comparator = pd.DataFrame({"age": [50], "sex": ["female"], "population": [1000]})
    table = chapter.population_by_place(
        population,
        small_areas,
        group_column="place_name",
        total_name="ICB",
        comparators={"England": comparator},
    )
    assert table["name"].tolist() == ["North", "South", "ICB", "England"]
    assert table["residents"].tolist() == [100, 100, 200, 1000]
    assert table["percent_65_plus"].tolist() == pytest.approx([30, 10, 20, 0])
    assert table["percent_85_plus"].tolist() == pytest.approx([0, 10, 5, 0])
    assert table["percent_of_area"].iloc[:3].tolist() == pytest.approx([50, 50, 100])
    assert np.isnan(table["percent_of_area"].iloc[3])


def test_registered_vs_resident_by_broad_group() -> None:
    registered = pd.DataFrame(
        {"sex": "female", "age": [5, 40, 70, 95], "patients": [10, 60, 20, 15]}
    )
    resident = pd.DataFrame(
        {"sex": "female", "age": [5, 40, 70, 90], "population": [10, 50, 20, 10]}
    )
    table = chapter.registered_vs_resident(registered, resident)
    assert table["age_group"].tolist() == ["0-15", "16-64", "65-74", "75+", "All ages"]
    assert table["registered"].tolist() == [10, 60, 20, 15, 105]
    assert table["difference"].tolist() == [0, 10, 0, 5, 15]
    assert table["ratio"].tolist() == pytest.approx([100, 120, 100, 150, 116.6666667])


def test_births_and_deaths_by_registration_year() -> None:
    births = pd.DataFrame(
        {"registration_date": pd.to_datetime(["2022-01-05"] * 3 + ["2023-06-01"])}
    )
    deaths = pd.DataFrame({"registration_date": pd.to_datetime(["2023-02-02"] * 2)})
    population = pd.DataFrame({"population": [500, 500]})
    table = chapter.births_and_deaths(births, deaths, population)
    assert table["year"].tolist() == [2022, 2023]
    assert table["births"].tolist() == [3, 1]
    assert table["deaths"].tolist() == [0, 2]
    assert table["birth_rate"].tolist() == pytest.approx([3.0, 1.0])
    assert table["death_rate"].tolist() == pytest.approx([0.0, 2.0])


def test_mortality_rate_by_year_is_the_crude_rate_for_a_flat_age_specific_rate() -> None:
    # 1 death per 100 people in every band: the standardised rate is 1,000 per 100,000.
    population = pd.DataFrame({"age": np.arange(0, 95, 5), "population": 1000})
    ages = np.repeat(np.arange(0, 95, 5), 10)
    deaths = pd.DataFrame(
        {"registration_date": pd.Timestamp("2024-03-01"), "age": ages, "sex": "male"}
    )
    rates = chapter.mortality_rate_by_year(deaths, population)
    assert rates["year"].tolist() == [2024]
    assert rates["deaths"].tolist() == [190]
    assert rates["dsr"].iloc[0] == pytest.approx(1000)
    assert rates["dsr_lower"].iloc[0] < 1000 < rates["dsr_upper"].iloc[0]


def test_apportioning_a_district_split_60_40_gives_60_40_projections() -> None:
    population = pd.DataFrame(
        {
            "lsoa_code": ["A1", "A2", "B1"],
            "sex": "female",
            "age": 70,
            "population": [60, 40, 100],
        }
    )
    small_areas = pd.DataFrame(
        {"lsoa_code": ["A1", "A2", "B1"], "district_code": ["D1", "D1", "D2"]}
    )
    projections = pd.DataFrame(
        {
            "area_code": ["D1", "D1", "D2", "D2"],
            "sex": "female",
            "age": 70,
            "year": [2025, 2030, 2025, 2030],
            "population": [1000.0, 2000.0, 500.0, 800.0],
        }
    )
    first = chapter.apportion_projections(projections, population, small_areas, ["A1"])
    second = chapter.apportion_projections(projections, population, small_areas, ["A2", "B1"])
    assert first["population"].tolist() == pytest.approx([600, 1200])
    assert second["population"].tolist() == pytest.approx([400 + 500, 800 + 800])
    assert first["year"].tolist() == [2025, 2030]


def test_apportion_needs_projections_for_every_district() -> None:
    population = pd.DataFrame({"lsoa_code": ["A1"], "sex": "male", "age": 1, "population": [5]})
    small_areas = pd.DataFrame({"lsoa_code": ["A1"], "district_code": ["D9"]})
    projections = pd.DataFrame(
        {"area_code": ["D1"], "sex": "male", "age": 1, "year": 2025, "population": [1.0]}
    )
    with pytest.raises(StatisticsError, match="D9"):
        chapter.apportion_projections(projections, population, small_areas, ["A1"])


def test_projections_by_broad_group_with_percent_change() -> None:
    projected = pd.DataFrame(
        {
            "sex": "female",
            "age": [10, 70, 80, 10, 70, 80],
            "year": [2025, 2025, 2025, 2030, 2030, 2030],
            "population": [100.0, 50.0, 50.0, 90.0, 60.0, 75.0],
        }
    )
    table = chapter.projections(projected, base_year=2025, years=[2030])
    later = table[table["year"] == 2030].set_index("age_group")
    assert later.loc["0-15", "percent_change"] == pytest.approx(-10)
    assert later.loc["75+", "percent_change"] == pytest.approx(50)
    assert later.loc["16-64", "population"] == 0
    assert later.loc["All ages", "change"] == pytest.approx(25)
    assert table["age_group"].iloc[-1] == "All ages"
    with pytest.raises(StatisticsError, match="2040"):
        chapter.projections(projected, base_year=2025, years=[2040])


def test_demand_projection_equals_rate_times_projected_population() -> None:
    events = pd.DataFrame(
        {
            "activity": "ae_attendances",
            "sex": ["female", "male"],
            "age_band": ["70-74", "0-4"],
            "count": [50, 20],
        }
    )
    population = pd.DataFrame({"sex": ["female", "male"], "age": [72, 2], "population": [100, 200]})
    projected = pd.DataFrame(
        {
            "sex": ["female", "male", "female", "male"],
            "age": [71, 3, 71, 3],
            "year": [2025, 2025, 2030, 2030],
            "population": [100.0, 200.0, 160.0, 180.0],
        }
    )
    table = chapter.demand_projection(events, population, projected, base_year=2025, years=[2030])
    # Rates: 0.5 per woman 70-74, 0.1 per boy 0-4.
    assert table["expected"].tolist() == pytest.approx([70, 0.5 * 160 + 0.1 * 180])
    later = table.iloc[1]
    assert later["change"] == pytest.approx(28)
    assert later["change_per_month"] == pytest.approx(28 / 12)
    assert later["change_per_day"] == pytest.approx(28 / 365.25)
    assert later["percent_change"] == pytest.approx(40)


def test_demand_projection_refuses_events_without_population() -> None:
    events = pd.DataFrame(
        {"activity": "deaths", "sex": ["male"], "age_band": ["90+"], "count": [3]}
    )
    population = pd.DataFrame({"sex": ["male"], "age": [40], "population": [10]})
    projected = pd.DataFrame({"sex": ["male"], "age": [40], "year": [2025], "population": [1.0]})
    with pytest.raises(StatisticsError, match="no population"):
        chapter.demand_projection(events, population, projected, base_year=2025, years=[])


def test_deaths_by_band_is_complete() -> None:
    deaths = pd.DataFrame(
        {
            "registration_date": pd.to_datetime(["2021-01-01", "2022-01-01"]),
            "sex": "male",
            "age": [93, 1],
        }
    )
    table = chapter.deaths_by_band(deaths, by_year=True)
    assert len(table) == 2 * 2 * 19
    assert table["count"].sum() == 2
    assert table.query("year == 2021 and sex == 'male' and age_band == '90+'")["count"].item() == 1


def test_a_part_named_like_the_area_is_renamed() -> None:
    population = pd.DataFrame(
        {"lsoa_code": ["X1", "X2"], "sex": "male", "age": [30, 70], "population": [10, 30]}
    )
    small_areas = pd.DataFrame(
        {"lsoa_code": ["X1", "X2"], "district_name": ["West Suffolk", "Mid Suffolk"]}
    )
    table = chapter.population_by_place(
        population, small_areas, group_column="district_name", total_name="West Suffolk"
    )
    assert table["name"].tolist() == ["Mid Suffolk", "West Suffolk district", "West Suffolk"]
    findings = chapter.findings_age(table, area_name="West Suffolk", comparator_name="ICB")
    assert findings[0].startswith("West Suffolk has 40 residents; 75.0% are aged 65")


def test_demand_events_average_deaths_and_take_the_latest_activity_year() -> None:
    deaths = pd.DataFrame(
        {
            "registration_date": pd.to_datetime(["2023-01-01", "2024-01-01", "2024-02-01"]),
            "sex": "female",
            "age": [80, 80, 81],
        }
    )
    activity = pd.DataFrame(
        {
            "year": [2022, 2023, 2023],
            "lsoa_code": "X1",
            "age_band": ["80-84", "80-84", "80-84"],
            "sex": "female",
            "activity": ["ae_attendances", "ae_attendances", "emergency_admissions"],
            "count": [100, 40, 9],
        }
    )
    events = chapter.demand_events(deaths, activity)
    band = events[(events["sex"] == "female") & (events["age_band"] == "80-84")]
    assert band.set_index("activity")["count"].to_dict() == {
        "deaths": 1.5,  # 3 deaths over 2 registration years
        "ae_attendances": 40,
        "emergency_admissions": 9,
    }
