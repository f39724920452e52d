"""Fixtures for the build tests: throw-away copies of the project.

A project copy holds what a build reads: ``ina.yml``, ``data_raw/``, ``notebooks/``,
``templates/`` and ``_quarto.yml``. The demo extracts are written once per session with
``ina.demo.write_demo_data`` (or copied from the repository when it ships them).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_CHAPTER = "fixture"


def _repo_has_demo_data() -> bool:
    data_raw = REPO_ROOT / "data_raw"
    return data_raw.is_dir() and any(path.is_file() for path in data_raw.rglob("*.csv"))


@pytest.fixture(scope="session")
def demo_data_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ``data_raw/`` folder holding the demo extracts (made once per session)."""
    if _repo_has_demo_data():
        return REPO_ROOT / "data_raw"
    try:
        from ina.demo import write_demo_data
    except ImportError:
        pytest.skip("ina.demo.write_demo_data is not available yet and data_raw/ is empty")
    root = tmp_path_factory.mktemp("demo-data")
    write_demo_data(root)
    return root / "data_raw"


def _with_chapters(config_text: str, chapters: list[str]) -> str:
    """ina.yml text with its ``chapters:`` list replaced."""
    lines = config_text.splitlines()
    start = lines.index("chapters:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("  - "):
        end += 1
    return "\n".join([*lines[: start + 1], *[f"  - {name}" for name in chapters], *lines[end:]])


ProjectFactory = Callable[..., Path]


@pytest.fixture(scope="session")
def make_project(demo_data_raw: Path) -> ProjectFactory:
    """Factory: ``make_project(folder, chapters=None)`` copies the project into ``folder``.

    ``chapters=["fixture"]`` uses the small contract-following notebook in
    ``tests/build/fixtures`` instead of the real chapters (fast builds).
    """

    def make(folder: Path, chapters: list[str] | None = None) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copytree(demo_data_raw, folder / "data_raw")
        shutil.copytree(REPO_ROOT / "templates", folder / "templates")
        shutil.copyfile(REPO_ROOT / "_quarto.yml", folder / "_quarto.yml")
        config_text = (REPO_ROOT / "ina.yml").read_text(encoding="utf-8")
        notebooks = folder / "notebooks"
        notebooks.mkdir()
        if chapters is None:
            for notebook in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
                shutil.copyfile(notebook, notebooks / notebook.name)
        else:
            for chapter in chapters:
                source = FIXTURES / f"{chapter}.ipynb"
                if not source.is_file():
                    source = REPO_ROOT / "notebooks" / f"{chapter}.ipynb"
                shutil.copyfile(source, notebooks / f"{chapter}.ipynb")
            config_text = _with_chapters(config_text, chapters)
        (folder / "ina.yml").write_text(config_text + "\n", encoding="utf-8")
        return folder / "ina.yml"

    return make


def repo_chapters_available() -> bool:
    """True once the real chapter notebooks named in ina.yml exist."""
    import yaml

    config = yaml.safe_load((REPO_ROOT / "ina.yml").read_text(encoding="utf-8"))
    return all((REPO_ROOT / "notebooks" / f"{name}.ipynb").is_file() for name in config["chapters"])
