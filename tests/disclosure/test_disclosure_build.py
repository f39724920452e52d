"""One demo build, scanned for recoverable small counts in every published form.

The demo data has a thin year (West Norfolk, 2020: 5 deaths, 3 births) and rare causes of
death, so the build has small counts to protect; the scanner (:mod:`ina.publishing.scan`)
reads every CSV with its declaration, every notebook's Markdown tables, the HTML report's
tables and every PDF's text, and must find nothing. The same scanner is then shown to fail
on copies of the outputs with the protection undone, cell by cell.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from ina.publishing.scan import ScanResult, scan_outputs

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from ina.build import build

    project = tmp_path_factory.mktemp("disclosure-build")
    for name in ("data_raw", "templates", "notebooks"):
        shutil.copytree(REPO / name, project / name)
    for name in ("_quarto.yml", "ina.yml"):
        shutil.copyfile(REPO / name, project / name)
    result = build(project / "ina.yml")
    return result.output_dir


@pytest.fixture(scope="module")
def scan(outputs: Path) -> ScanResult:
    return scan_outputs(outputs)


def test_nothing_published_gives_a_small_count_back(scan: ScanResult) -> None:
    assert [str(finding) for finding in scan.findings] == []


def test_the_scan_looked_at_every_form(outputs: Path, scan: ScanResult) -> None:
    csvs = list((outputs / "data").rglob("*.csv"))
    assert scan.csv_tables == len(csvs), "every published CSV has a declaration"
    assert scan.markdown_tables >= 6 * 10
    assert scan.html_tables >= 10
    assert scan.pdfs == 6 and scan.pdf_rows >= 100


def test_the_demo_build_exercises_suppression(outputs: Path) -> None:
    table = (outputs / "data/west-norfolk/population/pop-births-deaths-table.csv").read_text()
    assert table.splitlines()[1].startswith("2020,[c],[c],[c]")
    chart = (outputs / "data/west-norfolk/population/pop-births-deaths.csv").read_text()
    # Every CSV names its area (area_code, area_name) after the data columns.
    assert chart.splitlines()[1] == "2020,[c],[c],154176,[c],[c],west-norfolk,West Norfolk"
    causes = outputs / "data/great-yarmouth-and-waveney/deprivation/dep-gap-causes.csv"
    assert "[c]" in causes.read_text()
    trends = (outputs / "data/icb/summary/sum-trends.csv").read_text()
    assert "West Norfolk,birth_rate,2020,[c]" in trends
    # Secondary suppression: more cells are hidden than the counts of 1 to 7.
    assert trends.count("[c]") > 20


def _tampered(outputs: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "outputs"
    shutil.copytree(outputs, copy)
    return copy


def test_the_scanner_fails_when_the_protection_is_undone(outputs: Path, tmp_path: Path) -> None:
    copy = _tampered(outputs, tmp_path)
    folder = copy / "data/west-norfolk/population"
    # Before the fix: the rates of the thin year were published (pop-births-deaths.csv) ...
    chart = folder / "pop-births-deaths.csv"
    lines = chart.read_text().splitlines()
    lines[1] = "2020,[c],[c],154176,0.0195,0.0324,west-norfolk,West Norfolk"
    chart.write_text("\n".join(lines) + "\n")
    # ... and the complementary cells were not hidden (sum-trends: pooled minus the years).
    trends = copy / "data/west-norfolk/summary/sum-trends.csv"
    pooled = copy / "data/west-norfolk/summary/sum-indicators.csv"
    assert pooled.is_file()
    years = trends.read_text().splitlines()
    header = years[0].split(",")
    row_of = "west-norfolk,west-norfolk,West Norfolk,birth_rate,"
    complement = [
        i
        for i, line in enumerate(years)
        if line.startswith(row_of) and ",[c]," in line and not line.startswith(row_of + "2020,")
    ]
    assert complement, "the thin year has a complementary cell"
    cells = years[complement[0]].split(",")
    cells[header.index("numerator")] = "1400"  # any number: shown, it gives the thin year back
    years[complement[0]] = ",".join(cells)
    trends.write_text("\n".join(years) + "\n")
    # ... and the notebook's Markdown table showed the small count itself.
    notebook_path = copy / "notebooks/west-norfolk/population.ipynb"
    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown", "")
            if "{#tbl-pop-births-deaths-table}" in text:
                output["data"]["text/markdown"] = text.replace("| 2020 | [c] |", "| 2020 | 3 |")
    nbformat.write(notebook, notebook_path)

    findings = scan_outputs(copy, pdf=False).findings
    kinds = {(f.where.split("/")[-1], f.kind) for f in findings}
    assert ("pop-births-deaths.csv", "rate x denominator") in kinds
    assert ("pop-births-deaths.csv", "derived") in kinds
    assert ("sum-trends.csv", "subtraction") in kinds
    assert ("population.ipynb", "direct") in kinds


def test_every_declaration_names_the_published_columns(outputs: Path) -> None:
    for path in (outputs / "data").rglob("*.disclosure.json"):
        declaration = json.loads(path.read_text(encoding="utf-8"))
        header = path.with_name(f"{declaration['table_id']}.csv").read_text().splitlines()[0]
        assert set(declaration["counts"]) <= set(header.split(",")), path
