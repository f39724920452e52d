"""Codes that are well formed but unknown stop the build with file, line and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ina.config import load_settings
from ina.errors import InputError
from ina.sources import load_all_sources
from ina.sources.consistency import check_codes_are_known

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A copy of the demo project's config and extracts that a test may break."""
    shutil.copy(ROOT / "ina.yml", tmp_path / "ina.yml")
    shutil.copytree(ROOT / "data_raw", tmp_path / "data_raw")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    return tmp_path


def _replace_in_line(path: Path, line_number: int, old: str, new: str) -> None:
    lines = path.read_bytes().split(b"\n")
    assert old.encode() in lines[line_number - 1]
    lines[line_number - 1] = lines[line_number - 1].replace(old.encode(), new.encode(), 1)
    path.write_bytes(b"\n".join(lines))


def test_demo_extracts_refer_only_to_known_codes(project: Path) -> None:
    settings = load_settings(project / "ina.yml")
    check_codes_are_known(load_all_sources(settings, use_cache=False), project)


def test_unknown_small_area_in_deaths_is_reported_with_line_and_column(project: Path) -> None:
    deaths = project / "data_raw" / "deaths" / "deaths_2020_2024.csv"
    first_code = deaths.read_text().splitlines()[4].split(",")[4]
    _replace_in_line(deaths, 5, first_code, "X01999999")
    settings = load_settings(project / "ina.yml")
    with pytest.raises(InputError) as caught:
        check_codes_are_known(load_all_sources(settings, use_cache=False), project)
    error = caught.value
    assert error.file.endswith("deaths_2020_2024.csv")
    assert error.row == 5
    assert error.column == "LSOAR"
    assert error.found == "X01999999"
    assert "lookup" in str(error)


def test_unknown_practice_in_small_area_registrations_is_reported(project: Path) -> None:
    registrations = project / "data_raw" / "gp_registrations" / "gp-reg-pat-prac-lsoa-all.csv"
    line = registrations.read_text().splitlines()[1]
    practice = line.split(",")[2]
    # Rename every row of that practice, so the file stays internally consistent.
    registrations.write_text(registrations.read_text().replace(practice, "Z99999"))
    settings = load_settings(project / "ina.yml")
    with pytest.raises(InputError) as caught:
        check_codes_are_known(load_all_sources(settings, use_cache=False), project)
    assert caught.value.column == "PRACTICE_CODE"
    assert caught.value.found == "Z99999"
    assert caught.value.row == 2
