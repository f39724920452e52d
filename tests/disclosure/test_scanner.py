"""The disclosure scanner finds recoverable small counts, and finds none after publishing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ina.publishing import (
    Derived,
    Disclosure,
    Parts,
    Same,
    SuppressionRule,
    save_table,
)
from ina.publishing.scan import html_tables, markdown_tables, scan_outputs, scan_table

RULE = {"min_count": 1, "max_count": 7, "marker": "[c]", "disabled": False}


def _declaration(disclosure: Disclosure, table_id: str = "t") -> dict:
    document = json.loads(disclosure.to_json())
    document.update({"table_id": table_id, "rule": RULE, "headers": {}})
    return document


def _text(rows: list[list[object]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([[str(cell) for cell in row] for row in rows], columns=columns)


BIRTHS_DEATHS = Disclosure(
    counts=("births", "population"),
    derived={"birth_rate": Derived(("births",), denominator="population", per=1000)},
    key=("year",),
    rows=(Parts("year", total="2020-24"),),
)


def _kinds(findings: list) -> set[str]:
    return {finding.kind for finding in findings}


def test_a_small_count_shown_is_found() -> None:
    text = _text(
        [["2020", "3", "154176", "0.0195"]], ["year", "births", "population", "birth_rate"]
    )
    findings = scan_table(text, _declaration(BIRTHS_DEATHS), where="x")
    assert [(f.kind, f.column, f.row) for f in findings if f.kind == "direct"] == [
        ("direct", "births", "year=2020")
    ]


def test_a_rate_shown_for_a_hidden_count_gives_the_count_back() -> None:
    # The pop-births-deaths.csv: births [c] but the rate and the population shown.
    text = _text(
        [["2020", "[c]", "154176", "0.0195"], ["2021", "1471", "154176", "9.5410"]],
        ["year", "births", "population", "birth_rate"],
    )
    findings = scan_table(text, _declaration(BIRTHS_DEATHS), where="x")
    assert {"derived", "rate x denominator"} <= _kinds(findings)
    (rate,) = [f for f in findings if f.kind == "rate x denominator"]
    assert rate.row == "year=2020" and "= 3.01" in rate.detail


def test_a_total_minus_its_other_parts_gives_the_hidden_part_back() -> None:
    text = _text(
        [
            ["2020", "[c]", "1", "[c]"],
            ["2021", "1471", "1", "[c]"],
            ["2020-24", "1474", "2", "[c]"],
        ],
        ["year", "births", "population", "birth_rate"],
    )
    findings = [f for f in scan_table(text, _declaration(BIRTHS_DEATHS), where="x")]
    (subtraction,) = [f for f in findings if f.kind == "subtraction" and f.column == "births"]
    assert subtraction.row == "year=2020" and subtraction.detail.endswith("= 3")


def test_a_total_in_another_table_is_used_for_subtraction() -> None:
    years = _text([["wn", "2020", "[c]"], ["wn", "2021", "1471"]], ["area_id", "year", "numerator"])
    pooled = _text([["wn", "1474"]], ["area_id", "numerator"])
    declaration = _declaration(
        Disclosure(
            counts=("numerator",),
            rows=(Parts("year", within=("area_id",), total_in="pooled"),),
        )
    )
    findings = scan_table(years, declaration, where="x", others={"pooled": pooled})
    assert [f.detail for f in findings] == ["total 1474 minus the other parts (area_id=wn) = 3"]


def test_one_quantity_hidden_in_one_row_and_shown_in_another_is_found() -> None:
    text = _text(
        [["birth_rate", "[c]", "births", "90000", "residents"], ["lbw", "0", "lbw", "3", "births"]],
        ["indicator_id", "numerator", "numerator_measure", "denominator", "denominator_measure"],
    )
    declaration = _declaration(
        Disclosure(
            counts=("numerator", "denominator"),
            same=(
                Same("numerator", "numerator_measure"),
                Same("denominator", "denominator_measure"),
            ),
        )
    )
    kinds = [(f.kind, f.column) for f in scan_table(text, declaration, where="x")]
    assert ("same quantity", "denominator") in kinds


def test_what_publishing_writes_passes_the_scan_and_unsuppressed_fails(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "year": ["2020", "2021", "2022", "2020-24"],
            "births": [3, 1471, 1371, 2845],
            "population": [154176] * 4,
            "birth_rate": [3 / 154.176, 1471 / 154.176, 1371 / 154.176, 2845 / 154.176],
        }
    )
    for name, rule in (
        ("suppressed", SuppressionRule()),
        ("unsuppressed", SuppressionRule(disabled=True)),
    ):
        save_table(
            frame,
            table_id="births",
            artefact_dir=tmp_path / name / "data",
            area="west-norfolk",
            chapter="population",
            rule=rule,
            disclosure=BIRTHS_DEATHS,
            decimals=4,
        )
    clean = scan_outputs(tmp_path / "suppressed", pdf=False)
    assert clean.csv_tables == 1 and clean.findings == []
    leaky = scan_outputs(tmp_path / "unsuppressed", pdf=False)
    assert {"direct", "rate x denominator"} <= _kinds(leaky.findings)


def test_markdown_and_html_tables_are_read_back_by_label() -> None:
    markdown = (
        "| Year | Births |\n|---:|---:|\n| 2020 | [c] |\n| 2021 | 1,471 |\n\n: Cap {#tbl-b}\n"
    )
    (table,) = markdown_tables(markdown).values()
    assert table.values.tolist() == [["2020", "[c]"], ["2021", "1,471"]]
    html = (
        '<table id="tbl-b"><caption>Cap</caption><thead><tr><th>Year</th><th>Births</th></tr>'
        "</thead><tbody><tr><td>2020</td><td>3</td></tr></tbody></table>"
    )
    shown = html_tables(html)["b"]
    declaration = _declaration(BIRTHS_DEATHS, "b")
    declaration["headers"] = {"year": "Year", "births": "Births"}
    findings = scan_table(
        shown.rename(columns={"Year": "year", "Births": "births"}), declaration, where="x"
    )
    assert [f.kind for f in findings if f.column == "births"] == ["direct"]


PLACES = Disclosure(
    counts=("numerator",),
    key=("area_id", "indicator_id"),
    rows=(Parts("area_id", parts=("north", "south"), total="icb", within=("indicator_id",)),),
)


def test_a_total_minus_its_other_parts_is_found_only_when_every_part_has_a_row() -> None:
    columns = ["area_id", "indicator_id", "numerator"]
    complete = _text(
        [["icb", "deaths", "40"], ["north", "deaths", "[c]"], ["south", "deaths", "36"]], columns
    )
    findings = scan_table(complete, _declaration(PLACES), where="x")
    assert [(f.kind, f.row) for f in findings] == [
        ("subtraction", "area_id=north, indicator_id=deaths")
    ]
    # South has no published value for this indicator (a Fingertips value published for
    # one district only): the ICB's count minus nothing is not North's count.
    partial = _text([["icb", "deaths", "40"], ["north", "deaths", "[c]"]], columns)
    assert scan_table(partial, _declaration(PLACES), where="x") == []
