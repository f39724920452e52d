"""Step 'qa' of ``ina build`` end to end, on the small fixture chapter (three builds).

A first build has nothing to compare with; a later build compares every table with the
outputs already published (a value of the first build's outputs is edited to play the
previous release); a chapter that publishes a negative count stops the build in 'qa'
and leaves the previous outputs untouched.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from ina.build import build
from ina.build.publish import file_sha256, read_manifest
from ina.build.verify import checksum_problems
from ina.errors import BuildError

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE_NOTEBOOK = REPO_ROOT / "tests" / "build" / "fixtures" / "fixture.ipynb"
TABLE = Path("data") / "icb" / "fixture" / "tbl-age-bands.csv"


def make_fixture_project(folder: Path) -> Path:
    """A throw-away project running only the fixture chapter (the contract, fast)."""
    if not any((REPO_ROOT / "data_raw").rglob("*.csv")) or not FIXTURE_NOTEBOOK.is_file():
        pytest.skip("the demo data_raw/ or the build fixture notebook is absent")
    shutil.copytree(REPO_ROOT / "data_raw", folder / "data_raw")
    shutil.copytree(REPO_ROOT / "templates", folder / "templates")
    shutil.copyfile(REPO_ROOT / "_quarto.yml", folder / "_quarto.yml")
    (folder / "notebooks").mkdir()
    shutil.copyfile(FIXTURE_NOTEBOOK, folder / "notebooks" / "fixture.ipynb")
    lines = (REPO_ROOT / "ina.yml").read_text(encoding="utf-8").splitlines()
    start = lines.index("chapters:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("  - "):
        end += 1
    config = folder / "ina.yml"
    config.write_text("\n".join([*lines[: start + 1], "  - fixture", *lines[end:]]) + "\n")
    return config


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def set_people(path: Path, age_band: str, people: int) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8")))
    for row in rows[1:]:
        if row[0] == age_band:
            row[1] = str(people)
    path.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_fixture_project(tmp_path_factory.mktemp("qa-project"))


@pytest.fixture(scope="module")
def first_build(project: Path):
    return build(project)


def test_a_first_build_publishes_a_qa_report_without_between_release_findings(first_build):
    outputs = first_build.output_dir
    qa = first_build.qa
    assert qa is not None and qa.previous_release is None
    assert qa.tables_checked == 12  # 6 areas x (figure data + table)
    assert qa.findings.empty
    report = (outputs / "qa" / "qa-report.md").read_text(encoding="utf-8")
    assert "this is a first release" in report and "value-moved" not in report
    assert (
        (outputs / "qa" / "qa-findings.csv")
        .read_text(encoding="utf-8")
        .startswith(
            "check,severity,area,chapter,table,row_key,column,previous_value,new_value,message\n"
        )
    )
    manifest = read_manifest(outputs)
    for name in ("qa/qa-report.md", "qa/qa-findings.csv"):
        assert manifest["outputs"][name]["sha256"] == file_sha256(outputs / name)
    assert checksum_problems(outputs, manifest) == {}  # what `ina verify` checks first


def test_a_later_build_reports_what_moved_since_the_published_outputs(project, first_build):
    outputs = first_build.output_dir
    # Play the previous release: it published 500 people aged 20-64 where the data give 540.
    set_people(outputs / TABLE, "20-64", 500)
    second = build(project)
    qa = second.qa
    assert qa is not None and qa.previous_release is not None and qa.tables_compared == 12
    moved = qa.findings[qa.findings["check"] == "value-moved"]
    assert moved[["severity", "area", "table", "row_key", "column"]].values.tolist() == [
        ["warning", "icb", "tbl-age-bands", "age_band=20-64", "people"]
    ]
    assert (moved.iloc[0]["previous_value"], moved.iloc[0]["new_value"]) == ("500", "540")
    assert qa.summary_line().startswith("QA: 0 errors, 1 warning, 0 notes")
    report = (second.output_dir / "qa" / "qa-report.md").read_text(encoding="utf-8")
    assert "| value-moved | warning | icb | fixture | tbl-age-bands | age_band=20-64 |" in report
    assert "+8.0%" in report
    findings_csv = (second.output_dir / "qa" / "qa-findings.csv").read_text(encoding="utf-8")
    assert "value-moved,warning,icb,fixture,tbl-age-bands,age_band=20-64,people,500,540," in (
        findings_csv
    )


def test_a_qa_error_stops_the_build_and_leaves_the_previous_outputs(project, first_build):
    outputs = first_build.output_dir
    before = snapshot(outputs)
    notebook = project.parent / "notebooks" / "fixture.ipynb"
    original = notebook.read_text(encoding="utf-8")
    assert "[210, 540, 250]" in original
    notebook.write_text(original.replace("[210, 540, 250]", "[210, -540, 250]"), encoding="utf-8")
    try:
        with pytest.raises(BuildError) as caught:
            build(project)
    finally:
        notebook.write_text(original, encoding="utf-8")
    message = str(caught.value)
    assert "step 'qa'" in message
    assert "age-bands.csv" in message and "row age_band=20-64" in message
    assert "negative count" in message
    assert snapshot(outputs) == before
    kept = (project.parent / "build" / "qa" / "qa-report.md").read_text(encoding="utf-8")
    assert "negative-count | error" in kept
