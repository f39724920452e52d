"""At a glance: indicators on hand-made frames with known answers, benchmarking, tables."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from ina.chapters import summary
from ina.indicators import load_catalogue
from ina.publishing import SuppressionRule
from ina.stats import ESP2013, directly_standardised_rate, life_expectancy, proportion

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = load_catalogue()


def _membership() -> pd.DataFrame:
    small_areas = pd.DataFrame(
        {"lsoa_code": ["X01", "X02", "X03"], "place_id": ["north", "north", "south"]}
    )
    return summary.area_membership(small_areas, ["north", "south"])


def _population(per_age: dict[str, float]) -> pd.DataFrame:
    """Single-year population 0-90 by sex for each small area (``per_age`` people each)."""
    rows = [
        (lsoa, sex, age, people)
        for lsoa, people in per_age.items()
        for sex in ("female", "male")
        for age in range(91)
    ]
    return pd.DataFrame(rows, columns=["lsoa_code", "sex", "age", "population"])


def test_membership_puts_every_small_area_in_the_icb_and_its_place() -> None:
    membership = _membership()
    assert (membership["area_id"] == "icb").sum() == 3
    assert sorted(membership.loc[membership["area_id"] == "north", "lsoa_code"]) == ["X01", "X02"]


def test_percent_aged_65_plus_of_a_made_up_area_with_wilson_interval() -> None:
    people = pd.DataFrame(
        {
            "area_id": ["a"] * 4,
            "sex": ["female", "female", "male", "male"],
            "age": [30, 70, 10, 90],
            "population": [150, 60, 150, 40],
        }
    )
    result = summary.population_indicators(people, period="Mid-2022").set_index("indicator_id")
    assert result.loc["resident_population", "value"] == 400
    older = result.loc["percent_65_plus"]
    assert older["value"] == pytest.approx(25.0)
    expected = proportion(pd.DataFrame({"x": [100], "n": [400]}), "x", "n", multiplier=100)
    assert older["lower"] == pytest.approx(expected["lowercl"].iloc[0])
    assert older["upper"] == pytest.approx(expected["uppercl"].iloc[0])
    assert result.loc["percent_85_plus", "value"] == pytest.approx(10.0)


def _deaths(rng: np.random.Generator, lsoas: list[str], count: int) -> pd.DataFrame:
    ages = np.clip(rng.normal(78, 14, count).round().astype(int), 0, 104)
    years = rng.integers(2020, 2025, count)
    return pd.DataFrame(
        {
            "registration_date": pd.to_datetime([f"{y}-06-01" for y in years]),
            "sex": rng.choice(["female", "male"], count),
            "age": ages,
            "lsoa_code": rng.choice(lsoas, count),
        }
    )


def test_life_expectancy_equals_the_stats_engine_for_one_area() -> None:
    rng = np.random.default_rng(7)
    population = _population({"X01": 60.0, "X02": 40.0, "X03": 80.0})
    deaths = _deaths(rng, ["X01", "X02", "X03"], 3000)
    result = summary.life_expectancy_indicators(deaths, population, _membership())
    got = result[
        (result["area_id"] == "north") & (result["indicator_id"] == "life_expectancy_male")
    ]

    # The same life table built by hand for "north" (X01 + X02), males, 5 years pooled.
    starts = np.array([0, 1, *range(5, 95, 5)])

    def start(age: pd.Series) -> np.ndarray:
        return starts[np.searchsorted(starts, age.to_numpy(), side="right") - 1]

    north = population[population["lsoa_code"].isin(["X01", "X02"]) & (population["sex"] == "male")]
    dead = deaths[deaths["lsoa_code"].isin(["X01", "X02"]) & (deaths["sex"] == "male")]
    table = pd.DataFrame(
        {
            "start_age": starts,
            "population": north.groupby(start(north["age"]))["population"].sum().reindex(starts)
            * 5,
            "deaths": dead.groupby(start(dead["age"])).size().reindex(starts, fill_value=0),
        }
    )
    expected = life_expectancy(table, "deaths", "population", "start_age", le_age=0)
    assert got["value"].iloc[0] == pytest.approx(expected["value"].iloc[0])
    assert got["lower"].iloc[0] == pytest.approx(expected["lowercl"].iloc[0])
    assert got["numerator"].iloc[0] == len(dead)
    assert got["period"].iloc[0] == "2020-24"


def test_under_75_mortality_ignores_older_deaths_and_matches_a_direct_dsr() -> None:
    rng = np.random.default_rng(3)
    population = _population({"X01": 50.0, "X02": 50.0, "X03": 50.0})
    deaths = _deaths(rng, ["X01", "X02", "X03"], 2000)
    result = summary.mortality_indicators(deaths, population, _membership())
    older_only = deaths[deaths["age"] >= 75]
    more = pd.concat([deaths, older_only], ignore_index=True)
    again = summary.mortality_indicators(more, population, _membership())
    under = result["indicator_id"] == "mortality_under_75"
    np.testing.assert_allclose(result.loc[under, "value"], again.loc[under, "value"])
    all_ages = result["indicator_id"] == "mortality_all_ages"
    assert (
        again.loc[all_ages, "value"].to_numpy() > result.loc[all_ages, "value"].to_numpy()
    ).all()

    south = deaths[(deaths["lsoa_code"] == "X03") & (deaths["age"] < 75)]
    band = np.minimum(south["age"] // 5, 18)
    bands = pd.DataFrame(
        {
            "band": list(ESP2013.index[:15]),
            "deaths": band.value_counts().reindex(range(15), fill_value=0).to_numpy(),
            "population": 50.0 * 2 * 5 * 5,  # 50 a year of age, 2 sexes, 5 ages, 5 years
        }
    )
    expected = directly_standardised_rate(
        bands, "deaths", "population", standard_population=ESP2013.iloc[:15], age_band="band"
    )
    got = result[under & (result["area_id"] == "south")]
    assert got["value"].iloc[0] == pytest.approx(expected["value"].iloc[0])
    assert got["upper"].iloc[0] == pytest.approx(expected["uppercl"].iloc[0])


def test_birth_percentages_use_births_with_a_stated_weight_or_gestation() -> None:
    births = pd.DataFrame(
        {
            "registration_date": pd.to_datetime(["2023-01-05"] * 5 + ["2024-02-01"] * 5),
            "birth_weight_g": pd.array([2000, 3000, 3500, None, 2400] * 2, dtype="Int64"),
            "gestation_weeks": pd.array([36, 40, None, 39, 41] * 2, dtype="Int64"),
            "lsoa_code": ["X01"] * 10,
        }
    )
    population = _population({"X01": 10.0, "X02": 10.0, "X03": 10.0})
    result = summary.births_indicators(births, population, _membership())
    north = result[result["area_id"] == "north"].set_index("indicator_id")
    assert north.loc["low_birth_weight", "value"] == pytest.approx(50.0)  # 4 of 8 stated
    assert north.loc["low_birth_weight", "denominator"] == 8
    assert north.loc["preterm_births", "value"] == pytest.approx(25.0)  # 2 of 8 stated
    residents = 2 * 10.0 * 2 * 91  # X01 + X02, two sexes, ages 0-90
    assert north.loc["birth_rate", "value"] == pytest.approx(10 / (residents * 2) * 1000)
    assert north.loc["birth_rate", "period"] == "2023-24"


def _series(indicator_id: str, area_id: str, values: list[float]) -> pd.DataFrame:
    """Five yearly values 2020-24 with narrow 95% limits (±1) and 10,000 as denominator."""
    return pd.DataFrame(
        {
            "area_id": area_id,
            "indicator_id": indicator_id,
            "year": range(2020, 2025),
            "numerator": [v * 100 for v in values],
            "denominator": 10_000.0,
            "value": values,
            "lower": [v - 1 for v in values],
            "upper": [v + 1 for v in values],
        }
    )


def test_recent_trend_of_a_rising_dsr_with_low_is_good_is_getting_worse() -> None:
    series = pd.concat(
        [
            _series("mortality_all_ages", "north", [100, 110, 120, 130, 140]),
            _series("mortality_all_ages", "south", [100, 101, 99, 100, 101]),
        ],
        ignore_index=True,
    )
    trends = summary.recent_trends(series, CATALOGUE, ["icb", "north", "south"])
    got = trends.set_index(["indicator_id", "area_id"])
    assert got.loc[("mortality_all_ages", "north"), "trend"] == "Increasing and getting worse"
    assert got.loc[("mortality_all_ages", "north"), "trend_method"] == "weighted_regression"
    assert got.loc[("mortality_all_ages", "south"), "trend"] == "No significant change"
    # No series for the ICB: it is "Cannot be calculated", not invented.
    assert got.loc[("mortality_all_ages", "icb"), "trend"] == "Cannot be calculated"
    # Indicators without annual data are never given a trend.
    assert got.loc[("life_expectancy_male", "north"), "trend"] == "Cannot be calculated"
    assert got.loc[("life_expectancy_male", "north"), "trend_note"] == summary.NO_ANNUAL_DATA
    assert len(trends) == len(CATALOGUE) * 3


def test_recent_trend_of_proportions_uses_the_chi_squared_test_on_counts() -> None:
    rising = _series("low_birth_weight", "north", [5, 6, 7, 8, 9])
    falling = _series("preterm_births", "north", [9, 8, 7, 6, 5])
    # Wide limits would hide a regression trend: the proportion test must use the counts.
    falling = falling.assign(lower=0.0, upper=50.0)
    trends = summary.recent_trends(
        pd.concat([rising, falling], ignore_index=True), CATALOGUE, ["north"]
    ).set_index("indicator_id")
    assert trends.loc["low_birth_weight", "trend"] == "Increasing and getting worse"
    assert trends.loc["preterm_births", "trend"] == "Decreasing and getting better"
    assert trends.loc["preterm_births", "trend_method"] == "chi_squared"
    births = summary.recent_trends(
        _series("birth_rate", "north", [12, 11, 10, 9, 8]), CATALOGUE, ["north"]
    ).set_index("indicator_id")
    assert births.loc["birth_rate", "trend"] == "Decreasing"  # no judgement


def test_annual_series_counts_each_registration_year_with_the_pooled_methods() -> None:
    births = pd.DataFrame(
        {
            "registration_date": pd.to_datetime(
                ["2020-03-01"] * 4 + ["2021-03-01"] * 2 + ["2022-05-01"] * 4
            ),
            "birth_weight_g": pd.array([2000, 3000, 3500, 2400] * 2 + [3000, 3000], dtype="Int64"),
            "gestation_weeks": pd.array([36, 40, 40, 39] * 2 + [39, 40], dtype="Int64"),
            "lsoa_code": ["X01"] * 10,
        }
    )
    population = _population({"X01": 10.0, "X02": 10.0, "X03": 10.0})
    rng = np.random.default_rng(11)
    deaths = _deaths(rng, ["X01", "X02", "X03"], 2000)
    inputs = summary.SummaryInputs(
        membership=_membership(),
        population=population,
        england=None,
        deaths=deaths,
        births=births,
        deprivation=pd.DataFrame(),
        registered=pd.DataFrame(),
        projections=pd.DataFrame(),
        districts=pd.DataFrame(),
        base_year=2022,
        horizon_year=2040,
        population_period="Mid-2022",
    )
    series = summary.annual_series(inputs, CATALOGUE)
    trend_ids = [i.id for i in CATALOGUE if i.trend]
    assert list(dict.fromkeys(series["indicator_id"])) == trend_ids
    rate = series[(series["indicator_id"] == "birth_rate") & (series["area_id"] == "north")]
    residents = 2 * 10.0 * 2 * 91  # X01 + X02, two sexes, ages 0-90: one year each
    assert rate["year"].tolist() == [2020, 2021, 2022]
    np.testing.assert_allclose(rate["value"], np.array([4, 2, 4]) / residents * 1000)
    south = series[(series["indicator_id"] == "birth_rate") & (series["area_id"] == "south")]
    assert south["numerator"].tolist() == [0, 0, 0]  # no births is a rate of 0, not missing
    low = series[(series["indicator_id"] == "low_birth_weight") & (series["area_id"] == "icb")]
    assert low["value"].tolist() == pytest.approx([50.0, 50.0, 25.0])  # 2/4, 1/2, 1/4
    # The yearly DSRs pool back to the 5-year deaths and use one year of residents each.
    dsr = series[(series["indicator_id"] == "mortality_all_ages") & (series["area_id"] == "icb")]
    assert dsr["year"].tolist() == list(range(2020, 2025))
    assert dsr["numerator"].sum() == len(deaths)
    assert (dsr["denominator"] == population["population"].sum()).all()
    # Three years of births are too few for a trend.
    trends = summary.recent_trends(series, CATALOGUE, ["icb", "north", "south"])
    births_trends = trends[trends["indicator_id"] == "birth_rate"]
    assert (births_trends["trend"] == "Cannot be calculated").all()


def test_red_reds_are_worse_than_the_comparator_and_getting_worse() -> None:
    compared = pd.DataFrame(
        {
            "area_id": ["north"] * 3,
            "indicator_id": ["mortality_all_ages", "mortality_under_75", "low_birth_weight"],
            "comparison": ["worse", "worse", "similar"],
            "suppressed": [False, False, False],
        }
    )
    trends = pd.DataFrame(
        {
            "area_id": ["north"] * 3,
            "indicator_id": ["mortality_all_ages", "mortality_under_75", "low_birth_weight"],
            "trend": [
                "Increasing and getting worse",
                "Decreasing and getting better",
                "Increasing and getting worse",
            ],
        }
    )
    assert summary.red_reds(compared, trends, CATALOGUE, area_id="north") == ["mortality_all_ages"]
    message = summary.red_red_message(
        compared, trends, CATALOGUE, area_id="north", comparator_name="the ICB"
    )
    assert message.startswith("Age-standardised mortality from all causes is significantly worse")
    hidden = compared.assign(suppressed=[True, False, False])
    assert summary.red_reds(hidden, trends, CATALOGUE, area_id="north") == []
    assert (
        summary.red_red_message(
            hidden, trends, CATALOGUE, area_id="north", comparator_name="the ICB"
        )
        == "No indicator is both worse than the ICB and getting worse."
    )


def _results() -> pd.DataFrame:
    """ICB, two places and England with known intervals."""
    rows = [
        # indicator, area, value, lower, upper
        ("life_expectancy_male", "icb", 80.0, 79.8, 80.2),
        ("life_expectancy_male", "north", 78.2, 77.5, 78.9),  # below the ICB: worse
        ("life_expectancy_male", "south", 80.3, 79.7, 80.9),  # interval holds 80: similar
        ("mortality_all_ages", "icb", 900.0, 890.0, 910.0),
        ("mortality_all_ages", "north", 980.0, 950.0, 1010.0),  # low is good: worse
        ("mortality_all_ages", "south", 850.0, 820.0, 880.0),  # better
        ("percent_65_plus", "icb", 25.0, 24.9, 25.1),
        ("percent_65_plus", "north", 27.0, 26.8, 27.2),  # no judgement: higher
        ("percent_65_plus", "south", 23.0, 22.8, 23.2),  # lower
        ("percent_65_plus", "england", 19.0, 18.99, 19.01),
        ("growth_65_plus", "icb", 20.0, np.nan, np.nan),
        ("growth_65_plus", "north", 30.0, np.nan, np.nan),  # no interval: not compared
        ("growth_65_plus", "south", 10.0, np.nan, np.nan),
    ]
    frame = pd.DataFrame(rows, columns=["indicator_id", "area_id", "value", "lower", "upper"])
    return frame.assign(period="2020-24", numerator=100.0, denominator=1000.0)[
        summary.RESULT_COLUMNS
    ]


def test_places_are_compared_with_the_icb_and_the_icb_with_england() -> None:
    compared = summary.benchmark(_results(), CATALOGUE, ["north", "south"])
    words = compared.set_index(["indicator_id", "area_id"])["comparison"]
    assert words["life_expectancy_male", "north"] == "worse"
    assert words["life_expectancy_male", "south"] == "similar"
    assert words["mortality_all_ages", "north"] == "worse"
    assert words["mortality_all_ages", "south"] == "better"
    assert words["percent_65_plus", "north"] == "higher"
    assert words["percent_65_plus", "south"] == "lower"
    assert words["percent_65_plus", "icb"] == "higher"  # vs England 19.0
    assert words["life_expectancy_male", "icb"] == "not compared"  # no England value
    assert words["growth_65_plus", "north"] == "not compared"
    assert "england" not in set(compared["area_id"])
    colours = compared.set_index(["indicator_id", "area_id"])["comparison_colour"]
    assert colours["mortality_all_ages", "north"] == "#C00000"


def test_peer_ranges_rank_places_from_the_highest_value() -> None:
    peers = summary.peer_ranges(_results(), ["north", "south"]).set_index(
        ["indicator_id", "area_id"]
    )
    assert peers.loc[("growth_65_plus", "north"), "peer_rank"] == 1
    assert peers.loc[("growth_65_plus", "south"), "peer_rank"] == 2
    assert peers.loc[("growth_65_plus", "icb"), "peer_min"] == 10.0
    assert np.isnan(peers.loc[("growth_65_plus", "icb"), "peer_rank"])


def test_summary_table_fits_a_page_and_says_not_available_for_missing_england() -> None:
    results = _results()
    compared = summary.benchmark(results, CATALOGUE, ["north", "south"])
    compared["suppressed"] = False
    peers = summary.peer_ranges(results, ["north", "south"])
    place = summary.summary_table(compared, peers, CATALOGUE, area_id="north")
    assert place.shape[1] <= 7
    row = place.set_index("indicator").loc["Life expectancy, males"]
    assert row["value"] == "78.2 (77.5–78.9)"
    assert row["icb"] == "80.0"
    assert row["england"] == summary.NOT_AVAILABLE
    assert row["comparison"] == "▼ worse"
    assert row["peers"] == "78.2–80.3 (2nd of 2)"
    icb = summary.summary_table(compared, peers, CATALOGUE, area_id="icb")
    assert "icb" not in icb.columns and icb.shape[1] <= 7


def test_trend_column_moves_the_period_to_the_caption_when_a_place_table_is_full() -> None:
    results = _results()
    compared = summary.benchmark(results, CATALOGUE, ["north", "south"])
    peers = summary.peer_ranges(results, ["north", "south"])
    trends = summary.recent_trends(
        _series("mortality_all_ages", "north", [100, 110, 120, 130, 140]),
        CATALOGUE,
        ["icb", "north", "south"],
    )
    place = summary.summary_table(compared, peers, CATALOGUE, area_id="north", trends=trends)
    assert len(place.columns) <= 7 and "period" not in place.columns
    assert place.attrs["period"] == "2020-24"
    words = dict(zip(place["indicator"], place["trend"], strict=True))
    assert words["Deaths, all ages (DSR)"] == "↑ worse"
    icb = summary.summary_table(compared, peers, CATALOGUE, area_id="icb", trends=trends)
    assert "period" in icb.columns and len(icb.columns) == 7
    assert set(icb["trend"]) == {"– n/a"}


def test_suppressed_values_are_hidden_and_not_compared() -> None:
    results = _results()
    results.loc[results["area_id"] == "north", "numerator"] = 5.0
    compared = summary.benchmark(results, CATALOGUE, ["north", "south"])
    compared["suppressed"] = summary.suppressed_rows(compared, SuppressionRule())
    peers = summary.peer_ranges(results, ["north", "south"])
    table = summary.summary_table(compared, peers, CATALOGUE, area_id="north", marker="*")
    row = table.set_index("indicator").loc["Deaths, all ages (DSR)"]
    assert row["value"] == "*" and row["comparison"].endswith("not compared")


def test_key_messages_state_significant_differences_worse_first() -> None:
    compared = summary.benchmark(_results(), CATALOGUE, ["north", "south"])
    peers = summary.peer_ranges(_results(), ["north", "south"])
    messages = summary.key_messages(
        compared,
        peers,
        CATALOGUE,
        area_id="north",
        area_name="North",
        comparator_name="the ICB",
        place_names={"north": "North", "south": "South"},
    )
    assert messages[0] == (
        "Life expectancy for males is 78.2 years, 1.8 years lower than the ICB "
        "(significantly worse)."
    )
    assert any("2.0 percentage points higher" in message for message in messages)
    assert not any("projected growth" in message.lower() for message in messages)


@pytest.fixture(scope="module")
def demo_inputs() -> summary.SummaryInputs:
    if not (REPO / "data_raw" / "population").is_dir():
        pytest.skip("data_raw/ demo extracts are not present")
    from ina.chapters.context import load_context

    return summary.summary_inputs(load_context(REPO / "ina.yml", "west-norfolk"))


def test_projected_growth_matches_the_population_chapter_for_a_place(
    demo_inputs: summary.SummaryInputs,
) -> None:
    from ina.chapters.context import load_context
    from ina.chapters.population import apportion_projections

    context = load_context(REPO / "ina.yml", "great-yarmouth-and-waveney")
    projected = apportion_projections(
        context.projections,
        context.icb_population,
        context.icb_small_areas,
        context.small_areas["lsoa_code"],
    )
    older = projected[projected["age"] >= 65].groupby("year")["population"].sum()
    expected = (older[demo_inputs.horizon_year] / older[demo_inputs.base_year] - 1) * 100
    growth = summary.projected_growth(demo_inputs).set_index("area_id")
    assert growth.loc["great-yarmouth-and-waveney", "value"] == pytest.approx(expected)
    assert "england" in growth.index  # the projections hold England


@pytest.mark.slow
def test_summary_notebook_runs_for_a_place_and_is_deterministic(tmp_path: Path) -> None:
    if not (REPO / "data_raw" / "population").is_dir():
        pytest.skip("data_raw/ demo extracts are not present")
    papermill = pytest.importorskip("papermill")
    environment = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), environment]))
    outputs = []
    try:
        for run in (1, 2):
            target = tmp_path / f"summary-{run}.ipynb"
            papermill.execute_notebook(
                str(REPO / "notebooks" / "summary.ipynb"),
                str(target),
                parameters={
                    "area": "west-norfolk",
                    "config_path": str(REPO / "ina.yml"),
                    "artefact_dir": str(tmp_path / f"art{run}"),
                },
                kernel_name="python3",
                progress_bar=False,
            )
            outputs.append([cell.get("outputs") for cell in nbformat.read(target, 4).cells])
    finally:
        os.environ["PYTHONPATH"] = environment
    assert outputs[0] == outputs[1]
    folder = tmp_path / "art1" / "west-norfolk" / "summary"
    for name in ("sum-spine.png", "sum-spine.csv", "sum-table-1.csv", "sum-indicators.csv"):
        assert (folder / name).is_file()
    assert (folder / "sum-spine.png").read_bytes() == (
        tmp_path / "art2" / "west-norfolk" / "summary" / "sum-spine.png"
    ).read_bytes()
    shown = [
        output["data"]["text/markdown"]
        for cell in outputs[0]
        for output in cell or []
        if "text/markdown" in output.get("data", {})
    ]
    assert any("**Key messages**" in text for text in shown)
    assert any("{#tbl-sum-table-1}" in text for text in shown)
    assert any("{#tbl-sum-definitions}" in text for text in shown)
    shutil.rmtree(tmp_path / "art2")


def test_committed_summary_notebook_follows_the_contract() -> None:
    notebook = nbformat.read(REPO / "notebooks" / "summary.ipynb", 4)
    first = notebook.cells[0]
    assert "parameters" in first.metadata.get("tags", [])
    for assignment in ('area = "icb"', 'config_path = "ina.yml"', "artefact_dir ="):
        assert assignment in first.source
    markdown = [cell for cell in notebook.cells if cell.cell_type == "markdown"]
    assert markdown[0].source == "# At a glance"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            if "#| label: fig-" in cell.source:
                assert "#| fig-cap: " in cell.source and "#| fig-alt: " in cell.source


def test_published_results_hide_values_everywhere_they_are_shown() -> None:
    # The ICB's value is hidden (say by secondary suppression): a place's table shows [c]
    # in its ICB column, and the places' range and ranks leave hidden places out.
    results = _results()
    mask = pd.DataFrame(False, index=results.index, columns=results.columns)
    hidden_icb = (results["area_id"] == "icb") & (results["indicator_id"] == "mortality_all_ages")
    hidden_south = (results["area_id"] == "south") & (
        results["indicator_id"] == "mortality_all_ages"
    )
    mask.loc[hidden_icb | hidden_south, ["numerator", "value"]] = True
    published = summary.published_results(results, mask)
    assert published.loc[hidden_icb, "value"].isna().all()
    compared = summary.benchmark(published, CATALOGUE, ["north", "south"])
    peers = summary.peer_ranges(published, ["north", "south"])
    table = summary.summary_table(compared, peers, CATALOGUE, area_id="north")
    row = table.set_index("indicator").loc["Deaths, all ages (DSR)"]
    assert row["icb"] == "[c]"
    north = results.loc[
        (results["area_id"] == "north") & (results["indicator_id"] == "mortality_all_ages"),
        "value",
    ].iloc[0]
    own = peers[(peers["area_id"] == "north") & (peers["indicator_id"] == "mortality_all_ages")]
    assert own["peer_min"].iloc[0] == own["peer_max"].iloc[0] == north
