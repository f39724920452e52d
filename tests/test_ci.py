"""CI installs what the tests need, so no test skips for a missing tool (issue 6).

``tests/build/test_render.py`` reads PDF text with ``pdftotext``; without poppler-utils
it skipped in CI. ``tests/browser`` needs the system Chromium, chromedriver and axe-core.
``.ci/install-test-tools`` (called by ``.ci/run``) installs them as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SCRIPT = REPO_ROOT / ".ci" / "install-test-tools"


def test_ci_runs_the_tool_installer_then_make_test() -> None:
    lines = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert lines.index(".ci/install-test-tools") < lines.index("make test")


@pytest.mark.skipif(os.geteuid() != 0, reason="the installer only installs as root")
def test_the_installer_installs_poppler_chromium_and_axe_when_missing_and_then_does_nothing(
    tmp_path: Path,
) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    calls = tmp_path / "calls"
    for name in ("id", "bash", "cat", "dirname", "pwd"):
        if shutil.which(name):
            os.symlink(shutil.which(name), tools / name)
    # apt-get stub: records its arguments; "install" provides the tools it was asked for
    (tools / "apt-get").write_text(
        "#!" + shutil.which("bash") + "\n"
        f'echo "$@" >> {calls}\n'
        f'provide() {{ printf "#!/bin/sh\\n" > {tools}/$1; /bin/chmod +x {tools}/$1; }}\n'
        'if [ "$1" = install ]; then for tool in "$@"; do case "$tool" in\n'
        f"  poppler-utils) provide pdftotext;;\n"
        f"  chromium) provide chromium;;\n"
        f"  chromium-driver) provide chromedriver;;\n"
        "esac; done; fi\n"
    )
    # npm stub: records its arguments and provides axe-core under --prefix
    axe_prefix = tmp_path / "browser-tests"
    (tools / "npm").write_text(
        "#!" + shutil.which("bash") + "\n"
        f'echo "npm $@" >> {calls}\n'
        f"/bin/mkdir -p {axe_prefix}/node_modules/axe-core && "
        f"printf x > {axe_prefix}/node_modules/axe-core/axe.min.js\n"
    )
    for stub in ("apt-get", "npm"):
        (tools / stub).chmod(0o755)
    environment = {"PATH": str(tools), "AXE_PREFIX": str(axe_prefix)}
    for _ in range(2):
        result = subprocess.run(
            [shutil.which("bash"), str(SCRIPT)], env=environment, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == "" and result.stderr == ""  # quiet
    assert calls.read_text().splitlines() == [
        "update -qq",
        "install -y -qq --no-install-recommends poppler-utils",
        "install -y -qq --no-install-recommends chromium chromium-driver",
        f"npm install --prefix {axe_prefix} --no-audit --no-fund --silent",
    ]


def test_an_unreachable_registry_does_not_fail_ci(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("the installer only tries apt-get as root")
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("id", "bash", "cat"):
        os.symlink(shutil.which(name), tools / name)
    (tools / "apt-get").write_text("#!" + shutil.which("bash") + "\nexit 100\n")
    (tools / "apt-get").chmod(0o755)
    result = subprocess.run(
        [shutil.which("bash"), str(SCRIPT)],
        env={"PATH": str(tools)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "could not install poppler-utils; the PDF text tests will skip" in result.stderr


def test_ruff_lints_every_python_folder_named_build() -> None:
    """A bare ``build`` in ruff's exclude also skipped ``src/ina/build`` and ``tests/build``."""
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.is_file():
        pytest.skip("ruff is not installed next to this Python")
    result = subprocess.run(
        [str(ruff), "check", "--show-files", "src", "tests", "benchmarks"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    linted = {Path(line).resolve() for line in result.stdout.splitlines() if line.strip()}
    for relative in ("src/ina/build/pipeline.py", "tests/build/conftest.py"):
        assert (REPO_ROOT / relative).resolve() in linted, relative
