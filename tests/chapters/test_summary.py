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

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = load_catalogue()


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
def demo_results() -> object:
    if not (REPO / "data_raw" / "population").is_dir():
        pytest.skip("data_raw/ demo extracts are not present")
    from ina.chapters.context import load_context

    return summary.summary_inputs(load_context(REPO / "ina.yml", "west-norfolk"))


def test_projected_growth_matches_the_population_chapter_for_a_place(demo_results: object) -> None:
    """The engine's projected_change recipe and the Population chapter apportion district
    projections to places the same way."""
    from ina.chapters.context import load_context
    from ina.chapters.population import apportion_projections

    context = load_context(REPO / "ina.yml", "great-yarmouth-and-waveney")
    base, (_, horizon) = context.projection_years((2030, 2040))
    projected = apportion_projections(
        context.projections,
        context.icb_population,
        context.icb_small_areas,
        context.small_areas["lsoa_code"],
    )
    older = projected[projected["age"] >= 65].groupby("year")["population"].sum()
    expected = (older[horizon] / older[base] - 1) * 100
    growth = summary.compute_indicators(demo_results)
    growth = growth[growth["indicator_id"] == "growth_65_plus"].set_index("area_id")
    assert growth.loc["great-yarmouth-and-waveney", "value"] == pytest.approx(expected)
    assert growth.loc["great-yarmouth-and-waveney", "period"] == f"{base}-{horizon}"
    assert "england" in growth.index  # the projections hold England


def test_summary_values_come_from_the_engine_in_summary_order(demo_results: object) -> None:
    values = summary.compute_indicators(demo_results)
    places = [p for p in dict.fromkeys(values["area_id"]) if p not in ("icb", "england")]
    assert list(dict.fromkeys(values["area_id"])) == ["icb", *places, "england"]
    assert list(dict.fromkeys(values["indicator_id"])) == [
        i for i in CATALOGUE.ids if i in set(values["indicator_id"])
    ]
    series = summary.annual_series(demo_results)
    assert set(series["indicator_id"]) == {i.id for i in CATALOGUE if i.trend}
    assert set(series["area_id"]) == {"icb", *places}


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
    # One spine chart per chapter (the summary groups its indicators by chapter).
    for name in (
        "sum-spine-population.png",
        "sum-spine-population.csv",
        "sum-spine-stay-well.png",
        "sum-table-1.csv",
        "sum-indicators.csv",
    ):
        assert (folder / name).is_file(), name
    assert (folder / "sum-spine-population.png").read_bytes() == (
        tmp_path / "art2" / "west-norfolk" / "summary" / "sum-spine-population.png"
    ).read_bytes()
    shown = [
        output["data"]["text/markdown"]
        for cell in outputs[0]
        for output in cell or []
        if "text/markdown" in output.get("data", {})
    ]
    assert any(text.startswith("### Key messages ") for text in shown)
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
    assert markdown[0].source == "# Life-course summary"
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


def test_a_long_list_of_red_reds_is_shortened_in_the_key_message() -> None:
    ids = [indicator.id for indicator in CATALOGUE if indicator.polarity.value != "none"][:8]
    compared = pd.DataFrame(
        {"area_id": "north", "indicator_id": ids, "comparison": "worse", "suppressed": False}
    )
    trends = pd.DataFrame(
        {"area_id": "north", "indicator_id": ids, "trend": "Increasing and getting worse"}
    )
    found = summary.red_reds(compared, trends, CATALOGUE, area_id="north")
    assert len(found) >= 7
    message = summary.red_red_message(
        compared, trends, CATALOGUE, area_id="north", comparator_name="the ICB"
    )
    assert message.startswith(f"{len(found)} indicators are significantly worse than the ICB")
    for indicator_id in found[: summary.RED_RED_NAMED]:
        assert CATALOGUE[indicator_id].phrase in message
    assert CATALOGUE[found[-1]].phrase not in message
    assert f"and {len(found) - summary.RED_RED_NAMED} more indicators" in message
