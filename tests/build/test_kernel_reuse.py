"""A worker runs its notebooks in one kernel, and each gives what a fresh kernel gives."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import nbformat
import pytest

from ina.build import execute
from ina.build.execute import ExecutionRequest, execute_notebook

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

LEAKY = [
    ("code", 'area = "icb"\nconfig_path = "ina.yml"\nartefact_dir = "data"', ["parameters"]),
    # A name left by the previous notebook, a warning shown once per location, and an
    # rcParams change: a fresh kernel has none of them.
    ("code", 'print(globals().get("leftover", "fresh"))\nleftover = area', []),
    ("code", 'import warnings\nwarnings.warn("shown in every notebook")', []),
    (
        "code",
        "import matplotlib\nprint(matplotlib.rcParams['lines.linewidth'])\n"
        "matplotlib.rcParams['lines.linewidth'] = 9",
        [],
    ),
    ("code", "area", []),
]


def _notebook(path: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    for _kind, source, tags in LEAKY:
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["tags"] = tags
        notebook.cells.append(cell)
    notebook.metadata["kernelspec"] = KERNELSPEC
    nbformat.write(notebook, path)
    return path


def _request(tmp_path: Path, notebook: Path, area: str, run: str) -> ExecutionRequest:
    return ExecutionRequest(
        job_name=f"leaky/{area}",
        notebook=notebook,
        output=tmp_path / run / f"{area}.ipynb",
        working_dir=tmp_path,
        parameters={"area": area, "config_path": "ina.yml", "artefact_dir": "data"},
        log=tmp_path / "logs" / f"{run}.log",
        config_file=tmp_path / "ina.yml",
    )


@pytest.fixture
def fresh_worker() -> object:
    yield
    execute._shut_down_worker_kernel()


@pytest.mark.slow
def test_a_reused_kernel_gives_each_notebook_what_a_fresh_kernel_gives(
    tmp_path: Path, fresh_worker: object
) -> None:
    notebook = _notebook(tmp_path / "leaky.ipynb")
    (tmp_path / "ina.yml").write_text("")
    for area in ("north", "south", "east"):  # one kernel for the three
        outcome = execute_notebook(_request(tmp_path, notebook, area, "reused"))
        assert outcome.error is None
    kernel = execute._WORKER_KERNEL
    assert kernel is not None
    execute._shut_down_worker_kernel()
    outcome = execute_notebook(_request(tmp_path, notebook, "east", "fresh"))
    assert outcome.error is None
    assert execute._WORKER_KERNEL is not kernel  # a new kernel ran it
    # Equal bytes, but for the kernel's process id in a warning's file name (two fresh
    # kernels differ there too).
    reused, fresh = (
        re.sub(r"ipykernel_\d+", "ipykernel_N", (tmp_path / run / "east.ipynb").read_text())
        for run in ("reused", "fresh")
    )
    assert reused == fresh
    cells = nbformat.read(tmp_path / "reused" / "east.ipynb", 4).cells
    assert [cell.execution_count for cell in cells] == [1, 2, 3, 4, 5, 6]
    assert cells[2].outputs[0]["text"] == "fresh\n"
    assert "shown in every notebook" in cells[3].outputs[0]["text"]
    default = matplotlib.rcParamsDefault["lines.linewidth"]
    assert cells[4].outputs[0]["text"] == f"{default}\n"  # not the 9 set before
    assert cells[5].outputs[0]["data"]["text/plain"] == "'east'"


@pytest.mark.slow
def test_a_failing_cell_is_reported_and_the_next_notebook_still_runs(
    tmp_path: Path, fresh_worker: object
) -> None:
    (tmp_path / "ina.yml").write_text("")
    broken = nbformat.v4.new_notebook()
    broken.cells = [nbformat.v4.new_code_cell('area = "icb"'), nbformat.v4.new_code_cell("1/0")]
    broken.cells[0].metadata["tags"] = ["parameters"]
    broken.metadata["kernelspec"] = KERNELSPEC
    nbformat.write(broken, tmp_path / "broken.ipynb")
    outcome = execute_notebook(_request(tmp_path, tmp_path / "broken.ipynb", "north", "x"))
    assert outcome.error == "ZeroDivisionError: division by zero"
    notebook = _notebook(tmp_path / "leaky.ipynb")
    assert execute_notebook(_request(tmp_path, notebook, "south", "x")).error is None


@pytest.mark.slow
def test_a_kernel_stopped_by_ctrl_c_reports_an_interruption_not_a_failure(
    tmp_path: Path, fresh_worker: object
) -> None:
    # Ctrl-C reaches the kernels too (SIGINT to the process group): the build must stop as
    # interrupted (exit 130), whichever of the kernel and the build process hears it first.
    (tmp_path / "ina.yml").write_text("")
    stopped = nbformat.v4.new_notebook()
    stopped.cells = [
        nbformat.v4.new_code_cell('area = "icb"'),
        nbformat.v4.new_code_cell("raise KeyboardInterrupt"),
    ]
    stopped.cells[0].metadata["tags"] = ["parameters"]
    stopped.metadata["kernelspec"] = KERNELSPEC
    nbformat.write(stopped, tmp_path / "stopped.ipynb")
    outcome = execute_notebook(_request(tmp_path, tmp_path / "stopped.ipynb", "north", "x"))
    assert outcome.interrupted and outcome.error is not None
    notebook = _notebook(tmp_path / "leaky.ipynb")
    outcome = execute_notebook(_request(tmp_path, notebook, "south", "x"))
    assert outcome.error is None and not outcome.interrupted


def test_a_kernel_start_cancelled_by_ctrl_c_is_an_interruption_and_forgets_the_kernel(
    tmp_path: Path, fresh_worker: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C reaching a kernel that is still starting kills it; nbclient then raises
    # asyncio's CancelledError (a BaseException), which once escaped as a traceback.
    import asyncio

    from nbclient import NotebookClient

    def cancelled(self: NotebookClient, **_: object) -> None:
        raise asyncio.CancelledError

    monkeypatch.setattr(NotebookClient, "execute", cancelled)
    (tmp_path / "ina.yml").write_text("")
    notebook = _notebook(tmp_path / "leaky.ipynb")
    outcome = execute_notebook(_request(tmp_path, notebook, "north", "cancelled"))
    assert outcome.interrupted and outcome.error is not None
    assert execute._WORKER_KERNEL is None  # the next notebook starts a kernel of its own
