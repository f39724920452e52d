"""The Live Well chapters' computations on hand-made frames, and their notebooks."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from ina.chapters import live_well
from ina.chapters.live_well_notebooks import LIVE_WELL_CHAPTERS, notebook
from ina.indicators import load_catalogue
from ina.indicators.results import INDICATOR_COLUMNS

ROOT = Path(__file__).resolve().parents[2]

ENTRIES = """indicators:
  - id: smoking
    short_name: Smoking at delivery (%)
    phrase: smoking at delivery
    section: maternity
    definition: Test.
    numerator: {text: smokers, source: births}
    denominator: {text: maternities, source: births}
    age: All
    period: Test
    standardisation: none
    unit: '%'
    multiplier: 100
    decimals: 1
    statistic: proportion_wilson
    polarity: low is good
    sources: [births]
    targets: [{value: 6, operator: '<', plan: PHIP, area: ICB, section: '§4.1.1', wording: w}]
  - id: checks
    short_name: Health checks (%)
    phrase: health checks
    section: maternity
    definition: Test.
    numerator: {text: checks, source: registered_by_age}
    denominator: {text: register, source: registered_by_age}
    age: All
    period: Test
    standardisation: none
    unit: '%'
    multiplier: 100
    decimals: 1
    statistic: proportion_wilson
    polarity: high is good
    sources: [registered_by_age]
"""

PLACES = {"north": "North", "south": "South"}


@pytest.fixture()
def catalogue(tmp_path: Path):
    path = tmp_path / "start_well.yml"
    path.write_text(ENTRIES, encoding="utf-8")
    return load_catalogue(path)


def _row(indicator, area, area_type, value, comparison, x, n, status=None):
    return {
        "indicator_id": indicator, "indicator_name": indicator, "chapter": "Start Well",
        "area_id": area, "area_name": area, "area_type": area_type, "period": "2024",
        "numerator": x, "denominator": n, "value": value, "lower_95": value - 1,
        "upper_95": value + 1, "lower_99_8": value - 2, "upper_99_8": value + 2, "unit": "%",
        "polarity": "", "comparator_id": "england", "comparator_value": 9.0,
        "comparison": comparison, "trend": "No significant change", "target_value": 6.0,
        "target_date": "", "target_status": status, "source": "computed",
    }  # fmt: skip


@pytest.fixture()
def data(catalogue):
    table = pd.DataFrame(
        [
            _row("smoking", "england", "england", 9.0, "not compared", 900, 10_000),
            _row("smoking", "icb", "icb", 11.0, "worse", 110, 1000, "not met"),
            _row("smoking", "north", "place", 14.0, "worse", 70, 500, "not met"),
            _row("smoking", "south", "place", 8.0, "better", 4, 50, "not met"),
            _row("checks", "icb", "icb", 80.0, "better", 800, 1000),
            _row("checks", "P1", "practice", 70.0, "similar", 70, 100),
            _row("checks", "P2", "practice", 90.0, "similar", 90, 100),
        ]
    )[INDICATOR_COLUMNS]
    mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    hidden = (table["area_id"] == "south") & (table["indicator_id"] == "smoking")
    for column in ("numerator", "value", "lower_95", "upper_95", "comparison", "target_status"):
        mask.loc[hidden, column] = True
    return live_well.chapter_data(table, mask, catalogue, "start_well")


def test_hidden_cells_are_gone_from_the_chapter(data) -> None:
    south = data.area("south").loc["smoking"]
    assert south["hidden"]
    assert np.isnan(south["value"]) and np.isnan(south["numerator"])
    assert south["comparison"] == "not compared"
    assert data.area("north").loc["smoking", "value"] == 14.0


def test_the_table_of_a_place(data) -> None:
    table = live_well.indicator_table(data, ["smoking", "checks"], area_id="south", marker="[c]")
    assert len(table.columns) <= 7
    smoking = table.iloc[0]
    assert smoking["value"] == "[c]"
    assert smoking["icb"] == "11.0 (10.0 to 12.0)"
    assert smoking["england"] == "9.0 (8.0 to 10.0)"
    assert smoking["target"] == "< 6% (PHIP): cannot be assessed"
    checks = table.iloc[1]
    assert checks["value"] == "not available"  # no row for South
    assert checks["target"] == "none set"
    text = " ".join(table.astype(str).to_numpy().ravel())
    assert "nan" not in text.lower() and "None" not in text


def test_the_table_of_the_icb_has_no_icb_column(data) -> None:
    table = live_well.indicator_table(data, ["smoking"], area_id="icb", marker="[c]")
    assert "icb" not in table.columns
    assert table.iloc[0]["comparison"] == "▼ worse"
    assert table.iloc[0]["target"] == "< 6% (PHIP): not met"


def test_key_findings_are_computed(data) -> None:
    found = live_well.key_findings(
        data, area_id="icb", area_name="The ICB", comparator_name="England", place_names=PLACES
    )
    assert found[0].startswith("The ICB is significantly worse than England on 1 and better on 1")
    assert "Smoking at delivery (%) (11.0 against 9.0)" in found[1]
    # South's value is hidden, so one place is left: no "places differ" sentence that
    # would reveal it.
    assert not any("places differ" in sentence for sentence in found)
    place = live_well.key_findings(
        data, area_id="north", area_name="North", comparator_name="the ICB", place_names=PLACES
    )
    assert not any("worst value" in sentence for sentence in place)  # one place ranked only


def test_places_frame_has_every_area_for_every_indicator(data) -> None:
    frame = live_well.places_frame(data, ["smoking", "checks"], PLACES)
    assert len(frame) == 6
    assert frame["area"].tolist()[:3] == ["ICB", "North", "South"]
    assert frame.loc[
        (frame["indicator_id"] == "smoking") & (frame["area_id"] == "south"), "hidden"
    ].all()
    assert frame.loc[frame["indicator_id"] == "checks", "value"].isna().sum() == 2


def test_funnel_frame_lists_the_practices(data) -> None:
    practices = pd.DataFrame({"practice_code": ["P1", "P2"], "practice_name": ["One", "Two"]})
    frame = live_well.funnel_frame(data, "checks", practices, highlight=["P2"])
    assert frame["practice"].tolist() == ["One", "Two"]
    assert frame["in_area"].tolist() == [False, True]


@pytest.mark.parametrize("chapter", LIVE_WELL_CHAPTERS)
def test_committed_notebooks_are_the_generated_ones(chapter: str) -> None:
    committed = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", as_version=4)
    assert nbformat.writes(committed) == nbformat.writes(notebook(chapter)), (
        f"notebooks/{chapter}.ipynb is stale: run python -m ina.chapters.live_well_notebooks"
    )


@pytest.mark.parametrize("chapter", LIVE_WELL_CHAPTERS)
def test_generated_cells_hold_no_escaped_braces(chapter: str) -> None:
    # A template cell that is not formatted keeps its doubled braces, and an f-string
    # then prints "{len(data.catalogue)}" literally instead of the number.
    for cell in notebook(chapter).cells:
        assert "{{" not in cell.source and "}}" not in cell.source, cell.source[:80]
