"""``ina build``: validate -> plan -> execute -> qa -> render -> publish.

Each step is named in the progress output and in any error it raises. Bad configuration
or input stops the build in 'validate', before any notebook runs; any later failure
leaves the previous outputs untouched because everything is built in a staging folder
under ``build/`` and only swapped into ``output_dir`` by 'publish'. Step 'qa' checks every
published table (``ina.quality``) and adds its report to the outputs; an error there stops
the build before publishing.

Before anything runs the build takes ``build/.lock`` (one build per project at a time),
checks that ``output_dir`` is safe to replace and writable, and removes staging folders
that killed builds left behind (``ina.build.safety``).
"""

from __future__ import annotations

import shutil
import signal
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ina.build.assemble import ReportSpec, chapter_outputs, relative_to_root, source_rows
from ina.build.execute import ARTEFACT_DIR, execute_jobs, execution_requests
from ina.build.plan import ICB_AREA_ID, BuildPlan, plan_build
from ina.build.progress import NullProgress, Progress
from ina.build.publish import package_versions, publish_atomically, write_manifest
from ina.build.render import RendererInfo, RendererName, choose_renderer, render_report
from ina.build.safety import (
    BuildLock,
    check_output_dir,
    check_output_parent,
    check_replaceable,
    claim_run_dir,
    remove_stale_runs,
    write_marker,
)
from ina.build.web import (
    DOWNLOADS_DIR,
    AreaPage,
    area_links,
    write_area_register,
    write_coverage_table,
    write_landing_page,
    write_sources_table,
    write_workbook,
)
from ina.build.workers import worker_pool
from ina.errors import BuildError, InaError
from ina.indicators.publish import publish_indicators
from ina.quality import (
    QA_DIR,
    REPORT_NAME,
    QaResult,
    raise_on_errors,
    run_quality_checks,
    write_qa_report,
)

STEPS = ("validate", "plan", "execute", "qa", "render", "publish")


@dataclass
class BuildResult:
    output_dir: Path
    renderer: RendererInfo
    plan: BuildPlan
    stage_seconds: dict[str, float] = field(default_factory=dict)
    qa: QaResult | None = None


@dataclass
class _Validated:
    settings: Any
    provenance: list[dict[str, Any]]


def report_title(settings: Any) -> str:
    return f"Integrated Needs Assessment {settings.reporting_year}"


def report_basename(settings: Any) -> str:
    return f"integrated-needs-assessment-{settings.reporting_year}"


def _plain(value: Any) -> Any:
    """A pydantic model or mapping as a plain dict (picklable, template-friendly)."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return dict(value)
    return value


def scheme_label(settings: Any) -> str:
    """The active place scheme's label, whatever shape the settings give it."""
    active = getattr(settings, "active_scheme", None)
    if isinstance(getattr(active, "label", None), str):
        return str(active.label)
    for attribute in ("place_scheme_label", "scheme_label"):
        label = getattr(settings, attribute, None)
        if isinstance(label, str):
            return label
    scheme = getattr(settings, "place_scheme", None)
    schemes = getattr(settings, "place_schemes", None)
    if scheme is not None and schemes is not None:
        chosen = schemes.get(scheme) if isinstance(schemes, Mapping) else None
        label = getattr(chosen, "label", None) or (
            chosen.get("label") if isinstance(chosen, Mapping) else None
        )
        if label:
            return str(label)
    label = getattr(scheme, "label", None)
    return str(label or scheme or "places")


def validate(config_path: Path) -> _Validated:
    """Load the config and every extract: bad input stops here, before any notebook runs."""
    from ina.config import load_settings
    from ina.sources import load_all_sources
    from ina.sources.consistency import check_codes_are_known

    settings = load_settings(config_path)
    check_output_dir(settings)  # before anything reads or writes: never publish onto inputs
    extracts = load_all_sources(settings)
    root = Path(settings.root)
    check_codes_are_known(extracts, root)
    provenance: list[dict[str, Any]] = []
    for extract in extracts.values():
        for record in extract.provenance:
            entry = dict(record.to_dict())
            entry["path"] = relative_to_root(entry["path"], root)
            provenance.append(entry)
    provenance.sort(key=lambda entry: (str(entry["name"]), str(entry["path"])))
    return _Validated(settings, provenance)


