"""Executed notebooks name the config file, never the folder the build ran in (issue 6,
section 5), and still find it when verify or a reviewer in Jupyter re-runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ina.build.execute import execution_requests
from ina.build.plan import Area, Job
from ina.config.locate import CONFIG_ENV, locate_config


def test_execution_requests_inject_the_config_name_and_pass_its_path_aside(
    tmp_path: Path,
) -> None:
    config = tmp_path / "project" / "ina.yml"
    job = Job(Area("icb", "The ICB", "icb"), "population", tmp_path / "population.ipynb")
    (request,) = execution_requests(
        (job,), config_path=config, stage_dir=tmp_path / "stage", log_dir=tmp_path / "logs"
    )
    assert request.parameters["config_path"] == "ina.yml"
    assert str(tmp_path) not in repr(request.parameters)
    assert request.config_file == config.resolve()


def test_the_environment_variable_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "elsewhere" / "ina.yml"))
    assert locate_config("ina.yml", start=tmp_path) == tmp_path / "elsewhere" / "ina.yml"


def test_a_published_notebook_opened_in_jupyter_finds_the_project_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    (tmp_path / "ina.yml").write_text("icb: {}\n")
    notebook_folder = tmp_path / "outputs" / "notebooks" / "icb"  # Jupyter's working dir
    notebook_folder.mkdir(parents=True)
    assert locate_config("ina.yml", start=notebook_folder) == tmp_path.resolve() / "ina.yml"


def test_an_absolute_path_is_kept_and_a_missing_file_is_named_as_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONFIG_ENV, "/somewhere/else.yml")
    assert locate_config(tmp_path / "x.yml") == tmp_path / "x.yml"
    monkeypatch.delenv(CONFIG_ENV)
    assert locate_config("missing.yml", start=tmp_path) == tmp_path.resolve() / "missing.yml"
