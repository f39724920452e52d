"""Issue 6, section 4: bad input that used to get through or end in a traceback.

Each test here failed before the fix it names: a UnicodeDecodeError traceback for a byte
Windows-1252 does not define or a binary file renamed ``.csv``; counts without an upper
bound (1e12 attendances published, a 21-digit count wrapping to -9.2e18); dates in the
future or before 1900 and a financial year not yet begun; a header-only extract
accepted; a file cut mid-line reported as a "blank cell"; a folder reported as "not
found"; a header naming a column twice, or every row one field longer than the header,
read silently shifted.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest
from sources_helpers import assert_error, csv_text, write

from ina.errors import InputError
from ina.sources import (
    read_births,
    read_deaths,
    read_hospital_activity,
    read_mid_year_estimates,
    read_registered_by_age,
    read_registered_by_small_area,
    read_sape_population,
)
from ina.sources._base import read_csv_table, read_file_bytes
from ina.sources._checks import MAX_COUNT, today

DEATHS = ["DOR", "DOD", "SEX", "AGEINYRS", "LSOAR", "ICD10U"]
DEATH = ["2024-01-05", "2024-01-02", "1", "80", "X01000001", "I219"]
ACTIVITY = ["FYEAR", "LSOA21", "AGE_BAND", "SEX", "POD", "ACTIVITY"]
LSOA_REG = ["PUBLICATION", "EXTRACT_DATE", "PRACTICE_CODE", "PRACTICE_NAME", "LSOA_CODE"]
LSOA_REG += ["SEX", "NUMBER_OF_PATIENTS"]


def deaths_file(folder: Path, rows: list[list[str]]) -> Path:
    return write(folder, "deaths.csv", csv_text(DEATHS, rows))


def activity_file(folder: Path, *cells: tuple[str, str]) -> Path:
    row = ["202324", "X01000001", "0-4", "1", "AE", "15"]
    for column, value in cells:
        row[ACTIVITY.index(column)] = value
    return write(folder, "activity.csv", csv_text(ACTIVITY, [row, [*row[:4], "NEL", "3"]]))


# --- not a CSV in UTF-8 or Windows-1252 --------------------------------------------------


def test_byte_undefined_in_cp1252_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "deaths.csv"
    path.write_bytes(csv_text(DEATHS, [DEATH]).encode() + b"2024-01-05,\x81\n")
    with pytest.raises(InputError) as error:
        read_deaths(path)
    assert_error(error, path, row=3, column=None, message="not a CSV in UTF-8 or Windows-1252")
    assert "0x81" in str(error.value)


@pytest.mark.parametrize(
    ("content", "looks_like"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x81\x90", "PNG image"),
        (b"%PDF-1.7\n\x81", "PDF document"),
        (b"\xff\xfeD\x00O\x00R\x00", "UTF-16"),
        (b"DOR,DOD\n\x00\x00\x81", "binary file"),
    ],
)
def test_binary_file_renamed_csv_says_what_it_looks_like(
    tmp_path: Path, content: bytes, looks_like: str
) -> None:
    path = tmp_path / "deaths.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=f"not a CSV in UTF-8 or Windows-1252.*{looks_like}"):
        read_deaths(path)


def test_xlsx_renamed_csv_says_it_is_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "deaths.csv"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "\x81" * 10)
    with pytest.raises(InputError, match=r"looks like an Excel \.xlsx workbook") as error:
        read_deaths(path)
    assert str(path) in str(error.value)


def test_utf8_bom_and_cp1252_still_read(tmp_path: Path) -> None:
    text = "NAME,N\nCafé,1\n"
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf" + text.encode())
    (tmp_path / "w.csv").write_bytes(text.encode("cp1252"))
    for name in ("bom.csv", "w.csv"):
        table = read_csv_table(read_file_bytes(tmp_path / name))
        assert table.frame["NAME"].tolist() == ["Café"]


# --- files that are not there, empty, header-only, truncated, misshapen --------------------


def test_folder_instead_of_file(tmp_path: Path) -> None:
    (tmp_path / "deaths.csv").mkdir()
    with pytest.raises(InputError, match="is a folder, not a file"):
        read_deaths(tmp_path / "deaths.csv")


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "deaths.csv", "")
    with pytest.raises(InputError, match=r"the file is empty \(0 bytes\)"):
        read_deaths(path)


def test_header_only_deaths_file_is_rejected(tmp_path: Path) -> None:
    path = deaths_file(tmp_path, [])
    with pytest.raises(InputError) as error:
        read_deaths(path)
    assert_error(error, path, row=1, column=None, message="has a header but no data rows")


def test_header_only_workbook_sheet_is_rejected(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "MYE2 - Males"
    book.active.append(["Code", "Name", "Geography", "All ages", *range(91)])
    book.create_sheet("MYE2 - Females").append(["Code", "Name", "Geography", "All ages"])
    path = tmp_path / "mye.xlsx"
    book.save(path)
    with pytest.raises(InputError, match="has a header but no data rows"):
        read_mid_year_estimates(path)


def test_truncated_last_row_says_truncated(tmp_path: Path) -> None:
    path = tmp_path / "deaths.csv"
    path.write_bytes(csv_text(DEATHS, [DEATH, DEATH]).encode() + b"2024-01-05,2024-0")
    with pytest.raises(InputError) as error:
        read_deaths(path)
    assert_error(error, path, row=4, column=None, message="cut short .* looks truncated")


def test_repeated_column_name_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", csv_text([*DEATHS[:5], "LSOAR"], [DEATH]))
    with pytest.raises(InputError, match="column 'LSOAR' appears twice in the header"):
        read_deaths(path)


def test_every_row_one_field_longer_than_the_header_is_not_read_shifted(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", csv_text(DEATHS, [[*DEATH, "x"], [*DEATH, "y"]]))
    with pytest.raises(InputError, match="more fields than the header"):
        read_deaths(path)


def test_one_long_row_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", csv_text(DEATHS, [DEATH, [*DEATH, "x"], DEATH]))
    with pytest.raises(InputError) as error:
        read_deaths(path)
    assert_error(error, path, row=3, column=None, message="7 fields but the header has 6")


# --- counts: bounded, and never wrapped --------------------------------------------------


def test_a_trillion_attendances_is_rejected(tmp_path: Path) -> None:
    path = activity_file(tmp_path, ("ACTIVITY", "1000000000000"))
    with pytest.raises(InputError) as error:
        read_hospital_activity(path)
    assert_error(error, path, row=2, column="ACTIVITY", message="count too large")


def test_a_21_digit_count_does_not_wrap(tmp_path: Path) -> None:
    path = activity_file(tmp_path, ("ACTIVITY", "123456789012345678901"))
    with pytest.raises(InputError, match="count too large"):
        read_hospital_activity(path)


def test_21_digit_count_in_a_column_without_a_plausible_bound(tmp_path: Path) -> None:
    """``counts`` itself refuses anything int64 cannot hold exactly (was a silent wrap)."""
    from ina.sources import _checks

    path = write(tmp_path, "n.csv", "N\n1\n123456789012345678901\n")
    table = read_csv_table(read_file_bytes(path))
    with pytest.raises(InputError, match="count too large") as error:
        _checks.counts(table, "N")
    assert error.value.row == 3
    assert f"{MAX_COUNT:,}" in str(error.value)


def test_practice_list_above_plausible_maximum(tmp_path: Path) -> None:
    rows = [["Aug 2026", "01Aug2026", "Z90001", "P", "X01000001", "ALL", "5000000"]]
    path = write(tmp_path, "lsoa.csv", csv_text(LSOA_REG, rows))
    with pytest.raises(InputError) as error:
        read_registered_by_small_area(path)
    assert_error(error, path, row=2, column="NUMBER_OF_PATIENTS", message="count too large")


def test_registered_by_age_bounds_depend_on_the_organisation(tmp_path: Path) -> None:
    header = ["PUBLICATION", "EXTRACT_DATE", "TYPE", "SUB_ICB_LOCATION_CODE"]
    header += ["ONS_SUB_ICB_LOCATION_CODE", "CODE", "POSTCODE", "SEX", "AGE"]
    header += ["NUMBER_OF_PATIENTS"]
    row = ["Aug 2026", "01Aug2026", "GP", "26A", "E38000239", "Z90001", "NR1 1AA", "FEMALE"]
    path = write(tmp_path, "age.csv", csv_text(header, [[*row, "0", "2000000"]]))
    with pytest.raises(InputError) as error:
        read_registered_by_age(path)
    assert_error(error, path, row=2, column="NUMBER_OF_PATIENTS", message="one practice")


def test_small_area_population_above_plausible_maximum(tmp_path: Path) -> None:
    ages = [f"{s}{a}" for s in "FM" for a in range(91)]
    header = ["LAD 2021 Code", "LAD 2021 Name", "LSOA 2021 Code", "LSOA 2021 Name", "Total"]
    counts = ["0"] * 182
    counts[0] = "90000000"
    row = ["E07000148", "Norwich", "X01000001", "Norwich 001A", "90000000", *counts]
    path = write(tmp_path, "sape.csv", csv_text(header + ages, [row]))
    with pytest.raises(InputError) as error:
        read_sape_population(path)
    assert_error(error, path, row=2, column="F0", message="residents of one small area")


# --- dates and financial years -----------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["2999-01-05", "2024-01-02"], "DOR", "in the future"),
        (["2024-01-05", "1850-01-02"], "DOD", "before 1900-01-01"),
        (["1899-12-31", "1899-12-30"], "DOR", "before 1900-01-01"),
    ],
)
def test_death_dates_outside_1900_to_today(
    tmp_path: Path, row: list[str], column: str, message: str
) -> None:
    path = deaths_file(tmp_path, [DEATH, row + DEATH[2:]])
    with pytest.raises(InputError) as error:
        read_deaths(path)
    assert_error(error, path, row=3, column=column, message=message)


def test_birth_registered_tomorrow_is_rejected(tmp_path: Path) -> None:
    tomorrow = str((today() + np.timedelta64(1, "D")).date())
    header = ["DOR", "DOB", "SEX", "BIRTHWGT", "GESTATN", "AGEBM", "LSOAR"]
    row = [tomorrow, "2024-01-01", "1", "3400", "40", "30", "X01000001"]
    path = write(tmp_path, "births.csv", csv_text(header, [row]))
    with pytest.raises(InputError) as error:
        read_births(path)
    assert_error(error, path, row=2, column="DOR", message="in the future")


def test_extract_date_in_the_future_is_rejected(tmp_path: Path) -> None:
    rows = [["Aug 2126", "01Aug2126", "Z90001", "P", "X01000001", "ALL", "50"]]
    path = write(tmp_path, "lsoa.csv", csv_text(LSOA_REG, rows))
    with pytest.raises(InputError) as error:
        read_registered_by_small_area(path)
    assert_error(error, path, row=2, column="EXTRACT_DATE", message="in the future")


def test_financial_year_not_yet_begun_is_rejected(tmp_path: Path) -> None:
    path = activity_file(tmp_path, ("FYEAR", "203031"))
    with pytest.raises(InputError) as error:
        read_hospital_activity(path)
    assert_error(error, path, row=2, column="FYEAR", message="has not started")


def test_current_financial_year_is_accepted(tmp_path: Path) -> None:
    now = today()
    start = now.year if now.month >= 4 else now.year - 1
    path = activity_file(tmp_path, ("FYEAR", f"{start}{(start + 1) % 100:02d}"))
    assert read_hospital_activity(path).frame["year"].unique().tolist() == [start]