def area_pages(settings: Any, plan: BuildPlan) -> list[AreaPage]:
    """Where each area's HTML, PDF and workbook are published (relative to the outputs)."""
    pages = []
    for area in plan.areas:
        if area.kind == "icb":
            base = f"report/{report_basename(settings)}"
            html, pdf = f"{base}.html", f"{base}.pdf"
        else:
            html, pdf = f"places/{area.id}.html", f"places/{area.id}.pdf"
        workbook = f"{DOWNLOADS_DIR}/{area.id}.xlsx"
        pages.append(AreaPage(area.id, area.name, area.kind, html, pdf, workbook))
    return pages


def _report_specs(
    validated: _Validated, plan: BuildPlan, stage: Path, notebooks_from: Path | None = None
) -> list[tuple[ReportSpec, Path | None, Path]]:
    """One spec per area with its output paths: an HTML page and a PDF for every area.

    The executed notebooks are read from ``notebooks_from`` (default: ``stage``);
    ``ina verify`` reads them from the published folder and renders into a scratch one.
    """
    from ina.sources.coverage import coverage

    settings = validated.settings
    rows = source_rows(validated.provenance, plan.root)
    covered = tuple(row.to_dict() for row in coverage(settings))
    label = scheme_label(settings)
    specs = []
    pages = {page.area_id: page for page in area_pages(settings, plan)}
    for area in plan.areas:
        is_icb = area.kind == "icb"
        page = pages[area.id]
        spec = ReportSpec(
            area_id=area.id,
            area_name=area.name,
            area_kind="Whole ICB" if is_icb else f"Place profile: {label}",
            title=report_title(settings),
            organisation=str(settings.icb.name),
            data_status=str(settings.data_status),
            chapters=chapter_outputs(notebooks_from or stage, area.id, plan.chapters),
            sources=rows,
            suppression=_plain(settings.suppression),
            scheme_label=label,
            formats=("html", "pdf"),
            extra={"links": area_links(page, from_folder=str(Path(page.pdf).parent))},
            coverage=covered,
        )
        specs.append((spec, stage / str(page.html), stage / page.pdf))
    return specs


def _workbook_jobs(validated: _Validated, plan: BuildPlan, stage: Path) -> list[dict[str, Any]]:
    """The arguments of :func:`ina.build.web.write_workbook` for every area (picklable).

    Workbooks are written by the render step's worker processes, beside the reports:
    serially they took as long as two reports (about a million cells in all).
    """
    from ina.indicators.catalogue import load_catalogue

    settings = validated.settings
    rows = source_rows(validated.provenance, plan.root)
    suppression = _plain(settings.suppression)
    definitions = list(load_catalogue())
    return [
        {
            "path": stage / page.workbook,
            "data_dir": stage / ARTEFACT_DIR,
            "notebooks_dir": stage / "notebooks",
            "area_id": page.area_id,
            "area_name": page.area_name,
            "title": report_title(settings),
            "chapters": plan.chapters,
            "sources": rows,
            "suppression": suppression,
            "definitions": definitions,
        }
        for page in area_pages(settings, plan)
    ]


def _landing_page(validated: _Validated, plan: BuildPlan, stage: Path) -> None:
    """The landing page ``index.html`` (``ina.build.web``), once the workbooks exist."""
    settings = validated.settings
    spec_like = ReportSpec(
        area_id=ICB_AREA_ID,
        area_name=str(settings.icb.name),
        area_kind=None,
        title=report_title(settings),
        organisation=str(settings.icb.name),
        data_status=str(settings.data_status),
        chapters=(),
        sources=(),
        suppression=_plain(settings.suppression),
        scheme_label="",
    )
    write_landing_page(
        stage,
        templates_dir=plan.root / "templates",
        title=report_title(settings),
        organisation=str(settings.icb.name),
        status_text=spec_like.status_text,
        demo=spec_like.demo,
        pages=area_pages(settings, plan),
    )


