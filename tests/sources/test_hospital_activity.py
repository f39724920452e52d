"""read_hospital_activity: the SUS/HES-style A&E and emergency admissions aggregate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from ina.errors import InputError
from ina.sources import READERS, load_source, read_hospital_activity

HEADER = ["FYEAR", "LSOA21", "AGE_BAND", "SEX", "POD", "ACTIVITY"]
BANDS = [f"{start}-{start + 4}" for start in range(0, 90, 5)] + ["90+"]


def rows() -> list[list[object]]:
    return [
        ["202223", "X01000001", "0-4", 1, "AE", 15],
        ["202223", "X01000001", "0-4", 2, "NEL", 3],
        ["202324", "X01000001", "90+", 2, "AE", 0],
        ["202324", "E01026500", "85-89", 1, "NEL", 12],
    ]


def write_csv(
    folder: Path,
    table: list[list[object]],
    *,
    header: list[str] = HEADER,
    bom: bool = False,
    crlf: bool = False,
    name: str = "activity.csv",
) -> Path:
    text = "\n".join(",".join(map(str, line)) for line in [header, *table]) + "\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    path = folder / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def raised(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_hospital_activity(path)
    error = caught.value
    assert str(path) in str(error)
    return error


def test_tidy_frame(tmp_path: Path) -> None:
    extract = read_hospital_activity(write_csv(tmp_path, rows()))
    frame = extract.frame
    assert list(frame.columns) == ["year", "lsoa_code", "age_band", "sex", "activity", "count"]
    assert frame["year"].tolist() == [2022, 2022, 2023, 2023]
    assert frame["year"].dtype == "int64" and frame["count"].dtype == "int64"
    assert frame["lsoa_code"].tolist() == ["X01000001", "X01000001", "X01000001", "E01026500"]
    assert frame["age_band"].astype(str).tolist() == ["0-4", "0-4", "90+", "85-89"]
    assert list(frame["age_band"].cat.categories) == BANDS
    assert frame["age_band"].cat.ordered
    assert frame["sex"].astype(str).tolist() == ["male", "female", "female", "male"]
    assert frame["activity"].tolist() == [
        "ae_attendances",
        "emergency_admissions",
        "ae_attendances",
        "emergency_admissions",
    ]
    assert frame["count"].tolist() == [15, 3, 0, 12]
    (provenance,) = extract.provenance
    assert provenance.name == "hospital_activity"
    assert provenance.rows == 4
    assert provenance.extract_date is None
    assert provenance.format == "sus_hes_activity_aggregate_csv"


def test_bom_crlf_and_name(tmp_path: Path) -> None:
    path = write_csv(tmp_path, rows(), bom=True, crlf=True)
    extract = read_hospital_activity(path, name="sus")
    assert extract.name == "sus" and extract.provenance[0].name == "sus"
    assert extract.frame["count"].sum() == 30


def test_sorts_and_groups_like_the_population_chapter(tmp_path: Path) -> None:
    """Ordered bands sort by age, not as text ("5-9" before "10-14")."""
    table = [["202324", "X01000001", band, 1, "AE", 1] for band in ("10-14", "5-9", "90+")]
    frame = read_hospital_activity(write_csv(tmp_path, table)).frame
    assert frame.sort_values("age_band")["age_band"].astype(str).tolist() == [
        "5-9",
        "10-14",
        "90+",
    ]


def test_header_only_file_is_an_input_error(tmp_path: Path) -> None:
    """An extract with no data rows would publish zero activity: stop in validate (issue 6)."""
    path = write_csv(tmp_path, [])
    with pytest.raises(InputError, match="has a header but no data rows") as error:
        read_hospital_activity(path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize(
    ("cell", "value", "column", "message"),
    [
        ((1, 0), "2023", "FYEAR", "ill-formed financial year"),
        ((1, 0), "2023/24", "FYEAR", "ill-formed financial year"),
        ((2, 0), "202325", "FYEAR", "not consecutive"),
        ((1, 1), "E0102650", "LSOA21", "ill-formed LSOA"),
        ((1, 1), "", "LSOA21", "blank"),
        ((1, 2), "90-94", "AGE_BAND", "unknown age band"),
        ((3, 2), "85+", "AGE_BAND", "unknown age band"),
        ((2, 3), "0", "SEX", "unknown sex"),
        ((0, 3), "M", "SEX", "unknown sex"),
        ((1, 4), "EL", "POD", "unknown point of delivery"),
        ((3, 5), "-1", "ACTIVITY", "negative"),
        ((1, 5), "2.5", "ACTIVITY", "not a whole number"),
        ((1, 5), "", "ACTIVITY", "blank"),
        ((1, 5), "*", "ACTIVITY", "not a number"),
    ],
)
def test_bad_cells_name_file_line_and_column(
    tmp_path: Path, cell: tuple[int, int], value: str, column: str, message: str
) -> None:
    table = rows()
    table[cell[0]][cell[1]] = value
    error = raised(write_csv(tmp_path, table))
    assert error.row == cell[0] + 2  # the header is line 1
    assert error.column == column
    assert re.search(message, str(error), re.IGNORECASE), str(error)
    assert error.expected


def test_line_numbers_count_a_bom_and_crlf(tmp_path: Path) -> None:
    table = rows()
    table[3][3] = "9"
    error = raised(write_csv(tmp_path, table, bom=True, crlf=True))
    assert (error.row, error.column) == (5, "SEX")


def test_consecutive_year_message_shows_the_expected_code(tmp_path: Path) -> None:
    table = rows()
    table[0][0] = "202223"
    table[1][0] = "201924"
    error = raised(write_csv(tmp_path, table))
    assert error.row == 3 and "201920" in str(error)


def test_duplicate_keys_name_both_rows(tmp_path: Path) -> None:
    table = [*rows(), ["202223", "X01000001", "0-4", "1", "ae", 2]]  # POD case differs
    error = raised(write_csv(tmp_path, table))
    assert error.row == 6
    assert "duplicate" in str(error) and "first seen at row 2" in str(error)


def test_same_cell_for_the_other_point_of_delivery_is_not_a_duplicate(tmp_path: Path) -> None:
    table = [*rows(), ["202223", "X01000001", "0-4", 1, "NEL", 2]]
    assert len(read_hospital_activity(write_csv(tmp_path, table)).frame) == 5


def test_missing_column_lists_the_header(tmp_path: Path) -> None:
    header = ["FYEAR", "LSOA21", "AGE_BAND", "SEX", "ACTIVITY"]
    table = [[r[0], r[1], r[2], r[3], r[5]] for r in rows()]
    error = raised(write_csv(tmp_path, table, header=header))
    assert error.column == "POD"
    assert "FYEAR, LSOA21, AGE_BAND, SEX, POD, ACTIVITY" in str(error)


def test_not_this_format(tmp_path: Path) -> None:
    path = write_csv(tmp_path, [["2024-01-05", "2024-01-02"]], header=["DOR", "DOD"])
    error = raised(path)
    assert "no header row" in str(error)


def test_missing_file(tmp_path: Path) -> None:
    error = raised(tmp_path / "absent.csv")
    assert "not found" in str(error)


@dataclass
class OneSource:
    root: Path
    path: Path

    def source_names(self) -> list[str]:
        return ["hospital_activity"]

    def source_path(self, name: str) -> Path:
        return self.path


def test_dispatched_from_ina_yml_key(tmp_path: Path) -> None:
    assert READERS["hospital_activity"] is read_hospital_activity
    folder = tmp_path / "data_raw" / "hospital_activity"
    folder.mkdir(parents=True)
    path = write_csv(folder, rows())
    extract = load_source(OneSource(tmp_path, path), "hospital_activity", use_cache=False)
    assert extract.provenance[0].path == "data_raw/hospital_activity/activity.csv"
    pd.testing.assert_frame_equal(extract.frame, read_hospital_activity(path).frame)
