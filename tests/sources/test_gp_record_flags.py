"""read_gp_record_flags: the GPES-style GP-record search counts by practice."""

from __future__ import annotations

from pathlib import Path

import pytest
from sources_helpers import assert_error, csv_text, write

from ina.errors import InputError
from ina.sources import READERS, read_gp_record_flags
from ina.sources.gp_record_flags import MEASURES

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO = REPO_ROOT / "data_raw" / "gp_records" / "gp_record_flags_2025-03.csv"
HEADER = ["EXTRACT_DATE", "PRACTICE_CODE", "MEASURE", "VALUE"]


def rows() -> list[list[object]]:
    return [
        ["2025-03-31", "Z90001", "LD_REGISTER_14PLUS", 31],
        ["2025-03-31", "Z90001", "LD_AHC_COMPLETED", 19],
        ["2025-03-31", "Z90001", "LD_AHC_WITH_HAP", 17],
        ["2025-03-31", "Z90001", "HYP_EXPECTED", "1234.5"],
        ["2025-03-31", "A81001", "CARERS_FLAGGED", 120],
    ]


def test_tidy_frame(tmp_path: Path) -> None:
    assert READERS["gp_record_flags"] is read_gp_record_flags
    extract = read_gp_record_flags(write(tmp_path, "g.csv", csv_text(HEADER, rows())))
    frame = extract.frame
    assert list(frame.columns) == ["extract_date", "practice_code", "measure", "value"]
    assert frame["value"].tolist() == [31.0, 19.0, 17.0, 1234.5, 120.0]
    assert str(frame["extract_date"].dtype) == "datetime64[ns]"
    assert extract.provenance[0].extract_date == "2025-03-31"


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (0, "EXTRACT_DATE", "31-03-2025", "not a date"),
        (0, "PRACTICE_CODE", "z90001", "ill-formed GP practice code"),
        (4, "MEASURE", "CARERS", "unknown measure"),
        (1, "VALUE", "19.5", "not a whole number"),
        (1, "VALUE", "-1", "below 0"),
        (1, "VALUE", "32", "LD_AHC_COMPLETED above LD_REGISTER_14PLUS"),
        (2, "VALUE", "20", "LD_AHC_WITH_HAP above LD_AHC_COMPLETED"),
        (4, "VALUE", "", "blank cell"),
    ],
)
def test_bad_cell(tmp_path: Path, row: int, column: str, value: str, message: str) -> None:
    table = rows()
    table[row][HEADER.index(column)] = value
    path = write(tmp_path, "g.csv", csv_text(HEADER, table))
    with pytest.raises(InputError) as error:
        read_gp_record_flags(path)
    assert_error(error, path, row=row + 2, column=column, message=message)


def test_the_same_subset_on_another_date_is_not_compared(tmp_path: Path) -> None:
    table = [*rows(), ["2024-03-31", "Z90001", "LD_AHC_COMPLETED", 40]]
    frame = read_gp_record_flags(write(tmp_path, "g.csv", csv_text(HEADER, table))).frame
    assert len(frame) == 6


def test_demo_file_magnitudes() -> None:
    if not DEMO.is_file():
        pytest.skip("data_raw/ not present in this checkout")
    frame = read_gp_record_flags(DEMO).frame
    assert set(frame["measure"]) == set(MEASURES)
    total = frame.groupby("measure")["value"].sum()

    def ratio(part: str, whole: str) -> float:
        return float(total[part] / total[whole])

    assert 0.70 < ratio("LD_AHC_COMPLETED", "LD_REGISTER_14PLUS") < 0.80
    assert 0.50 < ratio("SMI_PHC_ALL_SIX", "SMI_REGISTER") < 0.60
    assert 0.70 < ratio("EOL_CARE_PLAN", "EOL_IDENTIFIED") < 0.80
    assert 0.58 < ratio("DEM_REGISTER_65PLUS", "DEM_EXPECTED_65PLUS") < 0.72
    assert (
        0.58 < ratio("FRAILTY_65PLUS_MODERATE_SEVERE", "FRAILTY_65PLUS_SCORED") * 0.7 / 0.12 < 1.7
    )
