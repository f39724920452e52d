"""Progress output of a build: each step named as it starts and ends, a bar for jobs.

The pipeline talks to a :class:`Progress`; the command line passes a rich one, tests and
library callers the silent :class:`NullProgress`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgressBar


class Progress(Protocol):
    """What the build reports while it runs."""

    def step(self, name: str, description: str) -> Iterator[None]:
        """Context manager around one step ('validate', 'execute', ...)."""
        ...

    def jobs(self, description: str, total: int) -> JobCounter:
        """A counter for the parallel jobs of the current step."""
        ...

    def note(self, message: str) -> None:
        """One informational line."""
        ...


class JobCounter(Protocol):
    def advance(self, name: str) -> None: ...

    def close(self) -> None: ...


class _NullCounter:
    def advance(self, name: str) -> None:
        return None

    def close(self) -> None:
        return None


class NullProgress:
    """Reports nothing (library use and tests)."""

    def __init__(self) -> None:
        self.steps: list[str] = []

    @contextmanager
    def step(self, name: str, description: str) -> Iterator[None]:
        self.steps.append(name)
        yield

    def jobs(self, description: str, total: int) -> JobCounter:
        return _NullCounter()

    def note(self, message: str) -> None:
        return None


class _RichCounter:
    def __init__(self, console: Console, description: str, total: int) -> None:
        self._bar = RichProgressBar(
            TextColumn("  {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[last]}", style="dim"),
            console=console,
            transient=False,
        )
        self._task = self._bar.add_task(description, total=total, last="")
        self._bar.start()

    def advance(self, name: str) -> None:
        self._bar.update(self._task, advance=1, last=name)

    def close(self) -> None:
        self._bar.stop()


class RichProgress:
    """Numbered steps with timings and a progress bar, on a rich console (stderr)."""

    def __init__(self, console: Console | None = None, total_steps: int = 5) -> None:
        self.console = console or Console(stderr=True)
        self.total_steps = total_steps
        self._number = 0
        self.timings: dict[str, float] = {}
        self.current_step: str | None = None
        """The step running (or that failed): the command line names it in an error."""

    @contextmanager
    def step(self, name: str, description: str) -> Iterator[None]:
        self._number += 1
        self.current_step = name
        self.console.print(
            f"[bold]\\[{self._number}/{self.total_steps}] {name}[/bold]: {description}"
        )
        started = time.perf_counter()
        yield
        seconds = time.perf_counter() - started
        self.timings[name] = seconds
        self.console.print(f"  [green]done[/green] {name} in {seconds:.1f} s")

    def jobs(self, description: str, total: int) -> JobCounter:
        return _RichCounter(self.console, description, total)

    def note(self, message: str) -> None:
        self.console.print(f"  {message}", highlight=False)
