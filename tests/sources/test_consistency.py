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


def test_place_naming_an_unknown_district_is_a_config_error_in_validate(project: Path) -> None:
    """Issue 6: it used to pass validate and stop the build in execute (exit 4)."""
    from ina.errors import ConfigError

    config = project / "ina.yml"
    config.write_text(config.read_text().replace("E07000147}", "E07000999}", 1))
    settings = load_settings(config)
    with pytest.raises(ConfigError) as caught:
        load_all_sources(settings, use_cache=False)
    message = str(caught.value)
    assert message.startswith(
        "ina.yml: place_schemes.phip_alliances.places[1].members[2].district: 'E07000999'"
    )
    assert "known districts: E07000143, E07000144" in message


def test_place_member_sub_icb_without_small_areas_is_a_config_error(project: Path) -> None:
    from ina.errors import ConfigError

    config = project / "ina.yml"
    config.write_text(config.read_text().replace("sub_icb: 26A}", "sub_icb: 99Z}", 1))
    with pytest.raises(ConfigError, match=r"members\[1\]\.sub_icb: '99Z'.*06L, 26A"):
        load_all_sources(load_settings(config), use_cache=False)


def test_activity_above_ten_per_resident_names_the_row(project: Path) -> None:
    activity = project / "data_raw" / "hospital_activity" / "activity_2022_2024.csv"
    line = activity.read_text().splitlines()[6]
    count = line.rsplit(",", 1)[1]
    _replace_in_line(activity, 7, f",{count}", ",40000")
    with pytest.raises(InputError) as caught:
        load_all_sources(load_settings(project / "ina.yml"), use_cache=False)
    error = caught.value
    assert error.file == "data_raw/hospital_activity/activity_2022_2024.csv"
    assert (error.row, error.column, error.found) == (7, "ACTIVITY", "40000")
    assert "per resident" in str(error)


def test_district_missing_from_district_lookup_stops_validate(project: Path) -> None:
    """Issue 6: geography errors surfaced only when a notebook built the geography."""
    districts = project / "data_raw" / "lookups" / "LTLA24_UTLA24_lookup.csv"
    lines = districts.read_bytes().split(b"\n")
    districts.write_bytes(b"\n".join(line for line in lines if b"E07000148" not in line))
    with pytest.raises(InputError) as caught:
        load_all_sources(load_settings(project / "ina.yml"), use_cache=False)
    assert caught.value.file == "data_raw/lookups/LTLA24_UTLA24_lookup.csv"
    assert "not in the district lookup" in str(caught.value)
    assert caught.value.found == "E07000148"
