"""The two ways to install ina (pip and conda) must list the same dependencies.

A reviewer who builds with conda and one who builds with pip should get the same
libraries; this test fails as soon as one list gains a package the other lacks.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# Only in one list, on purpose: Quarto and pip itself are conda-only (Quarto has no
# working PyPI package here); the editable install of ina is how conda gets ina.
CONDA_ONLY = {"python", "quarto", "pip"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower()


def _pip_names() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {_name(r) for r in project["dependencies"]}
    for extra in project.get("optional-dependencies", {}).values():
        names |= {_name(r) for r in extra}
    return names


def _conda_names() -> set[str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    names: set[str] = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            names |= {_name(d) for d in dep["pip"] if not d.startswith("-e")}
        else:
            names.add(_name(dep))
    return names - CONDA_ONLY


def test_pip_and_conda_list_the_same_dependencies() -> None:
    assert _pip_names() == _conda_names()


def test_environment_yml_installs_ina_itself() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section
