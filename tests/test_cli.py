"""The `ina` command line: one-line errors with exit codes, no tracebacks."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ina.cli import EXIT_BUILD, EXIT_CONFIG, EXIT_UNEXPECTED, app

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


def project_with_output_dir(tmp_path: Path, output_dir: str) -> Path:
    config = tmp_path / "ina.yml"
    text = (REPO_ROOT / "ina.yml").read_text(encoding="utf-8")
    config.write_text(text.replace("\noutput_dir: outputs", f"\noutput_dir: {output_dir}"))
    (tmp_path / "data_raw").mkdir()
    (tmp_path / "data_raw" / "extract.csv").write_text("precious\n")
    return config


@pytest.mark.parametrize("command", ["validate", "build"])
@pytest.mark.parametrize("output_dir", ["data_raw", "."])
def test_an_output_dir_over_the_inputs_or_the_project_stops_before_anything_runs(
    tmp_path: Path, command: str, output_dir: str
) -> None:
    config = project_with_output_dir(tmp_path, output_dir)
    before = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*"))
    result = runner.invoke(app, [command, "--config", str(config)])
    assert result.exit_code == EXIT_CONFIG, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("ina:")]
    assert len(lines) == 1 and "ina.yml: output_dir:" in lines[0], result.output
    assert "Traceback" not in result.output
    after = sorted(
        path.relative_to(tmp_path) for path in tmp_path.rglob("*") if "build" not in path.parts
    )
    assert after == before
    assert (tmp_path / "data_raw" / "extract.csv").read_text() == "precious\n"


def test_an_unexpected_error_is_one_line_with_the_step_and_a_log_of_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "ina.yml"
    shutil.copyfile(REPO_ROOT / "ina.yml", config)

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero in a loader")

    monkeypatch.setattr("ina.sources.load_all_sources", broken)
    result = runner.invoke(app, ["build", "--config", str(config)])
    assert result.exit_code == EXIT_UNEXPECTED, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("ina:")]
    log = tmp_path / "build" / "logs" / "ina-build.log"
    assert lines == [
        "ina: unexpected error in build, step 'validate': ZeroDivisionError: division by zero "
        f"in a loader; traceback in {log}"
    ]
    assert "Traceback" in log.read_text() and "def broken" not in result.output
    assert "raise ZeroDivisionError" in log.read_text()


def test_a_cancelled_error_a_base_exception_is_one_line_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    config = tmp_path / "ina.yml"
    shutil.copyfile(REPO_ROOT / "ina.yml", config)

    def cancelled(*args, **kwargs):
        raise asyncio.CancelledError

    monkeypatch.setattr("ina.sources.load_all_sources", cancelled)
    result = runner.invoke(app, ["build", "--config", str(config)])
    assert result.exit_code == EXIT_UNEXPECTED, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("ina:")]
    assert lines and lines[0].startswith(
        "ina: unexpected error in build, step 'validate': CancelledError"
    )


def test_the_console_entry_point_turns_an_unguarded_error_into_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import ina.cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["ina", "qa", "--outputs", str(tmp_path)])
    (tmp_path / "data").mkdir()

    def broken(*args, **kwargs):
        raise RuntimeError("unguarded")

    monkeypatch.setattr(ina.cli, "Table", broken)
    monkeypatch.setattr("ina.quality.run_quality_checks", lambda *a, **k: _FakeQa())
    assert ina.cli.run() == EXIT_UNEXPECTED  # main() is run() then os._exit(code)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("ina: unexpected error in qa: RuntimeError: unguarded; traceback in ")
    assert (tmp_path / "build" / "logs" / "ina-qa.log").is_file()


class _FakeQa:
    """Just enough of a QaResult for `ina qa` to reach its table of findings."""

    findings = pd.DataFrame({"severity": ["warning"]})


def test_square_brackets_in_an_error_are_printed_not_taken_as_markup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ina.errors import InputError

    config = tmp_path / "ina.yml"
    shutil.copyfile(REPO_ROOT / "ina.yml", config)

    def bad(*args, **kwargs):
        raise InputError("data_raw/x.csv", "the value [c] is a suppression symbol", row=2)

    monkeypatch.setattr("ina.sources.load_all_sources", bad)
    result = runner.invoke(app, ["validate", "--config", str(config)])
    assert result.exit_code == 3
    assert "the value [c] is a suppression symbol" in result.output


def test_validate_lists_every_config_problem_one_line_each(tmp_path: Path) -> None:
    config = tmp_path / "ina.yml"
    text = (REPO_ROOT / "ina.yml").read_text(encoding="utf-8")
    text = text.replace("data_status: demo", "data_status: draft")
    text = text.replace("reporting_year: 2026", "reporting_year: soon")
    config.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--config", str(config)])
    assert result.exit_code == EXIT_CONFIG
    lines = [line for line in result.output.splitlines() if "ina: configuration error" in line]
    assert lines[0].endswith("2 problems")
    assert any("reporting_year" in line and "'soon'" in line for line in lines[1:])
    assert any("data_status" in line and "'draft'" in line for line in lines[1:])
    assert "more problem" not in result.output


def test_validate_prints_the_coverage_before_reading_any_extract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ina.errors import InputError

    config = tmp_path / "ina.yml"
    text = (REPO_ROOT / "ina.yml").read_text(encoding="utf-8")
    births = next(line for line in text.splitlines() if line.strip().startswith("births:"))
    config.write_text(text.replace(births + "\n", ""), encoding="utf-8")

    def bad(*args, **kwargs):
        raise InputError("data_raw/x.csv", "a bad extract", row=2)

    monkeypatch.setattr("ina.sources.load_all_sources", bad)
    result = runner.invoke(app, ["validate", "--config", str(config)], env={"COLUMNS": "200"})
    assert result.exit_code == 3  # the extracts fail after the coverage was printed
    assert "Coverage of the sources" in result.output
    births_row = next(line for line in result.output.splitlines() if "│ births " in line)
    assert "not supplied" in births_row and "population sections: Births" in births_row
