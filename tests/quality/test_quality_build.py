"""Step 'qa' of ``ina build`` end to end, on the small fixture chapter (three builds).

A first build has nothing to compare with; a later build compares every table with the
outputs already published (a value of the first build's outputs is edited to play the
previous release); a chapter that publishes a negative count stops the build in 'qa'
and leaves the previous outputs untouched.

Each build is the real command (``python -m ina.cli build``) in a subprocess: it checks
the summary line users see, and keeps the test independent of what earlier tests did in
this process (a process that has already run Typst must not fork render workers: Typst's
thread pool does not survive ``fork``).
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ina.build.execute import kernel_environment
from ina.build.publish import file_sha256, read_manifest
from ina.build.verify import checksum_problems
from ina.cli import EXIT_BUILD

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


def run_build(config: Path) -> subprocess.CompletedProcess[str]:
    """``ina build`` in the project folder, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "ina.cli", "build", "--config", config.name],
        cwd=config.parent,
        env=kernel_environment(),  # this ina importable, whatever PYTHONPATH says
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def read_findings(outputs: Path) -> pd.DataFrame:
    return pd.read_csv(outputs / "qa" / "qa-findings.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_fixture_project(tmp_path_factory.mktemp("qa-project"))


@pytest.fixture(scope="module")
def first_build(project: Path) -> tuple[Path, str]:
    result = run_build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    return project.parent / "outputs", result.stdout


def test_a_first_build_publishes_a_qa_report_without_between_release_findings(first_build):
    outputs, stdout = first_build
    assert stdout.strip().splitlines()[-1] == (
        "QA: 0 errors, 0 warnings, 0 notes (no previous release to compare with); "
        "see outputs/qa/qa-report.md"
    )
    assert read_findings(outputs).empty
    report = (outputs / "qa" / "qa-report.md").read_text(encoding="utf-8")
    # 6 areas x (figure data + table), data/indicators.csv, areas.csv, sources.csv and
    # coverage.csv
    assert "- Tables checked: 16" in report
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
    outputs, _ = first_build
    # Play the previous release: it published 500 people aged 20-64 where the data give 540.
    set_people(outputs / TABLE, "20-64", 500)
    result = run_build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == (
        "QA: 0 errors, 1 warning, 0 notes; see outputs/qa/qa-report.md"
    )
    findings = read_findings(outputs)
    assert findings[
        ["check", "severity", "area", "table", "row_key", "column"]
    ].values.tolist() == [
        ["value-moved", "warning", "icb", "tbl-age-bands", "age_band=20-64", "people"]
    ]
    assert findings.iloc[0][["previous_value", "new_value"]].tolist() == ["500", "540"]
    report = (outputs / "qa" / "qa-report.md").read_text(encoding="utf-8")
    assert "| value-moved | warning | icb | fixture | tbl-age-bands | age_band=20-64 |" in report
    assert "+8.0%" in report and "16 tables compared" in report


def test_a_qa_error_stops_the_build_and_leaves_the_previous_outputs(project, first_build):
    outputs, _ = first_build
    before = snapshot(outputs)
    notebook = project.parent / "notebooks" / "fixture.ipynb"
    original = notebook.read_text(encoding="utf-8")
    assert "[210, 540, 250]" in original
    notebook.write_text(original.replace("[210, 540, 250]", "[210, -540, 250]"), encoding="utf-8")
    try:
        result = run_build(project)
    finally:
        notebook.write_text(original, encoding="utf-8")
    assert result.returncode == EXIT_BUILD
    message = " ".join(result.stderr.split())
    assert "ina: build error: step 'qa'" in message
    assert "age-bands.csv" in message and "row age_band=20-64" in message
    assert "negative count" in message
    assert snapshot(outputs) == before
    kept = (project.parent / "build" / "qa" / "qa-report.md").read_text(encoding="utf-8")
    assert "negative-count | error" in kept
