"""The ``ina`` command line: ``build``, ``verify``, ``qa``, ``validate``, ``areas``, ``demo-data``,
``fetch``.

Every error a user can cause (a wrong key in ``ina.yml``, a bad extract, a failing
notebook) is printed as one line naming where the problem is, with a non-zero exit code
and no traceback. So is anything unexpected (a bug, a full disk): one line naming the
command's step and the error, and the full traceback goes to a log file whose path the
line gives (``build/logs/ina-<command>.log`` in the project folder, git-ignored, replaced
by the next failure of that command):

=========  =============================================
exit code  meaning
=========  =============================================
0          success
1          ``ina verify`` found a mismatch; ``ina qa`` found an error
2          configuration error (``ina.yml``)
3          input error (a source extract); ``ina fetch``: offline or the API failed
4          build error (a step failed; outputs untouched)
5          unexpected error (a bug): see the log file named
130        interrupted (Ctrl-C); previous outputs intact
=========  =============================================
"""

from __future__ import annotations

from asyncio import CancelledError
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from ina.errors import BuildError, ConfigError, FetchError, InaError, InputError

app = typer.Typer(
    name="ina",
    help="Regenerate the Integrated Needs Assessment from source extracts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_MISMATCH = 1
EXIT_CONFIG = 2
EXIT_INPUT = 3
EXIT_BUILD = 4
EXIT_UNEXPECTED = 5
EXIT_INTERRUPTED = 130
LOG_DIR = Path("build") / "logs"

_ERROR_LABELS: tuple[tuple[type[InaError], str, int], ...] = (
    (ConfigError, "configuration error", EXIT_CONFIG),
    (InputError, "input error", EXIT_INPUT),
    (FetchError, "fetch error", EXIT_INPUT),
    (BuildError, "build error", EXIT_BUILD),
)

T = TypeVar("T")

ConfigOption = Annotated[
    Path, typer.Option("--config", "-c", help="The configuration file.", show_default=True)
]


class RendererChoice(StrEnum):
    auto = "auto"
    quarto = "quarto"
    pandoc = "pandoc"


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _log_traceback(command: str, project: Path) -> Path:
    """Write the current exception's traceback to ``<project>/build/logs/ina-<command>.log``.

    Falls back to the temporary folder when the project cannot be written.
    """
    import tempfile
    import traceback

    text = traceback.format_exc()
    for folder in (project / LOG_DIR, Path(tempfile.gettempdir())):
        path = folder / f"ina-{command}.log"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return Path("(no log could be written)")


@contextmanager
def _one_line_errors(
    command: str = "ina",
    *,
    project: Path | None = None,
    step: Callable[[], str | None] | None = None,
) -> Iterator[None]:
    """Turn any exception into one line on stderr and its exit code; never a traceback.

    InaError: the user's mistake, one line saying where. KeyboardInterrupt: exit 130 (the
    build stops its workers and never half-publishes). Anything else: the step and the
    error in one line, the traceback in a log file.
    """
    try:
        yield
    except InaError as error:
        label, code = "error", EXIT_BUILD
        for error_type, error_label, error_code in _ERROR_LABELS:
            if isinstance(error, error_type):
                label, code = error_label, error_code
                break
        from rich.markup import escape

        # One line per problem: a config error lists every problem of ina.yml at once.
        lines = error.problems if isinstance(error, ConfigError) else (str(error),)
        if len(lines) > 1:
            _stderr().print(f"ina: {label}: {len(lines)} problems", markup=False)
        for line in lines:
            message = escape(" ".join(line.split()))  # "[c]" in a message is not markup
            _stderr().print(f"[bold red]ina: {label}:[/bold red] {message}", markup=True)
        raise typer.Exit(code) from None
    except KeyboardInterrupt:
        _stderr().print(f"ina: {command} interrupted; previous outputs intact", markup=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except (Exception, CancelledError) as error:  # CancelledError is a BaseException
        log = _log_traceback(command, project or Path.cwd())
        where = step() if step is not None else None
        message = " ".join(f"{type(error).__name__}: {error}".split())
        _stderr().print(
            f"ina: unexpected error in {command}"
            + (f", step '{where}'" if where else "")
            + f": {message}; traceback in {log}",
            markup=False,
        )
        raise typer.Exit(EXIT_UNEXPECTED) from None


def _guarded(
    action: Callable[[], T],
    command: str = "ina",
    *,
    project: Path | None = None,
    step: Callable[[], str | None] | None = None,
) -> T:
    with _one_line_errors(command, project=project, step=step):
        return action()
    raise AssertionError("unreachable")  # pragma: no cover


def _project(config: Path) -> Path:
    """The project folder of a config file (where ``build/`` lives)."""
    return config.resolve().parent


@app.command()
def build(
    config: ConfigOption = Path("ina.yml"),
    renderer: Annotated[
        RendererChoice,
        typer.Option(help="auto: Quarto when on PATH, else pandoc + Typst."),
    ] = RendererChoice.auto,
    workers: Annotated[
        int | None, typer.Option(help="Parallel processes (default: one per core).")
    ] = None,
    keep_work: Annotated[
        bool, typer.Option(help="Keep build/run-*/ (report sources, logs) for inspection.")
    ] = False,
) -> None:
    """Validate, execute every chapter for every area, render and publish the INA."""
    from ina.build import STEPS, RichProgress
    from ina.build import build as run_build

    progress = RichProgress(_stderr(), total_steps=len(STEPS))
    result = _guarded(
        lambda: run_build(
            config,
            progress=progress,
            renderer=renderer.value,
            workers=workers,
            keep_work=keep_work,
        ),
        "build",
        project=_project(config),
        step=lambda: progress.current_step,
    )
    total = sum(result.stage_seconds.values())
    typer.echo(f"Published {result.output_dir} in {total:.0f} s (renderer {result.renderer.name}).")
    if result.qa is not None:
        typer.echo(result.qa.summary_line(_shown_path(result.output_dir / "qa" / "qa-report.md")))


def _shown_path(path: Path) -> str:
    """``path`` relative to the working directory when inside it (as a user typed it)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


@app.command()
def verify(
    outputs: Annotated[
        Path, typer.Option("--outputs", "-o", help="A folder published by `ina build`.")
    ] = Path("outputs"),
    workers: Annotated[int | None, typer.Option(help="Parallel notebooks.")] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="The ina.yml the outputs were built from [found from the outputs' folder up].",
        ),
    ] = None,
) -> None:
    """Check checksums, re-execute every notebook (nbval), re-derive CSVs, figures, reports."""
    from ina.build import verify as run_verify

    console = Console()
    console.print(f"Verifying {outputs} (re-executing every published notebook)...")
    report = _guarded(lambda: run_verify(outputs, workers=workers, config=config), "verify")
    table = Table(title=f"ina verify: {report.outputs_dir}")
    columns = ("chapter", "area", "checksums", "notebook outputs match", "figures match")
    for column in (*columns, "tables match"):
        table.add_column(column)

    def mark(ok: bool) -> str:
        return "[green]yes[/green]" if ok else "[bold red]NO[/bold red]"

    for check in report.chapters:
        table.add_row(
            check.chapter,
            check.area,
            mark(check.checksums_match),
            mark(check.notebook_outputs_match),
            mark(check.figures_match),
            mark(check.tables_match),
        )
    console.print(table)
    for check in report.chapters:
        for problem in check.problems:
            console.print(f"[red]{check.chapter}/{check.area}[/red]: {problem}", highlight=False)
    for problem in report.file_problems:
        console.print(f"[red]file[/red]: {problem}", highlight=False)
    for problem in report.report_problems:
        console.print(f"[red]report[/red]: {problem}", highlight=False)
    if not report.ok:
        console.print("[bold red]Verification failed.[/bold red]")
        raise typer.Exit(EXIT_MISMATCH)
    console.print("[green]All published outputs verified.[/green]")


@app.command()
def qa(
    outputs: Annotated[
        Path, typer.Option("--outputs", "-o", help="A folder published by `ina build`.")
    ] = Path("outputs"),
    previous: Annotated[
        Path | None,
        typer.Option(help="An earlier published folder to compare with (between releases)."),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(help="A number moving by more than this fraction is a warning [0.05]."),
    ] = None,
    limit: Annotated[int, typer.Option(help="Findings to list (all are counted).")] = 50,
) -> None:
    """Re-run the data-quality checks on published outputs (and against --previous)."""
    import json

    from rich.markup import escape

    from ina.quality import DEFAULT_MOVE_THRESHOLD, SEVERITIES, QaResult, run_quality_checks

    def published_data(folder: Path) -> Path:
        if not (folder / "data").is_dir():
            raise BuildError(f"{folder}: no data/ folder; is this a folder `ina build` made?")
        return folder / "data"

    def run() -> QaResult:
        data = published_data(outputs)
        manifest = outputs / "manifest.json"
        areas = []
        if manifest.is_file():
            areas = json.loads(manifest.read_text(encoding="utf-8")).get("areas", [])
        return run_quality_checks(
            data,
            previous_data_dir=published_data(previous) if previous is not None else None,
            area_names={area["id"]: area["name"] for area in areas},
            threshold=DEFAULT_MOVE_THRESHOLD if threshold is None else threshold,
        )

    result = _guarded(run, "qa")
    console = Console()
    findings = result.findings
    if not findings.empty:
        table = Table(title=f"ina qa: {outputs} ({len(findings)} findings)")
        for column in ("severity", "check", "table", "row", "column", "message"):
            table.add_column(column)
        colours = dict(zip(SEVERITIES, ("bold red", "yellow", "dim"), strict=True))
        for row in findings.head(limit).itertuples(index=False):
            table.add_row(
                f"[{colours[row.severity]}]{row.severity}[/]",
                row.check,
                escape(f"{row.area}/{row.chapter}/{row.table}"),
                escape(row.row_key),
                escape(row.column),
                escape(row.message),
            )
        console.print(table)
    typer.echo(result.summary_line())
    if result.count("error"):
        raise typer.Exit(EXIT_MISMATCH)


@app.command()
def validate(config: ConfigOption = Path("ina.yml")) -> None:
    """Check ina.yml, print what the sources cover, then check every extract and list them."""
    from ina.build.pipeline import validate as run_validate
    from ina.config import load_settings

    settings = _guarded(lambda: load_settings(config), "validate", project=_project(config))
    # What the configured sources enable, before any extract is read: a team sees at once
    # what its build will and will not contain.
    Console().print(_coverage_table(settings, title=f"Coverage of the sources in {config}"))
    validated = _guarded(lambda: run_validate(config), "validate", project=_project(config))
    table = Table(title=f"Sources in {config}")
    for column, justify in (
        ("source", "left"),
        ("file", "left"),
        ("rows", "right"),
        ("extract date", "left"),
        ("SHA-256", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for record in validated.provenance:
        table.add_row(
            str(record["name"]),
            str(record["path"]),
            f"{int(record.get('rows') or 0):,}",
            str(record.get("extract_date") or "-"),
            str(record["sha256"])[:16] + "...",
        )
    Console().print(table)
    typer.echo(f"{config}: configuration and {len(validated.provenance)} extract files are valid.")


def _coverage_table(settings: object, *, title: str) -> Table:
    """The coverage (ina.sources.coverage) as a table: each source, supplied or not, its
    files and what it enables."""
    from ina.sources.coverage import coverage

    table = Table(title=title)
    for column in ("source", "status", "file(s)", "enables"):
        table.add_column(column, overflow="fold")
    colours = {"supplied": "green", "not supplied": "yellow"}
    for row in coverage(settings):
        colour = colours.get(row.status, "bold red")
        table.add_row(
            row.source,
            f"[{colour}]{row.status}[/{colour}]",
            "\n".join(row.files) or "-",
            row.enables,
        )
    return table


@app.command()
def areas(config: ConfigOption = Path("ina.yml")) -> None:
    """List the areas a build reports on (the ICB and every place of the active scheme)."""
    from ina.build.plan import plan_areas
    from ina.config import load_settings

    settings = _guarded(lambda: load_settings(config), "areas", project=_project(config))
    table = Table(title=f"Areas ({config})")
    for column in ("id", "name", "kind"):
        table.add_column(column)
    for area in _guarded(lambda: plan_areas(settings), "areas", project=_project(config)):
        table.add_row(area.id, area.name, area.kind)
    Console().print(table)


@app.command("demo-data")
def demo_data(
    root: Annotated[
        Path, typer.Option(help="Project folder; files are written under <root>/data_raw/.")
    ] = Path("."),
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same files).")] = 20260401,
) -> None:
    """Write the deterministic synthetic extracts (demo data) into data_raw/."""
    from ina.demo import write_demo_data

    written = _guarded(lambda: write_demo_data(root, seed=seed), "demo-data", project=root)
    for path in written:
        typer.echo(str(path))
    typer.echo(f"Wrote {len(written)} demo files under {root / 'data_raw'}.")


@app.command()
def fetch(
    root: Annotated[
        Path, typer.Option(help="Project folder; the file is written under <root>/data_raw/.")
    ] = Path("."),
    output: Annotated[
        Path | None,
        typer.Option(help="The CSV to write (default data_raw/fingertips/fingertips_api.csv)."),
    ] = None,
    indicator: Annotated[
        list[int] | None,
        typer.Option(
            "--indicator", "-i", help="A Fingertips indicator id (default: the catalogue's)."
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="Fingertips API root (default $INA_FINGERTIPS_URL, else "
            "https://fingertips.phe.org.uk/api)."
        ),
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each answer.")] = 60.0,
    retries: Annotated[int, typer.Option(help="Further attempts after a failure.")] = 3,
    backoff: Annotated[
        float, typer.Option(help="Seconds before the first retry (doubling).")
    ] = 2.0,
    dry_run: Annotated[
        bool, typer.Option(help="List the requests and the file, download nothing.")
    ] = False,
) -> None:
    """Download the catalogue's Fingertips indicators into one Fingertips CSV (optional).

    Asks the Fingertips API for England, regions, ICBs, sub-ICB locations, counties and
    districts (and GP practices for practice-born indicators). The build never does this:
    point ``sources: fingertips`` at the file written.
    """
    from ina.fetch import fingertips as ft

    target = output if output is not None else root / ft.DEFAULT_OUTPUT
    if dry_run:

        def plan() -> tuple[ft.Request, ...]:
            if indicator:
                return ft.plan_requests(indicator, (), root_url=ft.base_url(base_url))
            every, practice = ft.catalogue_ids()
            return ft.plan_requests(every, practice, root_url=ft.base_url(base_url))

        requests = _guarded(plan, "fetch", project=root)
        for request in requests:
            typer.echo(f"GET {request.url}  ({request.level.label})")
        typer.echo(f"Would write {target} ({len(requests)} requests; nothing downloaded).")
        return

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=_stderr(),
        transient=True,
    ) as bar:
        task = bar.add_task("Fingertips", total=None)

        def advance(request: ft.Request, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=request.level.label)

        result = _guarded(
            lambda: ft.fetch_fingertips(
                target,
                indicator_ids=indicator or None,
                practice_ids=() if indicator else None,
                root_url=base_url,
                timeout=timeout,
                attempts=retries + 1,
                backoff=backoff,
                progress=advance,
            ),
            "fetch",
            project=root,
        )
    typer.echo(
        f"Wrote {result.path} ({result.rows:,} rows from {len(result.requests)} requests); "
        "set sources: fingertips to it in ina.yml."
    )


def run() -> int:
    """Run the command line and return its exit code, with a last guard for anything
    unguarded (printing a table, an import failing) so no traceback reaches the user."""
    try:
        with _one_line_errors(_command_name()):
            app()
    except typer.Exit as done:
        return int(done.exit_code)
    except SystemExit as done:  # typer/click leave through sys.exit
        if done.code is None:
            return 0
        return done.code if isinstance(done.code, int) else 1
    return 0


def main() -> None:
    """The console entry point: :func:`run`, then leave without interpreter finalisation.

    Why ``os._exit``: after the command has finished and its output is flushed, the
    interpreter's shutdown can still abort the process (``terminate called without an
    active exception``, exit -6) while native thread pools (pyarrow's CSV readers) are torn
    down — seen once in about 500 runs of the bad-input corpus. Every file the command
    writes is closed by then, so nothing is lost by skipping that teardown, and the exit
    code is always the command's.
    """
    import logging
    import os
    import sys

    code = run()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _command_name() -> str:
    import sys

    commands = {"build", "verify", "qa", "validate", "areas", "demo-data", "fetch"}
    return next((argument for argument in sys.argv[1:] if argument in commands), "ina")


if __name__ == "__main__":  # pragma: no cover
    main()
