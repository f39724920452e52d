"""Crashes and concurrency of a real `ina build` process (issue 6, section 6).

Each test runs the installed ``ina`` command on a project copy whose one chapter sleeps,
so that the build is reliably in step 'execute' (workers and Jupyter kernels running) when
it is killed, interrupted or raced. The only time bounds are generous ones (20 s).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import FIXTURE_CHAPTER, ProjectFactory

from ina.build.safety import OUTPUT_MARKER
from ina.build.workers import descendants

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

INA = Path(sys.executable).with_name("ina")
BOUND_SECONDS = 20


def _with_cell(project: Path, source: str) -> None:
    """Put a code cell running ``source`` right after the fixture chapter's parameters."""
    path = project / "notebooks" / f"{FIXTURE_CHAPTER}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_code_cell(source)
    cell["id"] = "test-cell"
    notebook.cells.insert(1, cell)
    nbformat.write(notebook, path)


@pytest.fixture
def slow_project(make_project: ProjectFactory, tmp_path: Path) -> Path:
    config = make_project(tmp_path / "project", [FIXTURE_CHAPTER])
    _with_cell(config.parent, "import time\ntime.sleep(300)")
    return config


def start_build(config: Path, log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    return subprocess.Popen(
        [str(INA), "build", "--config", str(config), "--workers", "1"],
        cwd=config.parent,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal gives it
    )


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def wait_for_kernel(build: subprocess.Popen, log: Path) -> list[int]:
    """Wait until the build has a worker running a kernel; its whole process tree."""
    deadline = time.monotonic() + 240  # validate reads every extract first
    while time.monotonic() < deadline:
        assert build.poll() is None, log.read_text(errors="replace")
        tree = descendants(build.pid)
        if any("ipykernel" in _cmdline(pid) for pid in tree):
            return tree
        time.sleep(0.5)
    raise AssertionError("no kernel started: " + log.read_text(errors="replace"))


def alive(pids: list[int]) -> list[int]:
    """The pids still running (zombies count as gone)."""
    running = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.append(pid)
    return running


def wait_gone(pids: list[int]) -> list[int]:
    deadline = time.monotonic() + BOUND_SECONDS
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive(pids)


def fake_previous_outputs(project: Path) -> dict[str, bytes]:
    outputs = project / "outputs"
    outputs.mkdir()
    (outputs / OUTPUT_MARKER).write_text("published\n")
    (outputs / "manifest.json").write_text(json.dumps({"outputs": {}}))
    (outputs / "report.pdf").write_bytes(b"%PDF previous")
    return {path.name: path.read_bytes() for path in outputs.iterdir()}


def test_a_second_build_is_refused_and_a_killed_build_takes_its_workers_with_it(
    slow_project: Path, tmp_path: Path
) -> None:
    project = slow_project.parent
    log = tmp_path / "first.log"
    first = start_build(slow_project, log)
    try:
        tree = wait_for_kernel(first, log)
        second = subprocess.run(
            [str(INA), "build", "--config", str(slow_project)],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode == 4, second.stderr
        lines = [line for line in second.stderr.splitlines() if line.startswith("ina:")]
        assert len(lines) == 1 and "Traceback" not in second.stderr
        assert f"another `ina build` of this project is running (pid {first.pid} " in lines[0]

        assert list((project / "build").glob("run-*"))
        killed = time.monotonic()
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=BOUND_SECONDS)
        assert wait_gone(tree) == [], [_cmdline(pid) for pid in alive(tree)]
        print(f"{len(tree)} worker processes gone {time.monotonic() - killed:.1f} s after SIGKILL")
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    stale = list((project / "build").glob("run-*"))
    assert stale, "the killed build's staging folder is what the next build must remove"

    # A later build (here one that fails at its first notebook) removes the stale folder.
    notebook = project / "notebooks" / f"{FIXTURE_CHAPTER}.ipynb"
    shutil.copyfile(Path(__file__).parent / "fixtures" / f"{FIXTURE_CHAPTER}.ipynb", notebook)
    _with_cell(project, "raise RuntimeError('stop here')")
    later = subprocess.run(
        [str(INA), "build", "--config", str(slow_project), "--workers", "1"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert later.returncode == 4 and "stop here" in later.stderr, later.stderr
    assert not list((project / "build").glob("run-*"))


def test_ctrl_c_stops_within_seconds_and_leaves_the_previous_outputs(
    slow_project: Path, tmp_path: Path
) -> None:
    project = slow_project.parent
    before = fake_previous_outputs(project)
    log = tmp_path / "build.log"
    build = start_build(slow_project, log)
    try:
        tree = wait_for_kernel(build, log)
        interrupted = time.monotonic()
        os.killpg(build.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        returncode = build.wait(timeout=BOUND_SECONDS)
        seconds = time.monotonic() - interrupted
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    output = log.read_text(errors="replace")
    assert returncode == 130, output
    assert "interrupted; previous outputs intact" in output
    assert "Traceback" not in output and "KeyboardInterrupt" not in output
    assert seconds < BOUND_SECONDS
    assert wait_gone(tree) == []
    assert {path.name: path.read_bytes() for path in (project / "outputs").iterdir()} == before
    assert not list((project / "build").glob("run-*"))
    print(f"Ctrl-C stopped the build in {seconds:.1f} s")
