"""The build never touches the network: only ``ina.fetch`` (run by hand) may.

Two checks. Statically, no module of the package outside ``ina/fetch/`` imports a network
client (``urllib.request``, ``http.client``, ``requests``, ``httpx`` ...), uses ``socket``
for anything but the host name, or imports ``ina.fetch``, except the ``fetch`` command of
the CLI, which imports it lazily. At run time, importing everything ``ina validate`` and
``ina build`` use loads neither ``ina.fetch`` nor a network client library.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "ina"
NETWORK = ("urllib.request", "http.client", "requests", "httpx", "aiohttp", "urllib3")
#: ``socket`` is allowed for the host name only (the build's lock names its owner).
SOCKET_ALLOWED = {"gethostname"}
NETWORK_PACKAGES = ("fingertips_py", "ina.fetch")


def _imports(tree: ast.AST) -> list[tuple[str, ast.AST]]:
    found: list[tuple[str, ast.AST]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, node))
            found.extend((f"{node.module}.{alias.name}", node) for alias in node.names)
    return found


def _is_network(name: str) -> bool:
    return any(name == n or name.startswith(n + ".") for n in (*NETWORK, *NETWORK_PACKAGES))


def _inside_fetch_command(tree: ast.Module, node: ast.AST) -> bool:
    return any(
        isinstance(function, ast.FunctionDef)
        and function.name == "fetch"
        and any(child is node for child in ast.walk(function))
        for function in tree.body
    )


def test_no_build_module_imports_a_network_client() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("fetch/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, node in _imports(tree):
            if not _is_network(name):
                continue
            if relative == "cli.py" and _inside_fetch_command(tree, node):
                continue
            offenders.append(f"{relative}:{getattr(node, 'lineno', '?')} imports {name}")
        offenders.extend(
            f"{relative}:{node.lineno} uses socket.{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "socket"
            and node.attr not in SOCKET_ALLOWED
        )
        offenders.extend(
            f"{relative}:{node.lineno} imports socket.{alias.name}"
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "socket"
            for alias in node.names
            if alias.name not in SOCKET_ALLOWED
        )
    assert not offenders, "; ".join(offenders)


def test_the_check_finds_a_network_import() -> None:
    """The static check can fail: a module-level ``import urllib.request`` is caught."""
    tree = ast.parse("import urllib.request\nfrom ina.fetch import fingertips\n")
    assert [name for name, _ in _imports(tree) if _is_network(name)] == [
        "urllib.request",
        "ina.fetch",
        "ina.fetch.fingertips",
    ]


@pytest.mark.parametrize(
    "modules", [("ina.build.pipeline", "ina.build", "ina.sources", "ina.indicators.engine")]
)
def test_validate_and_build_code_loads_no_network_client(modules: tuple[str, ...]) -> None:
    clients = ["requests", "httpx", "aiohttp", "fingertips_py"]
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + f"bad = [m for m in sys.modules if m.split('.')[0] in {clients!r}"
        + " or m == 'ina.fetch' or m.startswith('ina.fetch.')]\n"
        + "print(','.join(sorted(bad)))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(PACKAGE.parent), "PATH": ""},
    )
    assert completed.stdout.strip() == "", completed.stdout
