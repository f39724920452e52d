"""NHS Digital practice map, single-age registrations (3 layouts) and practice-by-LSOA."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest
from sources_helpers import assert_error, csv_text, real_file, write

from ina.errors import InputError
from ina.sources import read_practice_map, read_registered_by_age, read_registered_by_small_area

MAP_HEADER = [
    "PUBLICATION",
    "EXTRACT_DATE",
    "PRACTICE_CODE",
    "PRACTICE_NAME",
    "PRACTICE_POSTCODE",
    "PCN_CODE",
    "PCN_NAME",
    "ONS_SUB_ICB_LOCATION_CODE",
    "SUB_ICB_LOCATION_CODE",
    "SUB_ICB_LOCATION_NAME",
    "ONS_ICB_CODE",
    "ICB_CODE",
    "ICB_NAME",
    "ONS_COMM_REGION_CODE",
    "COMM_REGION_CODE",
    "COMM_REGION_NAME",
    "SUPPLIER_NAME",
]


def map_rows() -> list[list[object]]:
    return [
        [
            "GP_PRAC_PAT_LIST",
            "01Aug2026",
            code,
            "DEMO SURGERY",
            "NR1 1AA",
            pcn,
            "DEMO PCN",
            "E38000239",
            "26A",
            "NHS N&S ICB - 26A",
            "E54000068",
            "T6Y0W",
            "NHS N&S ICB",
            "E40000007",
            "Y61",
            "East of England",
            "EMIS",
        ]
        for code, pcn in (("Z90001", "UZ0001"), ("Z90002", "U"))
    ]


def test_practice_map_good(tmp_path: Path) -> None:
    extract = read_practice_map(
        write(tmp_path, "m.csv", csv_text(MAP_HEADER, map_rows()), crlf=True)
    )
    frame = extract.frame
    assert list(frame.columns) == [
        "practice_code",
        "practice_name",
        "postcode",
        "pcn_code",
        "pcn_name",
        "sub_icb_ons_code",
        "sub_icb_code",
        "sub_icb_name",
        "icb_ons_code",
        "icb_code",
        "icb_name",
        "region_code",
        "extract_date",
    ]
    assert frame["extract_date"].iloc[0] == pd.Timestamp("2026-08-01")
    assert extract.provenance[0].extract_date == "2026-08-01"


@pytest.mark.parametrize(
    ("cell", "value", "row", "column", "message"),
    [
        ((1, 2), "Z9001", 3, "PRACTICE_CODE", "ill-formed GP practice"),
        ((1, 2), "Z90001", 3, "PRACTICE_CODE", "duplicate"),
        ((0, 5), "UZ01", 2, "PCN_CODE", "ill-formed PCN"),
        ((1, 1), "31Feb2026", 3, "EXTRACT_DATE", "not a date"),
        ((1, 1), "01Sep2026", 3, "EXTRACT_DATE", "more than one value"),
    ],
)
def test_practice_map_bad(
    tmp_path: Path, cell: tuple[int, int], value: str, row: int, column: str, message: str
) -> None:
    rows = map_rows()
    rows[cell[0]][cell[1]] = value
    path = write(tmp_path, "m.csv", csv_text(MAP_HEADER, rows))
    with pytest.raises(InputError) as error:
        read_practice_map(path)
    assert_error(error, path, row=row, column=column, message=message)


def test_practice_map_missing_column(tmp_path: Path) -> None:
    header = [c for c in MAP_HEADER if c != "ICB_CODE"]
    rows = [[v for c, v in zip(MAP_HEADER, r, strict=True) if c != "ICB_CODE"] for r in map_rows()]
    path = write(tmp_path, "m.csv", csv_text(header, rows))
    with pytest.raises(InputError) as error:
        read_practice_map(path)
    assert_error(error, path, row=None, column="ICB_CODE", message="missing")
    assert "PRACTICE_CODE" in str(error.value)  # expected columns listed


@pytest.mark.parametrize("name", ["gp-reg-pat-prac-map.csv", "gp-reg-pat-prac-map.zip"])
def test_real_practice_map_2026(name: str) -> None:
    extract = read_practice_map(real_file(f"nhsd_gp_reg_2026/{name}"))
    frame = extract.frame
    assert len(frame) == 6129
    icb = frame[frame["icb_code"] == "T6Y0W"]
    assert len(icb) == 161
    assert set(icb["sub_icb_code"]) == {"26A", "06L", "07K"}
    assert icb["icb_ons_code"].eq("E54000068").all()
    assert extract.provenance[0].extract_date == "2026-08-01"
    assert extract.provenance[0].path.endswith(name)


AGE_HEADER = [
    "PUBLICATION",
    "EXTRACT_DATE",
    "TYPE",
    "SUB_ICB_LOCATION_CODE",
    "ONS_SUB_ICB_LOCATION_CODE",
    "CODE",
    "POSTCODE",
    "SEX",
    "AGE",
    "NUMBER_OF_PATIENTS",
]


def age_rows(sex: str, practices: tuple[str, ...] = ("Z90001", "Z90002")) -> list[list[object]]:
    rows: list[list[object]] = []
    for p, practice in enumerate(practices):
        counts = [(a + p) % 9 for a in range(96)]
        prefix = [
            "GP_PRAC_PAT_LIST",
            "01Aug2026",
            "GP",
            "26A",
            "E38000239",
            practice,
            "NR1 1AA",
            sex,
        ]
        rows.append([*prefix, "ALL", sum(counts)])
        rows += [[*prefix, str(a) if a < 95 else "95+", c] for a, c in enumerate(counts)]
    return rows


def test_registered_by_age_two_files(tmp_path: Path) -> None:
    female = write(tmp_path, "f.csv", csv_text(AGE_HEADER, age_rows("FEMALE")))
    male = write(tmp_path, "m.csv", csv_text(AGE_HEADER, age_rows("MALE")))
    extract = read_registered_by_age([female, male])
    frame = extract.frame
    assert list(frame.columns) == ["org_type", "org_code", "sex", "age", "patients", "extract_date"]
    assert len(frame) == 2 * 2 * 96
    assert set(frame["org_type"]) == {"practice"}
    assert frame["age"].max() == 95 and frame["age"].notna().all()
    assert len(extract.provenance) == 2
    assert extract.provenance[0].format == "nhsd_gp_reg_sing_age_practice_csv"


def test_registered_by_age_same_file_twice_is_a_duplicate(tmp_path: Path) -> None:
    female = write(tmp_path, "f.csv", csv_text(AGE_HEADER, age_rows("FEMALE")))
    with pytest.raises(InputError) as error:
        read_registered_by_age([female, female])
    assert_error(error, female, row=3, column="SEX", message="more than one")


@pytest.mark.parametrize(
    ("row_index", "column_index", "value", "column", "message"),
    [
        (0, 9, "1", "NUMBER_OF_PATIENTS", "ALL-ages row does not equal"),
        (5, 9, "-2", "NUMBER_OF_PATIENTS", "negative"),
        (5, 9, "12a", "NUMBER_OF_PATIENTS", "not a number"),
        (5, 9, "", "NUMBER_OF_PATIENTS", "blank"),
        (100, 5, "Z9002", "CODE", "ill-formed"),
        (6, 8, "4", "AGE", "duplicate"),
        (6, 8, "96", "AGE", "unknown age"),
        (6, 7, "F", "SEX", "unknown sex"),
    ],
)
def test_registered_by_age_bad(
    tmp_path: Path, row_index: int, column_index: int, value: str, column: str, message: str
) -> None:
    rows = age_rows("FEMALE")
    rows[row_index][column_index] = value
    path = write(tmp_path, "f.csv", csv_text(AGE_HEADER, rows))
    with pytest.raises(InputError) as error:
        read_registered_by_age(path)
    assert_error(error, path, row=row_index + 2, column=column, message=message)


def test_registered_by_age_sex_total_checked(tmp_path: Path) -> None:
    header = [
        "PUBLICATION",
        "EXTRACT_DATE",
        "ORG_TYPE",
        "ORG_CODE",
        "ONS_CODE",
        "SEX",
        "AGE",
        "NUMBER_OF_PATIENTS",
    ]
    rows = [
        ["P", "2026-08-01", "ICB", "T6Y0W", "E54000068", "ALL", "ALL", 31],
        ["P", "2026-08-01", "ICB", "T6Y0W", "E54000068", "FEMALE", "ALL", 10],
        ["P", "2026-08-01", "ICB", "T6Y0W", "E54000068", "MALE", "ALL", 20],
    ]
    path = write(tmp_path, "r.csv", csv_text(header, rows))
    with pytest.raises(InputError) as error:
        read_registered_by_age(path)
    assert_error(error, path, row=2, column="NUMBER_OF_PATIENTS", message="SEX=ALL")
    rows[0][7] = 30
    frame = read_registered_by_age(write(tmp_path, "r2.csv", csv_text(header, rows))).frame
    # the female and male totals are the finest detail: kept with age NA; persons dropped
    assert frame["sex"].tolist() == ["female", "male"]
    assert frame["age"].isna().all()


def test_real_regions_filtered() -> None:
    extract = read_registered_by_age(
        real_file("nhsd_gp_reg_2026/gp-reg-pat-prac-sing-age-regions.filtered.csv")
    )
    frame = extract.frame
    assert extract.provenance[0].extract_date == "2026-08-01"
    assert extract.provenance[0].rows == 15795
    assert set(frame["org_type"]) == {"region", "icb", "sub_icb", "pcn"}
    sub_icbs = frame[frame["org_type"] == "sub_icb"]
    assert set(sub_icbs["org_code"]) == {"26A", "06L", "07K"}
    assert frame["age"].notna().all() and frame["age"].max() == 95
    # the London commissioning region (Y56) adds up to its published ALL row
    assert frame.loc[frame["org_code"] == "Y56", "patients"].sum() == 10923536


def test_real_old_ccg_practice_totals() -> None:
    extract = read_registered_by_age(real_file("nhsd_gp_reg/gp-reg-pat-prac-all.csv"))
    frame = extract.frame
    assert len(frame) == 6658
    assert extract.provenance[0].format == "nhsd_gp_reg_sing_age_ccg_csv"
    assert extract.provenance[0].extract_date == "2021-01-01"
    assert (frame["sex"] == "persons").all() and frame["age"].isna().all()
    assert frame.loc[frame["org_code"] == "A84002", "patients"].item() == 5903


LSOA_HEADER = [
    "PUBLICATION",
    "EXTRACT_DATE",
    "PRACTICE_CODE",
    "PRACTICE_NAME",
    "LSOA_CODE",
    "SEX",
    "NUMBER_OF_PATIENTS",
]


def lsoa_rows() -> list[list[object]]:
    return [
        ["P", "01Aug2026", "Z90001", "DEMO", code, "ALL", n]
        for code, n in (("X01000001", 1200), ("X01000002", 300), ("NO2021", 4))
    ]


def test_registered_by_small_area_keeps_and_reports_unknown(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(tmp_path, "l.csv", csv_text(LSOA_HEADER, lsoa_rows()))
    with caplog.at_level(logging.WARNING):
        frame = read_registered_by_small_area(path).frame
    assert list(frame.columns) == ["practice_code", "lsoa_code", "patients"]
    assert frame["patients"].sum() == 1504
    assert "4 patients" in caplog.text and "NO2021" in caplog.text


@pytest.mark.parametrize(
    ("cell", "value", "column", "message"),
    [
        ((1, 4), "X0100002", "LSOA_CODE", "ill-formed"),
        ((1, 6), "-1", "NUMBER_OF_PATIENTS", "negative"),
        ((1, 4), "X01000001", "LSOA_CODE", "duplicate"),
        ((1, 5), "FEMALE", "SEX", "unknown sex"),
    ],
)
def test_registered_by_small_area_bad(
    tmp_path: Path, cell: tuple[int, int], value: str, column: str, message: str
) -> None:
    rows = lsoa_rows()
    rows[cell[0]][cell[1]] = value
    path = write(tmp_path, "l.csv", csv_text(LSOA_HEADER, rows))
    with pytest.raises(InputError) as error:
        read_registered_by_small_area(path)
    assert_error(error, path, row=cell[0] + 2, column=column, message=message)
