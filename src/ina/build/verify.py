"""``ina verify``: prove that published outputs are what the published code produces.

Four checks per chapter and area, then the reports:

1. **checksums**: every file listed in ``manifest.json`` still has its SHA-256 (and no
   file was added);
2. **notebook outputs**: each published notebook is re-executed with nbval
   (``pytest --nbval``), which compares every re-computed output (Markdown tables, key
   findings, text) with the published one;
3. **figures**: nbval does not compare image bytes, so a plugin
   (``ina.build._nbval_figures``) keeps the PNGs the re-execution drew and each must equal
   the published one byte for byte (the figures are deterministic);
4. **tables**: the re-executed notebook writes its CSVs again (its ``artefact_dir`` is
   relative, so they land in the temporary copy); they must equal the published
   ``data/<area>/<chapter>/*.csv`` byte for byte;
5. **reports**: the report sources are rebuilt from the (now verified) published
   notebooks and rendered again with the renderer the manifest names; every published
   HTML and PDF must equal its re-rendered bytes. So a changed PNG or PDF is caught even
   when ``manifest.json`` was updated to match it.

The notebooks find ``ina.yml`` through ``$INA_CONFIG`` (``ina.config.locate``): by default
the config file named in the notebooks, looked for in the outputs' folder and its parents.
Notebooks re-run in parallel, one pytest process per notebook over the machine's cores.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ina.build._nbval_figures import FIGURES_ENV
from ina.build.assemble import parse_cell_options
from ina.build.execute import ARTEFACT_DIR, kernel_environment, parameters_of
from ina.build.publish import MANIFEST_NAME, file_sha256, published_files, read_manifest
from ina.config.locate import CONFIG_ENV
from ina.errors import BuildError, InaError
from ina.publishing.tables import AREA_REGISTER

NOTEBOOK_TIMEOUT_SECONDS = 1800


@dataclass
class ChapterCheck:
    """The verdict for one chapter notebook of one area."""

    chapter: str
    area: str
    checksums_match: bool = True
    notebook_outputs_match: bool = False
    figures_match: bool = False
    tables_match: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.checksums_match
            and self.notebook_outputs_match
            and self.figures_match
            and self.tables_match
        )


@dataclass
class VerifyReport:
    outputs_dir: Path
    chapters: list[ChapterCheck]
    file_problems: list[str]
    report_problems: list[str] = field(default_factory=list)
    """Published HTML/PDF that differ from a re-render of the published notebooks."""

    @property
    def ok(self) -> bool:
        return (
            not self.file_problems
            and not self.report_problems
            and all(check.ok for check in self.chapters)
        )


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


def _published_pngs(notebook: nbformat.NotebookNode) -> dict[int, tuple[str, list[str]]]:
    """Code-cell number (as nbval counts) -> (how to name it, its published PNGs, base64)."""
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    return {
        number: (
            str(parse_cell_options(cell.source).get("label") or f"code cell {number}"),
            [
                output["data"]["image/png"]
                for output in cell.get("outputs", [])
                if "image/png" in output.get("data", {})
            ],
        )
        for number, cell in enumerate(code_cells)
    }


def _compare_figures(published: nbformat.NotebookNode, recorded: Path) -> list[str]:
    """Each re-drawn PNG against the published one, byte for byte."""
    redrawn: dict[int, list[str]] = {}
    if recorded.is_file():
        for line in recorded.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            redrawn[int(entry["cell"])] = entry["png"]
    problems = []
    for number, (name, pngs) in _published_pngs(published).items():
        again = redrawn.get(number)
        if not pngs and not again:
            continue
        if again is None:
            problems.append(f"{name}: its figure was not re-drawn")
        elif len(again) != len(pngs):
            problems.append(f"{name}: {len(again)} figures re-drawn, {len(pngs)} published")
        elif any(
            base64.b64decode(a) != base64.b64decode(b) for a, b in zip(again, pngs, strict=True)
        ):
            problems.append(f"{name}: re-drawn PNG differs from the published one")
    return problems


def check_notebook(
    outputs_dir: Path, area: str, chapter: str, scratch: Path, config_file: Path
) -> ChapterCheck:
    """Re-execute one published notebook with nbval; compare its figures and CSVs."""
    check = ChapterCheck(chapter=chapter, area=area)
    run_dir = scratch / area / chapter
    run_dir.mkdir(parents=True)
    notebook = run_dir / f"{chapter}.ipynb"
    shutil.copyfile(outputs_dir / "notebooks" / area / f"{chapter}.ipynb", notebook)
    (run_dir / "pytest.ini").write_text("[pytest]\naddopts =\n", encoding="utf-8")
    # The published area register names the areas of every CSV (as it did in the build).
    register = outputs_dir / ARTEFACT_DIR / AREA_REGISTER
    if register.is_file():
        (run_dir / ARTEFACT_DIR).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(register, run_dir / ARTEFACT_DIR / AREA_REGISTER)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--nbval",
        "--nbval-current-env",
        f"--nbval-cell-timeout={NOTEBOOK_TIMEOUT_SECONDS}",
        "-p",
        "no:cacheprovider",
        "-p",
        "ina.build._nbval_figures",
        "-q",
        "--no-header",
        "-c",
        str(run_dir / "pytest.ini"),
        "--rootdir",
        str(run_dir),
        notebook.name,
    ]
    figures = run_dir / "figures.jsonl"
    environment = {
        **kernel_environment(),
        CONFIG_ENV: str(config_file),
        FIGURES_ENV: str(figures),
    }
    result = subprocess.run(
        command, cwd=run_dir, env=environment, capture_output=True, text=True, check=False
    )
    check.notebook_outputs_match = result.returncode == 0
    if not check.notebook_outputs_match:
        check.problems.append(f"notebook outputs: {_nbval_failure_summary(result.stdout)}")
    figure_problems = _compare_figures(nbformat.read(notebook, as_version=4), figures)
    check.figures_match = not figure_problems
    check.problems.extend(f"figures: {problem}" for problem in figure_problems)
    table_problems = _compare_tables(
        outputs_dir / ARTEFACT_DIR / area / chapter, run_dir / ARTEFACT_DIR / area / chapter
    )
    check.tables_match = not table_problems
    check.problems.extend(f"tables: {problem}" for problem in table_problems)
    return check


def find_config(outputs_dir: Path, manifest: dict) -> Path:
    """The config file the published notebooks name, found from the outputs' folder up.

    Its name comes from the notebooks' ``config_path`` parameter (else the manifest's
    ``config_file``); it is looked for in the folder holding the outputs and each parent,
    then in the working directory.
    """
    names = [str(manifest.get("config", {}).get("config_file") or "ina.yml")]
    areas, chapters = manifest.get("areas", []), manifest.get("chapters", [])
    if areas and chapters:
        first = outputs_dir / "notebooks" / areas[0]["id"] / f"{chapters[0]}.ipynb"
        if first.is_file():
            injected = parameters_of(nbformat.read(first, as_version=4)).get("config_path")
            names.insert(0, str(injected or names[0]))
    name = Path(names[0])
    if name.is_absolute():  # outputs of a build before notebooks named only the file
        return name
    for folder in (outputs_dir.parent, *outputs_dir.parent.parents, Path.cwd()):
        if (folder / name).is_file():
            return (folder / name).resolve()
    raise BuildError(
        f"{outputs_dir}: cannot find {name} (the config its notebooks name) in its folder or "
        "any parent; pass it with --config"
    )


def rebuild_reports(
    outputs_dir: Path, manifest: dict, config_file: Path, scratch: Path, workers: int | None
) -> list[str]:
    """Render every report again from the published notebooks; list what differs."""
    from ina.build.pipeline import _report_specs, _Validated
    from ina.build.plan import plan_build
    from ina.build.render import choose_renderer, render_report
    from ina.build.workers import worker_pool
    from ina.config import load_settings

    settings = load_settings(config_file)
    if settings.model_dump_for_manifest() != manifest.get("config"):
        return [
            f"{config_file} differs from the configuration in manifest.json, so the reports "
            "cannot be rebuilt; pass the ina.yml they were built with (--config)"
        ]
    recorded = str(manifest.get("renderer", {}).get("name", ""))
    try:
        renderer = choose_renderer("quarto" if recorded == "quarto" else "pandoc")
    except InaError as error:
        return [f"cannot re-render with {recorded or 'the recorded renderer'}: {error}"]
    if renderer.to_dict() != manifest.get("renderer"):
        return [f"renderer {renderer.to_dict()} is not the one the outputs were built with"]
    plan = plan_build(settings)
    validated = _Validated(settings, list(manifest.get("inputs", [])))
    stage = scratch / "reports"
    specs = _report_specs(validated, plan, stage, notebooks_from=outputs_dir)
    kind = "quarto" if renderer.name == "quarto" else "pandoc"
    problems = []
    with worker_pool(workers or None) as pool:
        futures = [
            (
                pool.submit(
                    render_report,
                    spec,
                    renderer=kind,
                    project_root=plan.root,
                    work_dir=scratch / "render-work" / spec.area_id,
                    html=html,
                    pdf=pdf,
                ),
                [path for path in (html, pdf) if path is not None],
            )
            for spec, html, pdf in specs
        ]
        for future, targets in futures:
            shown = ", ".join(target.relative_to(stage).as_posix() for target in targets)
            try:
                future.result()
            except Exception as error:  # a tampered figure may not even decode
                message = " ".join(str(error).split())[:200]
                problems.append(f"{shown}: cannot be rendered again from the notebooks: {message}")
                continue
            for target in targets:
                relative = target.relative_to(stage).as_posix()
                published = outputs_dir / relative
                if not published.is_file():
                    problems.append(f"{relative}: re-rendered but not published")
                elif published.read_bytes() != target.read_bytes():
                    problems.append(
                        f"{relative}: differs from a re-render of the published notebooks"
                    )
    return problems


def rederive_indicators(outputs_dir: Path, config_file: Path, scratch: Path) -> list[str]:
    """Recompute ``data/indicators.*`` from the extracts (no cache) and compare the bytes."""
    from ina.indicators.publish import publish_indicators

    folder = scratch / "indicators"
    try:
        written = publish_indicators(config_file, folder, use_cache=False)
    except InaError as error:
        return [f"{ARTEFACT_DIR}/indicators.csv: cannot be re-derived: {error}"]
    problems = []
    for path in written:
        relative = f"{ARTEFACT_DIR}/{path.name}"
        published = outputs_dir / relative
        if not published.is_file():
            problems.append(f"{relative}: re-derived but not published")
        elif published.read_bytes() != path.read_bytes():
            problems.append(f"{relative}: differs from the values re-derived from the extracts")
    return problems


def verify(
    outputs_dir: str | Path = "outputs",
    *,
    workers: int | None = None,
    config: str | Path | None = None,
) -> VerifyReport:
    """Check checksums, re-execute every published notebook, re-derive every CSV, figure
    and report."""
    outputs_dir = Path(outputs_dir).resolve()
    if not (outputs_dir / MANIFEST_NAME).is_file():
        raise BuildError(f"{outputs_dir}: no {MANIFEST_NAME}; is this a folder `ina build` made?")
    manifest = read_manifest(outputs_dir)
    config_file = (
        Path(config).resolve() if config is not None else find_config(outputs_dir, manifest)
    )
    if not config_file.is_file():
        raise BuildError(f"{config_file}: no such config file (--config)")
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
            checks = list(
                pool.map(
                    lambda pair: check_notebook(outputs_dir, *pair, scratch, config_file), pairs
                )
            )
        report_problems = rebuild_reports(outputs_dir, manifest, config_file, scratch, workers)
        report_problems += rederive_indicators(outputs_dir, config_file, scratch)
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
    return VerifyReport(outputs_dir, checks, file_problems, report_problems)
