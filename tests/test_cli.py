"""The `ina` command line: one-line errors with exit codes, no tracebacks."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from ina.cli import EXIT_BUILD, EXIT_CONFIG, app

REPO_ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def test_a_config_error_is_one_line_with_exit_code_2(tmp_path: Path) -> None:
    config = tmp_path / "ina.yml"
    text = (REPO_ROOT / "ina.yml").read_text(encoding="utf-8")
    config.write_text(text.replace("data_status: demo", "data_status: draft"), encoding="utf-8")
    result = runner.invoke(app, ["build", "--config", str(config)])
    assert result.exit_code == EXIT_CONFIG
    error_lines = [
        line for line in result.output.splitlines() if "ina: configuration error" in line
    ]
    assert len(error_lines) == 1
    assert "data_status" in error_lines[0] and "draft" in error_lines[0]
    assert "Traceback" not in result.output


def test_a_missing_config_file_is_a_config_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "--config", str(tmp_path / "nope.yml")])
    assert result.exit_code == EXIT_CONFIG
    assert "Traceback" not in result.output


def test_verify_of_a_folder_without_manifest_is_a_build_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["verify", "--outputs", str(tmp_path)])
    assert result.exit_code == EXIT_BUILD
    assert "no manifest.json" in result.output


def test_areas_lists_the_icb_and_the_places(tmp_path: Path) -> None:
    shutil.copyfile(REPO_ROOT / "ina.yml", tmp_path / "ina.yml")
    result = runner.invoke(app, ["areas", "--config", str(tmp_path / "ina.yml")])
    assert result.exit_code == 0, result.output
    for area_id in ("icb", "west-norfolk", "west-suffolk"):
        assert area_id in result.output


def test_demo_data_writes_the_extracts(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo-data", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data_raw").is_dir()
    assert any((tmp_path / "data_raw").rglob("*.csv"))
