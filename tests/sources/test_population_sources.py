"""SAPE (csv and xlsx), MYE2 and SNPP readers."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sources_helpers import assert_error, csv_text, real_file, write

from ina.errors import InputError
from ina.sources import read_mid_year_estimates, read_population_projections, read_sape_population

SAPE_HEADER = [
    "LAD 2021 Code",
    "LAD 2021 Name",
    "LSOA 2021 Code",
    "LSOA 2021 Name",
    "Total",
    *(f"F{a}" for a in range(91)),
    *(f"M{a}" for a in range(91)),
]


def sape_rows() -> list[list[object]]:
    rows = []
    for i in range(2):
        ages = [a % 7 + i for a in range(182)]
        rows.append(
            ["E07000148", "Norwich", f"X0100000{i + 1}", f"Norwich 001{'AB'[i]}", sum(ages), *ages]
        )
    return rows


def test_sape_csv_to_long(tmp_path: Path) -> None:
    rows = sape_rows()
    frame = read_sape_population(write(tmp_path, "s.csv", csv_text(SAPE_HEADER, rows))).frame
    assert list(frame.columns) == ["lsoa_code", "sex", "age", "population"]
    assert len(frame) == 2 * 2 * 91
    first = frame[(frame["lsoa_code"] == "X01000002") & (frame["sex"] == "male")]
    assert first["age"].tolist() == list(range(91))
    assert first["population"].tolist() == rows[1][5 + 91 :]
    assert frame.groupby("lsoa_code")["population"].sum().tolist() == [rows[0][4], rows[1][4]]


@pytest.mark.parametrize(
    ("cell", "value", "row", "column", "message"),
    [
        ((1, 4), "999", 3, "Total", "sum of its parts"),
        ((0, 10), "-1", 2, "F5", "negative"),
        ((1, 100), "x", 3, "M4", "not a number"),
        ((0, 2), "X0100001", 2, "LSOA 2021 Code", "ill-formed"),
        ((1, 2), "X01000001", 3, "LSOA 2021 Code", "duplicate"),
    ],
)
def test_sape_bad_values(
    tmp_path: Path, cell: tuple[int, int], value: str, row: int, column: str, message: str
) -> None:
    rows = sape_rows()
    rows[cell[0]][cell[1]] = value
    path = write(tmp_path, "s.csv", csv_text(SAPE_HEADER, rows))
    with pytest.raises(InputError) as error:
        read_sape_population(path)
    assert_error(error, path, row=row, column=column, message=message)


def test_sape_missing_age_column(tmp_path: Path) -> None:
    header = [c for c in SAPE_HEADER if c != "F37"]
    rows = [r[: 5 + 37] + r[5 + 38 :] for r in sape_rows()]
    path = write(tmp_path, "s.csv", csv_text(header, rows))
    with pytest.raises(InputError) as error:
        read_sape_population(path)
    assert_error(error, path, row=None, column="F37", message="missing")


def test_sape_xlsx_with_title_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Mid-2022 LSOA 2021"
    sheet.append(["Mid-2022 population estimates for 2021 LSOAs"])
    sheet.append([])
    sheet.append(["Source: ONS"])
    sheet.append(SAPE_HEADER)
    rows = sape_rows()
    rows[1][50] = -3
    for row in rows:
        sheet.append(row)
    path = tmp_path / "sape.xlsx"
    book.save(path)
    with pytest.raises(InputError) as error:
        read_sape_population(path)
    assert_error(error, path, row=6, column="F45", message="negative")


def test_real_sape_density_workbook_is_rejected_clearly() -> None:
    path = real_file("ons_sape/SAPE21DT11-mid-2018-lsoa-population-density.xlsx")
    with pytest.raises(InputError, match="LSOA 2021 Code"):
        read_sape_population(path)


def mye_workbook(path: Path, male_edit: tuple[int, int, object] | None = None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    areas = [
        ("E92000001", "ENGLAND", "Country"),
        ("E07000148", "Norwich", "Non-metropolitan District"),
    ]
    for sheet_name, offset in (("MYE2 - Females", 0), ("MYE2 - Males", 1)):
        sheet = book.create_sheet(sheet_name)
        sheet.append(["Mid-2022 population estimates"])
        sheet.append([])
        sheet.append(["Code", "Name", "Geography", "All ages", *range(91)])
        for i, (code, name, geography) in enumerate(areas):
            ages = [(a + i + offset) % 50 for a in range(91)]
            sheet.append([code, name, geography, sum(ages), *ages])
    if male_edit:
        row, column, value = male_edit
        book["MYE2 - Males"].cell(row=row, column=column, value=value)
    book.save(path)
    return path


def test_mye2_long_frame(tmp_path: Path) -> None:
    frame = read_mid_year_estimates(mye_workbook(tmp_path / "m.xlsx")).frame
    assert list(frame.columns) == [
        "area_code",
        "area_name",
        "geography",
        "sex",
        "age",
        "population",
    ]
    assert len(frame) == 2 * 2 * 91
    male_norwich = frame[(frame["area_code"] == "E07000148") & (frame["sex"] == "male")]
    assert male_norwich["population"].iloc[:3].tolist() == [2, 3, 4]


@pytest.mark.parametrize(
    ("edit", "column", "message"),
    [
        ((5, 4, 1), "All ages", "sum of its parts"),
        ((5, 30, -1), "25", "negative"),
        ((4, 1, "E9200001"), "Code", "ill-formed"),
    ],
)
def test_mye2_bad_values(
    tmp_path: Path, edit: tuple[int, int, object], column: str, message: str
) -> None:
    path = mye_workbook(tmp_path / "m.xlsx", edit)
    with pytest.raises(InputError) as error:
        read_mid_year_estimates(path)
    assert_error(error, path, row=edit[0], column=column, message=message)
    assert "MYE2 - Males" in str(error.value)


SNPP_HEADER = ["AREA_CODE", "AREA_NAME", "COMPONENT", "SEX", "AGE_GROUP", "2022", "2023"]


def snpp_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    for sex in ("females", "males"):
        ages = [str(a) for a in range(90)] + ["90 and over"]
        values = [(10.25 + a, 11.5 + a) for a in range(91)]
        for age, (v1, v2) in zip(ages, values, strict=True):
            rows.append(["E07000148", "Norwich", "Population", sex, age, v1, v2])
        rows.append(
            [
                "E07000148",
                "Norwich",
                "Population",
                sex,
                "All ages",
                round(sum(v[0] for v in values), 3),
                round(sum(v[1] for v in values), 3),
            ]
        )
    return rows


def test_snpp_long_frame(tmp_path: Path) -> None:
    frame = read_population_projections(
        write(tmp_path, "p.csv", csv_text(SNPP_HEADER, snpp_rows()))
    ).frame
    assert list(frame.columns) == ["area_code", "area_name", "sex", "age", "year", "population"]
    assert len(frame) == 2 * 91 * 2
    top = frame[(frame["sex"] == "male") & (frame["age"] == 90) & (frame["year"] == 2023)]
    assert top["population"].item() == pytest.approx(101.5)


@pytest.mark.parametrize(
    ("row_index", "column_index", "value", "column", "message"),
    [
        (91, 6, "9999", "2023", "All ages"),
        (3, 5, "-1", "2022", "below 0"),
        (3, 5, "abc", "2022", "not a number"),
        (4, 4, "101", "AGE_GROUP", "unknown age group"),
        (5, 0, "E0700014", "AREA_CODE", "ill-formed"),
        (5, 4, "4", "AGE_GROUP", "duplicate"),
    ],
)
def test_snpp_bad_values(
    tmp_path: Path, row_index: int, column_index: int, value: str, column: str, message: str
) -> None:
    rows = snpp_rows()
    rows[row_index][column_index] = value
    path = write(tmp_path, "p.csv", csv_text(SNPP_HEADER, rows))
    with pytest.raises(InputError) as error:
        read_population_projections(path)
    assert_error(error, path, row=row_index + 2, column=column, message=message)
