"""Step 'execute': run every chapter notebook for every area with Papermill, in parallel.

Each job runs in its own worker process (``concurrent.futures.ProcessPoolExecutor``, one
per core) because a notebook's kernel start-up and matplotlib rendering are CPU-bound.
Papermill injects the parameters of the notebook contract (docs/architecture.md):

- ``area``: the area id;
- ``config_path``: the *name* of the config file (``"ina.yml"``), never its absolute
  path, so that a build in another folder gives the same notebooks; the kernel finds the
  file through ``$INA_CONFIG`` (``ina.config.locate``), which the worker sets;
- ``artefact_dir``: ``"data"``, relative to the kernel's working directory, which is the
  staging folder of the build. The CSVs therefore land at ``data/<area>/<chapter>/<id>.csv``,
  exactly where they are published, and a published notebook re-run from any folder
  (``ina verify``) writes its CSVs under that folder: nothing in it names the staging path.

Each worker keeps one kernel for all the notebooks it runs (:func:`execute_notebook`):
Papermill injects the parameters, nbclient runs the cells. A kernel's start-up and the
imports of pandas, SciPy, matplotlib and ``ina`` cost seconds, paid once per worker
instead of once per notebook. Before each notebook the kernel forgets the previous one
(:mod:`ina.build.kernel_state`), so a notebook gives the bytes it gives in a fresh kernel,
which is how ``ina verify`` re-runs it.

Executed notebooks are normalised before they are saved (timings, random cell ids and
staging paths removed, execution counts numbered from 1) so that the same inputs give
byte-identical notebooks whichever worker ran them and in which order.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing.util
import os
import signal
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

import ina
from ina.build.kernel_state import RESET_SOURCE
from ina.build.plan import Job
from ina.build.progress import Progress
from ina.build.workers import worker_pool
from ina.config.locate import CONFIG_ENV
from ina.errors import BuildError

ARTEFACT_DIR = "data"
"""Where notebooks write figure and table CSVs, relative to the kernel's working directory."""

INJECTED_CELL_ID = "injected-parameters"


@dataclass(frozen=True)
class ExecutionRequest:
    """What one worker process needs to run one job (picklable)."""

    job_name: str
    notebook: Path
    output: Path
    working_dir: Path
    parameters: dict[str, str]
    log: Path
    config_file: Path
    """The absolute config path, given to the kernel as ``$INA_CONFIG`` (not injected)."""


@dataclass(frozen=True)
class ExecutionOutcome:
    job_name: str
    output: Path
    error: str | None
    interrupted: bool = False
    """The kernel stopped on KeyboardInterrupt: Ctrl-C reached it (the terminal sends
    SIGINT to the whole process group) before it reached the build process."""


def kernel_environment() -> dict[str, str]:
    """The environment of the kernels: ours, with the ``ina`` in use importable.

    The kernel runs in the staging folder, so a relative ``PYTHONPATH`` (``src``) would no
    longer resolve; the absolute folder holding this very ``ina`` package goes first.
    """
    package_parent = str(Path(ina.__file__).resolve().parents[1])
    environment = dict(os.environ)
    existing = [
        str(Path(entry).resolve())
        for entry in environment.get("PYTHONPATH", "").split(os.pathsep)
        if entry
    ]
    environment["PYTHONPATH"] = os.pathsep.join(
        [package_parent, *[entry for entry in existing if entry != package_parent]]
    )
    environment.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    environment.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return environment


