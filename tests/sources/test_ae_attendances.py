"""read_ae_attendances: the ECDS aggregate of A&E attendances by reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from sources_helpers import assert_error, csv_text, write

from ina.errors import InputError
from ina.sources import READERS, read_ae_attendances

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data_raw/ae_attendances/ecds_attendances_2020_2024.csv"
HEADER = ["FYEAR", "LSOA21", "AGE_BAND", "SEX", "ATTENDANCE_REASON", "ATTENDANCES"]


def rows() -> list[list[object]]:
    return [
        ["202324", "X01000001", "0-4", 1, "ILLNESS", 40],
        ["202324", "X01000001", "85-89", 2, "FALL", 9],
        ["202425", "X01000002", "15-19", 2, "self_harm", 2],
        ["202021", "X01000002", "30-34", 1, "ALCOHOL_DRUG", 1],
    ]


def test_tidy_columns_and_reasons(tmp_path: Path) -> None:
    frame = read_ae_attendances(write(tmp_path, "e.csv", csv_text(HEADER, rows()))).frame
    assert list(frame.columns) == [
        "year", "lsoa_code", "age_band", "sex", "reason", "attendances",
    ]  # fmt: skip
    assert frame["reason"].tolist() == ["illness", "fall", "self_harm", "alcohol_drug"]
    assert frame["year"].tolist() == [2023, 2023, 2024, 2020]
    assert frame["attendances"].tolist() == [40, 9, 2, 1]
    assert READERS["ae_attendances"] is read_ae_attendances


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (0, "FYEAR", "2023", "ill-formed financial year"),
        (0, "ATTENDANCE_REASON", "INJURY", "unknown attendance reason"),
        (1, "AGE_BAND", "85+", "unknown age band"),
        (2, "ATTENDANCES", "x", "not a number"),
        (3, "ATTENDANCES", "-3", "negative count"),
    ],
)
def test_each_bad_cell_is_one_line(
    tmp_path: Path, row: int, column: str, value: str, message: str
) -> None:
    table = rows()
    table[row][HEADER.index(column)] = value
    path = write(tmp_path, "e.csv", csv_text(HEADER, table))
    with pytest.raises(InputError) as error:
        read_ae_attendances(path)
    assert_error(error, path, row=row + 2, column=column, message=message)


def test_duplicate_key(tmp_path: Path) -> None:
    table = [*rows(), ["202324", "X01000001", "0-4", 1, "illness", 3]]
    path = write(tmp_path, "e.csv", csv_text(HEADER, table))
    with pytest.raises(InputError) as error:
        read_ae_attendances(path)
    assert_error(error, path, row=6, column=None, message="duplicate")


def test_demo_file_magnitudes() -> None:
    from ina.demo import DEFAULT_SEED, build_world

    frame = read_ae_attendances(DEMO).frame
    residents = build_world(DEFAULT_SEED).population.sum()
    year = frame[frame["year"] == 2023]
    assert 0.24 < year["attendances"].sum() / residents < 0.30  # N&W: 294,000 / 1.1 million
    by_band = year.groupby("age_band", observed=True)["attendances"].sum()
    assert by_band["0-4"] > by_band["10-14"]  # the under-5s attend most among children
    falls = year[year["reason"] == "fall"].groupby("age_band", observed=True)["attendances"]
    assert falls.sum()["90+"] / by_band["90+"] > 0.2
    assert set(frame["reason"]) == {
        "fall", "self_harm", "mental_health", "alcohol_drug", "other_injury", "illness",
    }  # fmt: skip