def _render_all(
    specs: list[tuple[ReportSpec, Path | None, Path]],
    *,
    renderer: RendererInfo,
    project_root: Path,
    work_root: Path,
    progress: Progress,
    workers: int | None,
    workbooks: Sequence[Mapping[str, Any]] = (),
) -> None:
    """Render every report, and write every workbook, over one pool of worker processes.

    Reports go first (they take longest), then the workbooks, so that the two cores stay
    busy to the end. Raises BuildError naming the area and what failed.
    """
    counter = progress.jobs("reports and workbooks", total=len(specs) + len(workbooks))
    renderer_kind = "quarto" if renderer.name == "quarto" else "pandoc"
    try:
        with worker_pool(workers or None) as pool:
            futures: dict[Any, tuple[str, str]] = {
                pool.submit(
                    render_report,
                    spec,
                    renderer=renderer_kind,
                    project_root=project_root,
                    work_dir=work_root / spec.area_id,
                    html=html,
                    pdf=pdf,
                ): ("render", spec.area_id)
                for spec, html, pdf in specs
            }
            for job in workbooks:
                futures[pool.submit(write_workbook, **job)] = ("workbook", str(job["area_id"]))
            for future, (what, area_id) in futures.items():
                try:
                    future.result()
                except InaError:
                    raise
                except Exception as error:
                    label = "" if what == "render" else " (Excel workbook)"
                    raise BuildError(
                        f"step 'render' failed for {area_id}{label}: {error}"
                    ) from error
                counter.advance(area_id if what == "render" else f"{area_id} workbook")
    finally:
        counter.close()


def build(
    config_path: str | Path = "ina.yml",
    *,
    progress: Progress | None = None,
    renderer: RendererName = "auto",
    workers: int | None = None,
    keep_work: bool = False,
) -> BuildResult:
    """Run the whole build and publish it to ``settings.output_dir``.

    Raises ConfigError / InputError from 'validate' and BuildError (naming the step and
    the job) from the later steps; in every case the previous outputs are left intact.
    """
    progress = progress or NullProgress()
    config_path = Path(config_path).resolve()
    with BuildLock(config_path.parent / "build"):
        return _locked_build(
            config_path, progress=progress, renderer=renderer, workers=workers, keep_work=keep_work
        )


