"""Errors that reach users, each saying where the problem is and what was expected.

One hierarchy for the whole package so that the command line can print any of them as
one clear line and exit non-zero, without a traceback, whatever step raised it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class InaError(Exception):
    """Base class for every error ``ina`` reports to a user."""


class ConfigError(InaError):
    """The configuration file is invalid: names the key, the value and what is allowed.

    ``problems`` holds one line per problem: a user fixing ``ina.yml`` wants every mistake
    at once, not one per run. The message is those lines joined by newlines (a single
    problem is a single line).
    """

    def __init__(self, message: str = "", *, problems: Sequence[str] | None = None) -> None:
        self.problems: tuple[str, ...] = tuple(problems) if problems else (message,)
        super().__init__("\n".join(self.problems))


class InputError(InaError):
    """A source extract is invalid: names the file, row and column and what was expected.

    ``row`` is the 1-based line number in the file as a user sees it in a text editor or
    spreadsheet (the header is line 1), or ``None`` when the problem is not one row's
    (a missing column, a wrong total).
    """

    def __init__(
        self,
        file: str | Path,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        found: object | None = None,
    ) -> None:
        self.file = str(file)
        self.message = message
        self.row = row
        self.column = column
        self.expected = expected
        self.found = found
        parts = [self.file]
        if row is not None:
            parts.append(f"row {row}")
        if column is not None:
            parts.append(f"column {column!r}")
        where = ", ".join(parts)
        text = f"{where}: {message}"
        if expected is not None:
            text += f"; expected {expected}"
        if found is not None:
            text += f", found {found!r}"
        super().__init__(text)


class StatisticsError(InaError, ValueError):
    """Input to a statistical function is invalid (negative counts, missing bands, ...)."""


class FetchError(InaError):
    """``ina fetch`` could not download: offline, the server failed, or an odd answer."""


class BuildError(InaError):
    """A build step failed; names the step, and the previous outputs are left intact."""
