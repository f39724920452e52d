"""The plan: the ICB plus every place of the active scheme, times the chapters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ina.build.plan import ICB_AREA_ID, plan_build
from ina.config import load_settings
from ina.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "fixture.ipynb"


def project(tmp_path: Path, notebooks: list[str]) -> Path:
    shutil.copyfile(REPO_ROOT / "ina.yml", tmp_path / "ina.yml")
    (tmp_path / "notebooks").mkdir()
    for name in notebooks:
        shutil.copyfile(FIXTURE, tmp_path / "notebooks" / f"{name}.ipynb")
    return tmp_path / "ina.yml"


def test_jobs_are_every_area_times_every_chapter_in_report_order(tmp_path: Path) -> None:
    chapters = [
        "summary",
        "population",
        "deprivation",
        "start_well",
        "feel_well",
        "be_well",
        "stay_well",
        "age_well",
        "die_well",
    ]
    settings = load_settings(project(tmp_path, chapters))
    plan = plan_build(settings)
    assert [area.id for area in plan.areas] == [
        ICB_AREA_ID,
        "west-norfolk",
        "central-norfolk",
        "great-yarmouth-and-waveney",
        "ipswich-and-east-suffolk",
        "west-suffolk",
    ]
    assert plan.areas[0].name == "NHS Norfolk and Suffolk ICB"
    assert len(plan.jobs) == 6 * len(chapters)
    assert [job.name for job in plan.jobs[: len(chapters) + 1]] == [
        *(f"{chapter}/icb" for chapter in chapters),
        "summary/west-norfolk",
    ]
    assert len(plan.places) == 5


def test_a_chapter_without_a_notebook_is_a_config_error(tmp_path: Path) -> None:
    settings = load_settings(project(tmp_path, []))
    with pytest.raises(ConfigError, match=r"notebooks that do not exist: .*population\.ipynb"):
        plan_build(settings)