def _locked_build(
    config_path: Path,
    *,
    progress: Progress,
    renderer: RendererName,
    workers: int | None,
    keep_work: bool,
) -> BuildResult:
    """The build proper, run while this project's ``build/.lock`` is held."""
    timings: dict[str, float] = {}

    started = time.perf_counter()
    with progress.step("validate", f"{config_path.name} and every source extract"):
        validated = validate(config_path)
        settings = validated.settings
        output_dir = check_output_dir(settings)
        check_output_parent(settings)
        check_replaceable(output_dir)  # refuse now, not after the whole build
    timings["validate"] = time.perf_counter() - started
    progress.note(f"{len(validated.provenance)} extract files read and checked")

    started = time.perf_counter()
    with progress.step("plan", "areas x chapters"):
        plan = plan_build(settings)
        chosen_renderer = choose_renderer(renderer)
        remove_stale_runs(plan.root / "build")
        run_dir = plan.root / "build" / f"run-{uuid.uuid4().hex[:12]}"
        stage = run_dir / "outputs"
        claim_run_dir(run_dir, keep=keep_work)
        stage.mkdir()
    timings["plan"] = time.perf_counter() - started
    progress.note(
        f"{len(plan.areas)} areas x {len(plan.chapters)} chapters = {len(plan.jobs)} notebooks; "
        f"renderer {chosen_renderer.name}"
    )
    try:
        started = time.perf_counter()
        with progress.step("execute", f"{len(plan.jobs)} notebooks with Papermill"):
            # Every indicator for every area, once: written to data/indicators.* and
            # cached for the notebooks, which read the same results.
            write_area_register(
                stage / ARTEFACT_DIR,
                plan.areas,
                icb_code=getattr(settings.icb, "ons_code", None),
                rule=settings.suppression,
            )
            write_sources_table(
                stage / ARTEFACT_DIR,
                source_rows(validated.provenance, plan.root),
                rule=settings.suppression,
            )
            from ina.sources.coverage import coverage

            write_coverage_table(
                stage / ARTEFACT_DIR,
                [row.to_dict() for row in coverage(settings)],
                rule=settings.suppression,
            )
            publish_indicators(config_path, stage / ARTEFACT_DIR)
            requests = execution_requests(
                plan.jobs, config_path=config_path, stage_dir=stage, log_dir=run_dir / "logs"
            )
            execute_jobs(requests, progress=progress, workers=workers)
        timings["execute"] = time.perf_counter() - started

        started = time.perf_counter()
        with progress.step("qa", "data-quality checks on every published table"):
            qa = _quality_checks(settings, plan, stage, output_dir)
        timings["qa"] = time.perf_counter() - started
        progress.note(qa.summary_line())

        started = time.perf_counter()
        with progress.step(
            "render",
            f"full report and {len(plan.places)} place reports (HTML, PDF), Excel workbooks",
        ):
            specs = _report_specs(validated, plan, stage)
            _render_all(
                specs,
                renderer=chosen_renderer,
                project_root=plan.root,
                work_root=run_dir / "work",
                progress=progress,
                workers=workers,
                workbooks=_workbook_jobs(validated, plan, stage),
            )
            _landing_page(validated, plan, stage)
        timings["render"] = time.perf_counter() - started

        started = time.perf_counter()
        with progress.step("publish", f"manifest.json and swap into {output_dir}"):
            try:
                write_marker(stage)
                write_manifest(stage, _manifest_content(validated, plan, chosen_renderer))
                with _sigint_ignored():
                    publish_atomically(stage, output_dir)
            except OSError as error:
                raise BuildError(f"step 'publish' failed: {error}") from error
        timings["publish"] = time.perf_counter() - started
    finally:
        if not keep_work:
            shutil.rmtree(run_dir, ignore_errors=True)
    return BuildResult(output_dir, chosen_renderer, plan, timings, qa)


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Let the swap (milliseconds) finish: a Ctrl-C between its two renames would leave
    no outputs at all, the one state that "previous outputs intact" excludes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _quality_checks(settings: Any, plan: BuildPlan, stage: Path, output_dir: Path) -> QaResult:
    """Step 'qa': check the staged tables (and against the previous outputs), write the
    report into the stage; on an error, copy it to ``build/qa/`` and stop the build."""
    suppression = getattr(settings, "suppression", None)
    result = run_quality_checks(
        stage / ARTEFACT_DIR,
        previous_data_dir=output_dir / ARTEFACT_DIR,
        area_names={area.id: area.name for area in plan.areas},
        marker=str(getattr(suppression, "marker", None) or "*"),
        threshold=settings.qa.move_threshold,
    )
    write_qa_report(result, stage / QA_DIR)
    kept = plan.root / "build" / QA_DIR  # outlives the run folder when the build stops
    shutil.rmtree(kept, ignore_errors=True)
    if not result.errors.empty:
        write_qa_report(result, kept)
        raise_on_errors(result, report_path=relative_to_root(kept / REPORT_NAME, plan.root))
    return result


def _manifest_content(
    validated: _Validated, plan: BuildPlan, renderer: RendererInfo
) -> dict[str, Any]:
    settings = validated.settings
    return {
        "title": report_title(settings),
        "config": settings.model_dump_for_manifest(),
        "inputs": validated.provenance,
        "areas": [{"id": area.id, "name": area.name, "kind": area.kind} for area in plan.areas],
        "chapters": list(plan.chapters),
        "packages": package_versions(),
        "renderer": renderer.to_dict(),
    }