def normalise_notebook(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what changes between two runs of the same inputs (timings, ids, paths).

    Execution counts are numbered 1, 2, ... over the executed cells, as a fresh kernel
    numbers them: a reused kernel goes on counting from the notebooks it ran before.
    """
    count = 0
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = INJECTED_CELL_ID
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell["execution_count"] = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count
    papermill_metadata = notebook.metadata.get("papermill")
    if papermill_metadata is not None:
        notebook.metadata["papermill"] = {
            "parameters": papermill_metadata.get("parameters", {}),
            "version": papermill_metadata.get("version"),
        }
    return notebook


def _failure_reason(error: BaseException) -> str:
    """The last line a person needs: ``ExceptionName: message`` from the failing cell."""
    ename = getattr(error, "ename", None)
    evalue = getattr(error, "evalue", None)
    if ename:
        return f"{ename}: {evalue}"
    text = str(error).strip().splitlines()
    return text[-1] if text else type(error).__name__


def _send_stderr_to(log: Path) -> None:
    """Point this worker's stderr (inherited by its kernels) at a log file.

    Kernels write start-up and shutdown chatter to stderr; it belongs in
    ``build/run-*/logs/``, not between the lines of the progress bar.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(handle, 2)
    os.close(handle)


@dataclass
class _WorkerKernel:
    """The kernel of one worker process, for the notebooks of one build (working folder
    and config): started by the first notebook, reused by the next ones."""

    key: tuple[str, str]
    manager: Any
    client: Any


_WORKER_KERNEL: _WorkerKernel | None = None


def _shut_down_worker_kernel() -> None:
    """Stop this worker's kernel (when the worker exits, or before a different build)."""
    global _WORKER_KERNEL
    kernel, _WORKER_KERNEL = _WORKER_KERNEL, None
    if kernel is None:
        return
    from jupyter_core.utils import run_sync

    with contextlib.suppress(Exception):
        kernel.client.stop_channels()
    with contextlib.suppress(Exception):
        run_sync(kernel.manager.shutdown_kernel)(now=True)


def _run_in_worker_kernel(request: ExecutionRequest) -> nbformat.NotebookNode:
    """Inject the parameters (Papermill) and run the notebook in this worker's kernel.

    Raises what nbclient raises for a failing cell (``CellExecutionError``, with the
    cell's ``ename`` and ``evalue``); the partly run notebook is saved for the log.
    """
    global _WORKER_KERNEL
    import papermill
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    notebook = parameterize_notebook(load_notebook_node(str(request.notebook)), request.parameters)
    notebook.metadata.papermill["version"] = papermill.__version__
    key = (str(request.working_dir), str(request.config_file))
    if _WORKER_KERNEL is not None and _WORKER_KERNEL.key != key:
        _shut_down_worker_kernel()
    notebook.cells.insert(0, nbformat.v4.new_code_cell(RESET_SOURCE))
    runner = NotebookClient(
        notebook,
        km=_WORKER_KERNEL.manager if _WORKER_KERNEL else None,
        timeout=None,
        record_timing=False,
        resources={"metadata": {"path": str(request.working_dir)}},
    )
    runner.owns_km = False  # the kernel outlives this notebook
    if _WORKER_KERNEL is not None:
        runner.kc = _WORKER_KERNEL.client
    first = _WORKER_KERNEL is None
    dead = False  # the kernel cannot run the next notebook
    try:
        runner.execute()
    except (Exception, asyncio.CancelledError) as error:
        stopped_by_ctrl_c = isinstance(error, asyncio.CancelledError) or _ended_by_sigint(runner)
        dead = stopped_by_ctrl_c or isinstance(error, DeadKernelError)
        if dead:
            _WORKER_KERNEL = None
        if stopped_by_ctrl_c:
            raise KernelInterruptedError(str(request.notebook)) from error
        raise
    finally:
        notebook.cells.pop(0)
        if first and not dead and runner.km is not None and runner.kc is not None:
            _WORKER_KERNEL = _WorkerKernel(key, runner.km, runner.kc)
            multiprocessing.util.Finalize(None, _shut_down_worker_kernel, exitpriority=10)
        nbformat.write(normalise_notebook(notebook), request.output)
    return notebook


class KernelInterruptedError(Exception):
    """Ctrl-C reached the kernel before the cell loop could report it as a cell's
    ``KeyboardInterrupt``: the kernel died of the SIGINT, or its start-up was cancelled
    (nbclient raises asyncio's ``CancelledError``, a BaseException) while it was
    starting."""


def _ended_by_sigint(runner: Any) -> bool:
    """Whether the runner's kernel process has exited because of SIGINT."""
    provisioner = getattr(getattr(runner, "km", None), "provisioner", None)
    process = getattr(provisioner, "process", None)
    code = process.poll() if process is not None and hasattr(process, "poll") else None
    return code in (-signal.SIGINT, 128 + signal.SIGINT)


def execute_notebook(request: ExecutionRequest) -> ExecutionOutcome:
    """Run one notebook (in a worker process); never raises, reports the reason instead."""
    request.output.parent.mkdir(parents=True, exist_ok=True)
    os.environ.update(kernel_environment())
    os.environ[CONFIG_ENV] = str(request.config_file)
    _send_stderr_to(request.log)
    try:
        _run_in_worker_kernel(request)
    except Exception as error:  # any failure becomes a BuildError in the parent
        interrupted = isinstance(error, KernelInterruptedError) or (
            getattr(error, "ename", None) == "KeyboardInterrupt"
        )
        return ExecutionOutcome(
            request.job_name, request.output, _failure_reason(error), interrupted=interrupted
        )
    return ExecutionOutcome(request.job_name, request.output, None)


def execution_requests(
    jobs: tuple[Job, ...], *, config_path: Path, stage_dir: Path, log_dir: Path
) -> list[ExecutionRequest]:
    """One request per job; executed notebooks go to ``notebooks/<area>/<chapter>.ipynb``."""
    return [
        ExecutionRequest(
            job_name=job.name,
            notebook=job.notebook,
            output=stage_dir / "notebooks" / job.area.id / f"{job.chapter}.ipynb",
            working_dir=stage_dir,
            log=log_dir / f"{job.chapter}-{job.area.id}.log",
            config_file=config_path.resolve(),
            parameters={
                "area": job.area.id,
                "config_path": config_path.name,
                "artefact_dir": ARTEFACT_DIR,
            },
        )
        for job in jobs
    ]


def figure_count(notebook: Path) -> int:
    """How many figures a notebook draws (its ``#| label: fig-`` cells): a proxy for how
    long it runs, since drawing figures is most of a chapter's time."""
    try:
        return notebook.read_text(encoding="utf-8").count("label: fig-")
    except OSError:
        return 0


def longest_first(requests: list[ExecutionRequest]) -> list[ExecutionRequest]:
    """The requests in the order to hand them to the workers: most figures first.

    Why: the pool takes jobs in the order given; ending with a long notebook leaves the
    other cores idle while it runs. Longest first (by :func:`figure_count`) ends the step
    on short notebooks. The order of the outcomes, and every output, is unchanged.
    """
    weights = {path: figure_count(path) for path in {request.notebook for request in requests}}
    return sorted(requests, key=lambda request: -weights[request.notebook])


def default_workers(job_count: int) -> int:
    return max(1, min(os.cpu_count() or 1, job_count))


def execute_jobs(
    requests: list[ExecutionRequest], *, progress: Progress, workers: int | None = None
) -> list[ExecutionOutcome]:
    """Run all requests over ``workers`` processes; the first failure stops the step.

    Raises BuildError naming the step, the job and the notebook's own error line.
    """
    outcomes: list[ExecutionOutcome] = []
    counter = progress.jobs("notebooks", total=len(requests))
    max_workers = workers or default_workers(len(requests))
    try:
        with worker_pool(max_workers) as pool:
            pending: set[Future[ExecutionOutcome]] = {
                pool.submit(execute_notebook, request) for request in longest_first(requests)
            }
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    outcome = future.result()
                    if outcome.error is not None:
                        for other in pending:
                            other.cancel()
                        if outcome.interrupted:  # Ctrl-C, not a failing notebook
                            raise KeyboardInterrupt
                        raise BuildError(
                            f"step 'execute' failed for {outcome.job_name}: {outcome.error}"
                        )
                    outcomes.append(outcome)
                    counter.advance(outcome.job_name)
    finally:
        counter.close()
    order = {request.job_name: index for index, request in enumerate(requests)}
    return sorted(outcomes, key=lambda outcome: order[outcome.job_name])


def parameters_of(notebook: nbformat.NotebookNode) -> dict[str, Any]:
    """The parameters Papermill injected into an executed notebook."""
    return dict(notebook.metadata.get("papermill", {}).get("parameters", {}))
