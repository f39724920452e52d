"""``ina verify``: prove that published outputs are what the published code produces.

Three checks, reported per chapter and area:

1. **checksums**: every file listed in ``manifest.json`` still has its SHA-256 (and no
   file was added);
2. **notebook outputs**: each published notebook is re-executed with nbval
   (``pytest --nbval``), which compares every re-computed output (Markdown tables, key
   findings, text) with the published one; nbval ignores PNG bytes, figures are covered
   by their data CSVs instead;
3. **tables**: the re-executed notebook writes its CSVs again (its ``artefact_dir`` is
   relative, so they land in the temporary copy); they must equal the published
   ``data/<area>/<chapter>/*.csv`` byte for byte.

Notebooks re-run in parallel, one pytest process per notebook over the machine's cores.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ina.build.execute import ARTEFACT_DIR, kernel_environment
from ina.build.publish import MANIFEST_NAME, file_sha256, published_files, read_manifest
from ina.errors import BuildError

NOTEBOOK_TIMEOUT_SECONDS = 1800


@dataclass
class ChapterCheck:
    """The verdict for one chapter notebook of one area."""

    chapter: str
    area: str
    checksums_match: bool = True
    notebook_outputs_match: bool = False
    tables_match: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.checksums_match and self.notebook_outputs_match and self.tables_match


@dataclass
class VerifyReport:
    outputs_dir: Path
    chapters: list[ChapterCheck]
    file_problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.file_problems and all(check.ok for check in self.chapters)


def checksum_problems(outputs_dir: Path, manifest: dict) -> dict[str, str]:
    """Published path -> problem, for every file that differs from the manifest."""
    recorded: dict[str, dict] = manifest.get("outputs", {})
    problems: dict[str, str] = {}
    for relative, record in recorded.items():
        path = outputs_dir / relative
        if not path.is_file():
            problems[relative] = "missing"
        elif file_sha256(path) != record["sha256"]:
            problems[relative] = "checksum differs from manifest.json"
    for path in published_files(outputs_dir):
        relative = path.relative_to(outputs_dir).as_posix()
        if relative not in recorded:
            problems[relative] = "not listed in manifest.json"
    return problems


_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def _nbval_failure_summary(output: str) -> str:
    """The most telling lines of a failing nbval run (which cell, what differed)."""
    output = _ANSI_ESCAPE.sub("", output)
    interesting = [
        line.strip()
        for line in output.splitlines()
        if line.strip().startswith(("Notebook cell execution failed", "Cell ", "E ", "FAILED"))
        or "mismatch" in line.lower()
    ]
    return "; ".join(interesting[:4]) or (output.strip().splitlines() or ["nbval failed"])[-1]


def _compare_tables(published: Path, rederived: Path) -> list[str]:
    problems = []
    published_files_ = {p.relative_to(published).as_posix() for p in published.rglob("*.csv")}
    rederived_files = (
        {p.relative_to(rederived).as_posix() for p in rederived.rglob("*.csv")}
        if rederived.exists()
        else set()
    )
    for name in sorted(published_files_ - rederived_files):
        problems.append(f"{name}: published but not re-derived")
    for name in sorted(rederived_files - published_files_):
        problems.append(f"{name}: re-derived but not published")
    for name in sorted(published_files_ & rederived_files):
        if (published / name).read_bytes() != (rederived / name).read_bytes():
            problems.append(f"{name}: re-derived CSV differs from the published one")
    return problems


def check_notebook(outputs_dir: Path, area: str, chapter: str, scratch: Path) -> ChapterCheck:
    """Re-execute one published notebook with nbval and re-derive its CSVs."""
    check = ChapterCheck(chapter=chapter, area=area)
    run_dir = scratch / area / chapter
    run_dir.mkdir(parents=True)
    notebook = run_dir / f"{chapter}.ipynb"
    shutil.copyfile(outputs_dir / "notebooks" / area / f"{chapter}.ipynb", notebook)
    (run_dir / "pytest.ini").write_text("[pytest]\naddopts =\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--nbval",
        "--nbval-current-env",
        f"--nbval-cell-timeout={NOTEBOOK_TIMEOUT_SECONDS}",
        "-p",
        "no:cacheprovider",
        "-q",
        "--no-header",
        "-c",
        str(run_dir / "pytest.ini"),
        "--rootdir",
        str(run_dir),
        notebook.name,
    ]
    result = subprocess.run(
        command, cwd=run_dir, env=kernel_environment(), capture_output=True, text=True, check=False
    )
    check.notebook_outputs_match = result.returncode == 0
    if not check.notebook_outputs_match:
        check.problems.append(f"notebook outputs: {_nbval_failure_summary(result.stdout)}")
    table_problems = _compare_tables(
        outputs_dir / ARTEFACT_DIR / area / chapter, run_dir / ARTEFACT_DIR / area / chapter
    )
    check.tables_match = not table_problems
    check.problems.extend(f"tables: {problem}" for problem in table_problems)
    return check


def verify(outputs_dir: str | Path = "outputs", *, workers: int | None = None) -> VerifyReport:
    """Check checksums, re-execute every published notebook and re-derive every CSV."""
    outputs_dir = Path(outputs_dir).resolve()
    if not (outputs_dir / MANIFEST_NAME).is_file():
        raise BuildError(f"{outputs_dir}: no {MANIFEST_NAME}; is this a folder `ina build` made?")
    manifest = read_manifest(outputs_dir)
    bad_files = checksum_problems(outputs_dir, manifest)
    pairs = [
        (area["id"], chapter)
        for area in manifest.get("areas", [])
        for chapter in manifest.get("chapters", [])
    ]
    with tempfile.TemporaryDirectory(prefix="ina-verify-") as scratch_name:
        scratch = Path(scratch_name)
        max_workers = max(1, min(os.cpu_count() or 1, len(pairs) or 1))
        with ThreadPoolExecutor(max_workers=max_workers) as pool:
            checks = list(pool.map(lambda pair: check_notebook(outputs_dir, *pair, scratch), pairs))
    claimed: set[str] = set()
    for check in checks:
        prefixes = (
            f"notebooks/{check.area}/{check.chapter}.ipynb",
            f"{ARTEFACT_DIR}/{check.area}/{check.chapter}/",
        )
        for relative, problem in bad_files.items():
            if relative.startswith(prefixes):
                check.checksums_match = False
                check.problems.append(f"{relative}: {problem}")
                claimed.add(relative)
    file_problems = [
        f"{relative}: {problem}"
        for relative, problem in sorted(bad_files.items())
        if relative not in claimed
    ]
    return VerifyReport(outputs_dir, checks, file_problems)
