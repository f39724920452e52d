"""Worker processes that never outlive the build that started them.

A build runs notebooks and renders in a ``ProcessPoolExecutor`` (spawn), and each notebook
worker starts a Jupyter kernel. Without care, a killed or interrupted build leaves them
running for tens of seconds, still writing into ``build/run-*``:

- every worker asks Linux to kill it when its parent dies (``prctl(PR_SET_PDEATHSIG)``),
  and, everywhere, a watchdog thread waits on the pipe to its parent and exits the worker
  (and its kernels) the moment the pipe closes;
- kernels are started by papermill through ``jupyter_client``, which passes
  ``JPY_PARENT_PID``: ipykernel then exits within a second of its worker dying; when the
  build itself stops a pool (Ctrl-C or a failed job) it also kills the kernels directly;
- workers ignore SIGINT: Ctrl-C in a terminal reaches the whole process group, and it is
  the build process that decides to stop everything at once (:func:`worker_pool`), instead
  of waiting for every running notebook to finish.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

PR_SET_PDEATHSIG = 1


def worker_context() -> multiprocessing.context.BaseContext:
    """Start worker processes fresh ("spawn"), never by forking the build process.

    Forking a process that has threads running (Typst's renderer starts some, and so do
    Jupyter clients) can leave a child waiting forever on a lock held by a thread that was
    not copied: a second build in the same process then hangs. "spawn" also behaves the
    same on Linux, macOS and Windows.
    """
    return multiprocessing.get_context("spawn")


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux ``/proc``; empty elsewhere), children first."""
    found: list[int] = []
    queue = [pid]
    while queue:
        parent = queue.pop(0)
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.append(child)
                    queue.append(child)
    return found


def _kill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _die_with_parent(parent_pid: int) -> None:
    """Worker initializer: die when the build process dies, however it dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
    parent = multiprocessing.parent_process()
    if parent is None:  # pragma: no cover - always set in a spawned worker
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        _kill(descendants(os.getpid()))
        os._exit(1)

    threading.Thread(target=watch, name="ina-parent-watchdog", daemon=True).start()


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Kill a pool's workers and their kernels now, without waiting for running jobs."""
    processes = list(getattr(pool, "_processes", {}).values())
    doomed: list[int] = []
    for process in processes:
        if process.pid is not None:
            doomed.extend(descendants(process.pid))
            doomed.append(process.pid)
    _kill(doomed)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=10)


@contextlib.contextmanager
def worker_pool(max_workers: int | None) -> Iterator[ProcessPoolExecutor]:
    """A spawn pool whose workers die with the build; any exception stops it at once.

    On success the pool shuts down normally. On any exception (a failed job, Ctrl-C) the
    workers and kernels are killed rather than awaited: with a notebook taking a minute,
    waiting is what made Ctrl-C take about a minute.
    """
    pool = ProcessPoolExecutor(
        max_workers=max_workers,
        mp_context=worker_context(),
        initializer=_die_with_parent,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)
