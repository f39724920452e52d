"""Every test file is collected: a folder pytest skips by default is a suite CI never runs.

pytest's default ``norecursedirs`` contains ``build``, which once hid all of ``tests/build/``
(the end-to-end build, ``ina verify`` and atomic publishing) from ``make test`` and CI. This
test asks pytest itself, in a fresh process with the project's configuration, which files it
collects, and fails naming any ``tests/**/test_*.py`` file it would not run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TESTS = REPO_ROOT / "tests"


def _collected_files() -> set[str]:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    files = set()
    for line in completed.stdout.splitlines():
        if "::" in line:
            files.add(line.split("::", 1)[0])
    return files


def test_every_test_file_is_collected() -> None:
    on_disk = {
        path.relative_to(REPO_ROOT).as_posix()
        for path in TESTS.rglob("test_*.py")
        if "__pycache__" not in path.parts
    }
    collected = _collected_files()
    missing = sorted(on_disk - collected)
    assert not missing, f"pytest does not collect: {', '.join(missing)}"
    assert any(name.startswith("tests/build/") for name in collected)
