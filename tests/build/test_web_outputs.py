"""Web-first outputs (issue 10): self-describing CSVs, the Excel workbook, the landing page."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from ina.build.assemble import SourceRow, rebase_data_links
from ina.build.plan import Area
from ina.build.web import (
    AreaPage,
    area_links,
    write_area_register,
    write_landing_page,
    write_workbook,
)
from ina.publishing import Disclosure, SuppressionRule
from ina.publishing.scan import scan_table
from ina.publishing.tables import save_table, self_describing

REPO_ROOT = Path(__file__).resolve().parents[2]
RULE = SuppressionRule(min_count=1, max_count=7, marker="[c]")
AREAS = [
    Area("icb", "NHS Norfolk and Suffolk ICB", "icb"),
    Area("west-norfolk", "West Norfolk", "place"),
]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    write_area_register(folder, AREAS, icb_code="E54000068", rule=RULE)
    return folder


def test_the_area_register_is_declared_free_of_counts(data_dir: Path) -> None:
    # The disclosure scanner accounts for every published CSV by its declaration.
    declaration = json.loads((data_dir / "areas.disclosure.json").read_text())
    assert declaration["table_id"] == "areas"
    assert declaration["counts"] == [] and declaration["derived"] == {}
    assert declaration["rule"]["max_count"] == RULE.max_count


def test_csv_names_its_area_and_spells_out_interval_columns(data_dir: Path) -> None:
    frame = pd.DataFrame(
        {"label": ["a", "b"], "deaths": [3, 40], "value": [1.5, 9.0], "lower": [0.5, 8.0],
         "upper": [2.5, 10.0]}
    )  # fmt: skip
    disclosure = Disclosure.simple(["deaths"], ["value", "lower", "upper"])
    path, mask = save_table(
        frame, table_id="t", artefact_dir=data_dir, area="west-norfolk", chapter="c",
        rule=RULE, disclosure=disclosure, headers={"lower": "Lower"},
    )  # fmt: skip
    header, first, second = path.read_text().splitlines()
    assert header == "label,deaths,value,lower_95_ci,upper_95_ci,area_code,area_name"
    assert first == "a,[c],[c],[c],[c],west-norfolk,West Norfolk"
    assert second.endswith(",west-norfolk,West Norfolk") and "40" in second
    declaration = json.loads(path.with_name("t.disclosure.json").read_text())
    assert set(declaration["derived"]) == {"value", "lower_95_ci", "upper_95_ci"}
    assert declaration["headers"] == {"lower_95_ci": "Lower"}
    # The scanner reads the renamed CSV with its renamed declaration: still no disclosure.
    published = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert scan_table(published, declaration, where="t.csv") == []
    assert list(mask.columns) == list(frame.columns)  # the notebook's mask is unchanged


def test_per_row_areas_get_their_code_and_name_after_area_id(data_dir: Path) -> None:
    frame = pd.DataFrame({"area_id": ["icb", "west-norfolk"], "gap_ci": ["1–2", "3–4"]})
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    out, _, renames = self_describing(frame, mask, area="icb", artefact_dir=data_dir)
    assert list(out.columns) == ["area_id", "area_code", "area_name", "gap_95_ci"]
    assert out["area_code"].tolist() == ["E54000068", "west-norfolk"]
    assert renames == {"gap_ci": "gap_95_ci"}


def test_without_a_register_nothing_is_made_up(tmp_path: Path) -> None:
    frame = pd.DataFrame({"x": [1]})
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    out, _, _ = self_describing(frame, mask, area="icb", artefact_dir=tmp_path)
    assert list(out.columns) == ["x"]


def test_data_links_are_rebased_for_a_page_one_folder_down() -> None:
    text = "[Download the data of this table `t` (CSV)](data/icb/c/t.csv){.ina-download}"
    assert "](../data/icb/c/t.csv)" in rebase_data_links(text, "../")
    assert rebase_data_links("[x](https://example.org/data/a.csv)", "../").endswith("a.csv)")


def _workbook(data_dir: Path, tmp_path: Path) -> Path:
    frame = pd.DataFrame({"label": ["a", "b"], "deaths": [3, 40]})
    save_table(frame, table_id="t", artefact_dir=data_dir, area="icb", chapter="c", rule=RULE,
               disclosure=Disclosure.simple(["deaths"]))  # fmt: skip
    (data_dir / "indicators.csv").write_text("area_id,value\nicb,1\nwest-norfolk,2\n")
    return write_workbook(
        tmp_path / "downloads" / "west.xlsx",
        data_dir=data_dir,
        notebooks_dir=tmp_path / "notebooks",
        area_id="icb",
        area_name="NHS Norfolk and Suffolk ICB",
        title="Integrated Needs Assessment 2026",
        chapters=["c"],
        sources=[SourceRow("deaths", "data_raw/d.csv", "2026-08-01", 10, "ab" * 32)],
        suppression={"min_count": 1, "max_count": 7, "marker": "[c]"},
    )


def test_workbook_has_contents_notes_every_table_and_the_indicators(
    data_dir: Path, tmp_path: Path
) -> None:
    path = _workbook(data_dir, tmp_path)
    book = load_workbook(path)
    assert book.sheetnames == ["Contents", "Notes", "t", "indicators"]
    table = [row for row in book["t"].iter_rows(min_row=4, values_only=True)]
    assert table[0][:2] == ("label", "deaths")
    assert table[1][1] == "[c]" and table[2][1] == 40  # suppressed as in the CSV
    notes = " ".join(str(c) for row in book["Notes"].iter_rows(values_only=True) for c in row if c)
    assert "[c]" in notes and "[x]" in notes and "ab" * 32 in notes and "95%" in notes
    contents = [row[0] for row in book["Contents"].iter_rows(min_row=5, values_only=True)]
    assert contents == ["Notes", "t", "indicators"]
    assert book["Contents"]["A6"].hyperlink.location == "'t'!A1"


def test_workbook_bytes_are_repeatable(data_dir: Path, tmp_path: Path) -> None:
    first = _workbook(data_dir, tmp_path).read_bytes()
    second = _workbook(data_dir, tmp_path).read_bytes()
    assert first == second
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
    assert "1980-01-01T00:00:00Z" in core


def test_landing_page_links_every_report_and_download(tmp_path: Path) -> None:
    pages = [
        AreaPage("icb", "NHS Norfolk and Suffolk ICB", "icb", "report/r.html", "report/r.pdf",
                 "downloads/icb.xlsx"),
        AreaPage("west-norfolk", "West Norfolk", "place", "places/west-norfolk.html",
                 "places/west-norfolk.pdf", "downloads/west-norfolk.xlsx"),
    ]  # fmt: skip
    path = write_landing_page(
        tmp_path, templates_dir=REPO_ROOT / "templates", title="INA 2026",
        organisation="NHS Norfolk and Suffolk ICB", status_text="Final", demo=False, pages=pages,
    )  # fmt: skip
    html = path.read_text()
    for page in pages:
        for href in (page.html, page.pdf, page.workbook):
            assert f'href="{href}"' in html
    assert 'href="manifest.json"' in html and '<main id="main"' in html and 'lang="en-GB"' in html
    links = area_links(pages[1], from_folder="places")
    assert [link["href"] for link in links] == [
        "../places/west-norfolk.pdf", "../downloads/west-norfolk.xlsx", "../index.html"
    ]  # fmt: skip
