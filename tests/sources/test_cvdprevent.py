"""read_cvdprevent: the CVDPREVENT audit data download at practice level."""

from __future__ import annotations

from pathlib import Path

import pytest
from sources_helpers import assert_error, csv_text, write

from ina.errors import InputError
from ina.sources import READERS, read_cvdprevent

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO = REPO_ROOT / "data_raw" / "cvdprevent" / "CVDPREVENT_practice_2024-25.csv"
HEADER = [
    "IndicatorCode", "IndicatorShortName", "TimePeriod", "AreaCode", "AreaName", "AreaType",
    "Numerator", "Denominator", "Value",
]  # fmt: skip


def rows() -> list[list[object]]:
    return [
        ["CVDP007HYP", "Hypertension: treated to target", "To March 2025", "Z90001", "A",
         "Practice", 650, 1000, "65.0"],
        ["CVDP005CKD_ACR", "CKD: ACR", "To March 2025", "A81001", "B", "Practice", 45, 100, "45"],
        ["CVDP010CKD_UNCODED", "Uncoded CKD", "To December 2024", "Z90001", "A", "Practice",
         0, 0, ""],
    ]  # fmt: skip


def test_tidy_frame(tmp_path: Path) -> None:
    assert READERS["cvdprevent"] is read_cvdprevent
    extract = read_cvdprevent(write(tmp_path, "c.csv", csv_text(HEADER, rows()), bom=True))
    frame = extract.frame
    assert list(frame.columns) == [
        "practice_code", "indicator_code", "period", "numerator", "denominator",
    ]  # fmt: skip
    assert frame["indicator_code"].tolist() == [
        "CVDP007HYP",
        "CVDP005CKD_ACR",
        "CVDP010CKD_UNCODED",
    ]
    assert frame["period"].tolist() == ["To March 2025", "To March 2025", "To December 2024"]
    assert frame["numerator"].tolist() == [650, 45, 0]
    assert frame["denominator"].dtype == "int64"
    assert extract.provenance[0].format == "cvdprevent_download_csv"


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (0, "IndicatorCode", "HYP007", "ill-formed CVDPREVENT code"),
        (0, "TimePeriod", "2024-25", "ill-formed CVDPREVENT period"),
        (0, "TimePeriod", "To March 2099", "has not ended yet"),
        (1, "AreaType", "PCN", "unknown area type"),
        (1, "AreaCode", "U1234", "ill-formed GP practice code"),
        (1, "Numerator", "-3", "negative count"),
        (1, "Denominator", "1.5", "not a whole number"),
        (1, "Numerator", "101", "numerator above its denominator"),
        (0, "Value", "56.5", "Value does not match"),
        (2, "Value", "0", "Value does not match"),
        (0, "Value", "165", "above 100"),
    ],
)
def test_bad_cell(tmp_path: Path, row: int, column: str, value: str, message: str) -> None:
    table = rows()
    table[row][HEADER.index(column)] = value
    path = write(tmp_path, "c.csv", csv_text(HEADER, table))
    with pytest.raises(InputError) as error:
        read_cvdprevent(path)
    assert_error(error, path, row=row + 2, column=column, message=message)


def test_duplicate_indicator_period_practice(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", csv_text(HEADER, [*rows(), rows()[0]]))
    with pytest.raises(InputError) as error:
        read_cvdprevent(path)
    assert_error(error, path, row=5, column="IndicatorCode", message="first seen at row 2")


def test_demo_file_magnitudes() -> None:
    if not DEMO.is_file():
        pytest.skip("data_raw/ not present in this checkout")
    frame = read_cvdprevent(DEMO).frame
    sums = frame.groupby("indicator_code")[["numerator", "denominator"]].sum()
    rate = (sums["numerator"] / sums["denominator"]).to_dict()
    expected = {"CVDP007HYP": 0.65, "CVDP009CHOL": 0.55, "CVDP002AF": 0.90,
                "CVDP005CKD_ACR": 0.45, "CVDP006CKD_EGFR": 0.90, "CVDP010CKD_UNCODED": 0.005,
                "CVDP011CKD_PROGRESSION": 0.015}  # fmt: skip
    assert set(rate) == set(expected)
    for code, value in expected.items():
        assert rate[code] == pytest.approx(value, rel=0.08), code
    assert frame.groupby("indicator_code").size().eq(160).all()
