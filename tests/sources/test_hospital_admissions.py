"""read_hospital_admissions: the HES/SUS APC aggregate by diagnosis, cause and method."""

from __future__ import annotations

from pathlib import Path

import pytest
from sources_helpers import assert_error, csv_text, write

from ina.errors import InputError
from ina.sources import READERS, read_hospital_admissions

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data_raw/hospital_admissions/apc_admissions_2020_2024.csv"
HEADER = [
    "FYEAR", "LSOA21", "AGE_BAND", "SEX", "ADMIMETH", "DIAG_3_01", "DIAG_4_01", "CAUSE_3",
    "ADMISSIONS",
]  # fmt: skip


def rows() -> list[list[object]]:
    return [
        ["202324", "X01000001", "85-89", 2, "21", "S72", "S720", "W19", 2],
        ["202324", "X01000001", "15-19", 2, "2A", "T39", "T391", "X60", 1],
        ["202425", "E01026500", "60-64", 1, "11", "K70", "K703", "", 1],
        ["202021", "X01000002", "25-29", 2, "31", "O21", "O210", "", 3],
        ["202122", "X01000002", "90+", 1, "81", "I64", "I64X", "", 0],
    ]


def test_tidy_columns_and_codes(tmp_path: Path) -> None:
    extract = read_hospital_admissions(write(tmp_path, "a.csv", csv_text(HEADER, rows())))
    frame = extract.frame
    assert list(frame.columns) == [
        "year", "lsoa_code", "age_band", "sex", "admission_method", "admission_type",
        "diagnosis", "diagnosis_3", "external_cause", "admissions",
    ]  # fmt: skip
    assert frame["year"].tolist() == [2023, 2023, 2024, 2020, 2021]
    assert frame["sex"].astype(str).tolist() == ["female", "female", "male", "female", "male"]
    assert frame["admission_method"].tolist() == ["21", "2A", "11", "31", "81"]
    assert frame["admission_type"].tolist() == [
        "emergency", "emergency", "elective", "maternity", "other",
    ]  # fmt: skip
    assert frame["diagnosis"].tolist() == ["S720", "T391", "K703", "O210", "I64X"]
    assert frame["diagnosis_3"].tolist() == ["S72", "T39", "K70", "O21", "I64"]
    assert frame["external_cause"].tolist()[:2] == ["W19", "X60"]
    assert frame["external_cause"].isna().tolist() == [False, False, True, True, True]
    assert frame["admissions"].tolist() == [2, 1, 1, 3, 0]
    assert extract.provenance[0].format == "hes_apc_diagnosis_aggregate_csv"
    assert READERS["hospital_admissions"] is read_hospital_admissions


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (0, "FYEAR", "202325", "not consecutive"),
        (0, "LSOA21", "E0102650", "ill-formed LSOA"),
        (1, "AGE_BAND", "15-20", "unknown age band"),
        (1, "SEX", "0", "unknown sex"),
        (1, "ADMIMETH", "28", "unknown admission method"),
        (2, "DIAG_3_01", "K7", "ill-formed 3-character ICD-10"),
        (2, "DIAG_4_01", "K70.3", "ill-formed 4-character ICD-10"),
        (2, "DIAG_4_01", "K713", "does not extend the 3-character"),
        (0, "CAUSE_3", "W1", "ill-formed external cause"),
        (0, "CAUSE_3", "Y99", "ill-formed external cause"),
        (3, "ADMISSIONS", "-1", "negative count"),
        (3, "ADMISSIONS", "2.5", "not a whole number"),
        (3, "ADMISSIONS", "1000000000", "count too large"),
    ],
)
def test_each_bad_cell_is_one_line(
    tmp_path: Path, row: int, column: str, value: str, message: str
) -> None:
    table = rows()
    table[row][HEADER.index(column)] = value
    path = write(tmp_path, "a.csv", csv_text(HEADER, table))
    with pytest.raises(InputError) as error:
        read_hospital_admissions(path)
    assert_error(error, path, row=row + 2, column=column, message=message)
    assert "\n" not in str(error.value)


def test_duplicate_key_and_missing_column(tmp_path: Path) -> None:
    table = rows()
    table.append(list(table[0]))
    path = write(tmp_path, "a.csv", csv_text(HEADER, table))
    with pytest.raises(InputError) as error:
        read_hospital_admissions(path)
    assert "duplicate" in str(error.value) and "first seen at row 2" in str(error.value)
    path = write(tmp_path, "b.csv", csv_text(HEADER[:-2], [r[:-2] for r in rows()]))
    with pytest.raises(InputError) as error:
        read_hospital_admissions(path)
    assert_error(error, path, row=None, column="CAUSE_3", message="missing")


@pytest.fixture(scope="module")
def demo():
    return read_hospital_admissions(DEMO).frame


def test_demo_file_magnitudes(demo) -> None:
    from ina.demo import DEFAULT_SEED, build_world

    residents = build_world(DEFAULT_SEED).population.sum()
    year = demo[demo["year"] == 2023]
    emergency = year[year["admission_type"] == "emergency"]
    per_person = emergency["admissions"].sum() / residents
    assert 0.09 < per_person < 0.11  # N&W: 109,150 for 1.1 million
    self_harm = emergency[
        emergency["external_cause"].str.match(r"X(6\d|7\d|8[0-4])", na=False)
        & emergency["diagnosis"].str.match("[ST]")
    ]
    assert 150 < self_harm["admissions"].sum() / residents * 1e5 < 240
    assert set(demo["admission_type"]) == {"emergency", "elective"}
    elective = demo[demo["admission_type"] == "elective"]
    assert elective["diagnosis_3"].isin(["F10", "K70", "K86", "I42", "K29", "G31"]).all()
    assert sorted(demo["year"].unique()) == [2020, 2021, 2022, 2023, 2024]
    # rare codes occur with small counts (suppression at place level)
    assert 0 < demo.loc[demo["diagnosis"] == "Q860", "admissions"].sum() < 40
