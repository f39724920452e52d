"""read_screening_coverage: cancer screening coverage by practice and programme."""

from __future__ import annotations

from pathlib import Path

import pytest
from sources_helpers import assert_error, csv_text, write

from ina.errors import InputError
from ina.sources import READERS, read_screening_coverage

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO = REPO_ROOT / "data_raw" / "screening" / "cancer_screening_coverage_practice_2025-03.csv"
HEADER = ["PRACTICE_CODE", "PROGRAMME", "PERIOD_END", "ELIGIBLE", "SCREENED"]


def rows() -> list[list[object]]:
    return [
        ["Z90001", "BOWEL_60_74_30M", "2025-03-31", 1465, 985],
        ["Z90001", "CERVICAL_25_49_42M", "31Mar2025", 1200, 800],
        ["A81001", "BREAST_50_70_36M", "31/03/2025", 0, 0],
    ]


def test_tidy_frame(tmp_path: Path) -> None:
    assert READERS["screening"] is read_screening_coverage
    frame = read_screening_coverage(
        write(tmp_path, "s.csv", csv_text(HEADER, rows()), crlf=True)
    ).frame
    assert list(frame.columns) == [
        "practice_code",
        "programme",
        "period_end",
        "eligible",
        "screened",
    ]
    assert frame["period_end"].dt.strftime("%Y-%m-%d").unique().tolist() == ["2025-03-31"]
    assert frame["screened"].tolist() == [985, 800, 0]


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (0, "PRACTICE_CODE", "Z9X001", "ill-formed GP practice code"),
        (1, "PROGRAMME", "BOWEL", "unknown screening programme"),
        (1, "PERIOD_END", "2025-13-01", "not a date"),
        (1, "PERIOD_END", "2999-03-31", "date in the future"),
        (0, "ELIGIBLE", "", "blank count"),
        (0, "SCREENED", "1466", "more screened than eligible"),
        (2, "ELIGIBLE", "5000000", "count too large"),
    ],
)
def test_bad_cell(tmp_path: Path, row: int, column: str, value: str, message: str) -> None:
    table = rows()
    table[row][HEADER.index(column)] = value
    path = write(tmp_path, "s.csv", csv_text(HEADER, table))
    with pytest.raises(InputError) as error:
        read_screening_coverage(path)
    assert_error(error, path, row=row + 2, column=column, message=message)


def test_duplicate_rows(tmp_path: Path) -> None:
    table = [*rows(), ["Z90001", "bowel_60_74_30m", "2025-03-31", 10, 5]]
    path = write(tmp_path, "s.csv", csv_text(HEADER, table))
    with pytest.raises(InputError) as error:
        read_screening_coverage(path)
    assert_error(error, path, row=5, column="PROGRAMME", message="duplicate")


def test_demo_file_magnitudes() -> None:
    if not DEMO.is_file():
        pytest.skip("data_raw/ not present in this checkout")
    frame = read_screening_coverage(DEMO).frame
    sums = frame.groupby("programme")[["screened", "eligible"]].sum()
    coverage = (sums["screened"] / sums["eligible"]).to_dict()
    expected = {"BOWEL_60_74_30M": 0.70, "BREAST_50_70_36M": 0.70,
                "CERVICAL_25_49_42M": 0.67, "CERVICAL_50_64_66M": 0.75}  # fmt: skip
    assert set(coverage) == set(expected)
    for programme, value in expected.items():
        assert coverage[programme] == pytest.approx(value, abs=0.02), programme
