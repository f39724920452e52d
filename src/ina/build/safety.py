"""What keeps a build from destroying anything: the output folder, publishing, the lock.

Publishing replaces ``output_dir`` wholesale, so a wrong ``output_dir`` (``data_raw``,
``.``) would delete source extracts or the project itself. Three guards, all applied
before any notebook runs:

- :func:`check_output_dir`: ``output_dir`` is never, contains or lies inside
  ``data_raw/``, a configured source, ``notebooks/``, ``templates/``, ``src/`` or
  ``build/``, and is never (nor contains) the project folder itself;
- :func:`check_replaceable`: an existing ``output_dir`` is only replaced when it can be
  proved that ``ina build`` made it: it holds the marker file :data:`OUTPUT_MARKER` *and*
  a ``manifest.json`` (an empty folder is also fine: nothing can be lost);
- :func:`check_output_parent`: the folder that will hold ``output_dir`` can be written,
  so a permission problem is reported before the build, not after it.

:class:`BuildLock` stops two builds of one project running at once (``build/.lock``,
``fcntl.flock``), and lets the build that holds it delete staging folders that a killed
build left behind (:func:`remove_stale_runs`).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import time
from pathlib import Path
from typing import Any

from ina.errors import BuildError, ConfigError

OUTPUT_MARKER = ".ina-output"
"""The file every published folder holds: proof for the next build that it may replace it."""

MARKER_TEXT = (
    "This folder was published by `ina build` (see manifest.json). The next build replaces\n"
    "it as a whole: do not keep anything else in it.\n"
)

PROTECTED_FOLDERS = ("data_raw", "notebooks", "templates", "src", "build")
"""Project folders that ``output_dir`` may never be, contain or lie inside."""

LOCK_NAME = ".lock"
OWNER_NAME = "owner.json"
KEPT_NAME = "KEPT"
RUN_PREFIX = "run-"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _source_paths(settings: Any) -> list[Path]:
    """Every configured source path; for a glob, the folder before the first wildcard."""
    paths: list[Path] = []
    for name in settings.source_names():
        value = getattr(settings.sources, name)
        for item in value if isinstance(value, list) else [value]:
            text = str(item)
            if glob.has_magic(text):
                text = text[: min(text.index(c) for c in "*?[" if c in text)]
                text = text.rsplit("/", 1)[0] if "/" in text else "."
            paths.append(Path(settings.resolve(text)).resolve())
    return paths


def check_output_dir(settings: Any) -> Path:
    """The resolved ``output_dir``, or a one-line ConfigError saying why it is unsafe."""
    label = f"{settings.config_path.name}: output_dir"
    output = Path(settings.output_dir).resolve()
    root = Path(settings.root).resolve()
    shown = os.path.relpath(output, root) if _inside(output, root) else str(output)

    def fail(why: str) -> ConfigError:
        return ConfigError(
            f"{label}: {shown!r} {why}; publishing replaces that folder as a whole, "
            "so choose a folder of its own such as 'outputs'"
        )

    if _inside(root, output):
        what = "is" if output == root else "contains"
        raise fail(f"{what} the project folder (the folder of {settings.config_path.name})")
    if output == Path(settings.config_path).resolve():
        raise fail("is the configuration file")
    for name in PROTECTED_FOLDERS:
        folder = root / name
        if _inside(output, folder):
            raise fail(f"is or lies inside {name}/")
        if _inside(folder, output):
            raise fail(f"contains {name}/")
    for source in _source_paths(settings):
        if _inside(output, source) or _inside(source, output):
            raise fail(f"is, contains or lies inside the source {_relative(source, root)}")
    if output.exists() and not output.is_dir():
        raise fail("exists and is not a folder")
    return output


def _relative(path: Path, root: Path) -> str:
    return os.path.relpath(path, root) if _inside(path, root) else str(path)


def check_output_parent(settings: Any) -> None:
    """Fail before the build when the folder that will hold ``output_dir`` is not writable."""
    output = Path(settings.output_dir).resolve()
    label = f"{settings.config_path.name}: output_dir"
    parent = output.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise ConfigError(f"{label}: cannot create {output}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ConfigError(f"{label}: cannot publish {output}: {parent} is not writable")


def check_replaceable(output_dir: Path) -> None:
    """Refuse (touching nothing) to replace a folder ``ina build`` cannot prove it made."""
    if not output_dir.exists():
        return
    if not output_dir.is_dir():
        raise BuildError(f"step 'publish' refused: {output_dir} exists and is not a folder")
    if not any(output_dir.iterdir()):
        return
    if not ((output_dir / OUTPUT_MARKER).is_file() and (output_dir / "manifest.json").is_file()):
        raise BuildError(
            f"step 'publish' refused: {output_dir} exists but was not published by `ina build` "
            f"(no {OUTPUT_MARKER} and manifest.json in it); it would be replaced as a whole, "
            "so move it away or set another output_dir in ina.yml"
        )


def write_marker(stage: Path) -> None:
    (stage / OUTPUT_MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class BuildLock:
    """``build/.lock``, held (``fcntl.flock``) for the whole of one build.

    The file holds who owns it (pid, host, start time) so the second build can say who
    is in the way. ``flock`` is released by the kernel when the process dies, so a killed
    build never leaves a lock behind that blocks the next one.
    """

    def __init__(self, build_dir: Path) -> None:
        self.build_dir = build_dir
        self.path = build_dir / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> BuildLock:
        import fcntl

        try:
            self.build_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise BuildError(
                f"cannot take the build lock {self.path}: {error.strerror or error}; "
                "the project folder must be writable"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 4096).decode("utf-8", "replace")
            os.close(fd)
            raise BuildError(
                f"another `ina build` of this project is running ({_describe(holder)}); "
                f"it holds {self.path}; wait for it to finish"
            ) from None
        owner = owner_record()
        os.ftruncate(fd, 0)
        os.write(fd, (json.dumps(owner, sort_keys=True) + "\n").encode("utf-8"))
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the flock
            self._fd = None


def owner_record() -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime()),
    }


def _describe(holder: str) -> str:
    try:
        owner = json.loads(holder)
        return f"pid {owner['pid']} on {owner['host']}, started {owner['started']}"
    except (ValueError, KeyError, TypeError):
        return "owner unknown"


def claim_run_dir(run_dir: Path, *, keep: bool) -> None:
    """Create a staging folder and record its owner (and, with --keep-work, that it stays)."""
    run_dir.mkdir(parents=True)
    (run_dir / OWNER_NAME).write_text(json.dumps(owner_record(), sort_keys=True) + "\n")
    if keep:
        (run_dir / KEPT_NAME).write_text("kept by --keep-work\n", encoding="utf-8")


def remove_stale_runs(build_dir: Path) -> list[Path]:
    """Delete ``build/run-*`` folders whose owning build is dead (call with the lock held).

    A folder is stale when its owner on this host no longer runs, or it has no owner
    record at all; folders kept with ``--keep-work`` and folders of a live process stay.
    """
    removed = []
    host = socket.gethostname()
    for run_dir in sorted(build_dir.glob(f"{RUN_PREFIX}*")):
        if not run_dir.is_dir() or (run_dir / KEPT_NAME).exists():
            continue
        try:
            owner = json.loads((run_dir / OWNER_NAME).read_text(encoding="utf-8"))
            if owner.get("host") != host or _pid_alive(int(owner["pid"])):
                continue  # another machine's, or its build still runs
        except (OSError, ValueError, KeyError, TypeError):
            pass  # no readable owner record: made before owners were recorded, or torn
        shutil.rmtree(run_dir, ignore_errors=True)
        removed.append(run_dir)
    return removed
