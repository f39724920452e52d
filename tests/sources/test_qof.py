"""QOF raw data readers: PREVALENCE (registers) and ACHIEVEMENT (numerators, denominators, PCAs)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sources_helpers import assert_error, csv_text, write

from ina.errors import InputError
from ina.sources import READERS, read_qof_achievement, read_qof_prevalence

REPO_ROOT = Path(__file__).resolve().parents[2]
PREVALENCE = REPO_ROOT / "data_raw" / "qof" / "PREVALENCE_2425.csv"
ACHIEVEMENT = REPO_ROOT / "data_raw" / "qof" / "ACHIEVEMENT_2425.csv"
ACH_HEADER = ["PRACTICE_CODE", "INDICATOR_CODE", "MEASURE", "VALUE"]
PREV_HEADER = ["PRACTICE_CODE", "GROUP_CODE", "REGISTER", "PATIENT_LIST_TYPE", "PRACTICE_LIST_SIZE"]


def demo(path: Path) -> Path:
    if not path.is_file():
        pytest.skip("data_raw/ not present in this checkout")
    return path


def achievement_rows() -> list[list[object]]:
    return [
        ["Z90001", "MH002", "ACHIEVED_POINTS", "4.5"],
        ["Z90001", "MH002", "DENOMINATOR", "40.0"],
        ["Z90001", "MH002", "NUMERATOR", "30.0"],
        ["Z90001", "MH002", "PCAS", "5.0"],
        ["Z90001", "AF001", "REGISTER", "120.0"],
        ["Z90001", "AF001", "ACHIEVED_POINTS", "5.0"],
        ["A81001", "HYP008", "DENOMINATOR", "500"],
        ["A81001", "HYP008", "NUMERATOR", "350"],
    ]


def test_registered_as_sources() -> None:
    assert READERS["qof_prevalence"] is read_qof_prevalence
    assert READERS["qof_achievement"] is read_qof_achievement


def test_achievement_tidy_frame(tmp_path: Path) -> None:
    extract = read_qof_achievement(
        write(tmp_path, "a.csv", csv_text(ACH_HEADER, achievement_rows()))
    )
    frame = extract.frame
    assert list(frame.columns) == [
        "practice_code", "indicator_code", "numerator", "denominator", "pcas",
        "denominator_plus_pcas", "achieved_points",
    ]  # fmt: skip
    # The register-only indicator (AF001) is left out; rows sorted by practice, indicator.
    assert frame[["practice_code", "indicator_code"]].values.tolist() == [
        ["A81001", "HYP008"],
        ["Z90001", "MH002"],
    ]
    mh = frame.iloc[1]
    assert (mh["numerator"], mh["denominator"], mh["pcas"], mh["denominator_plus_pcas"]) == (
        30,
        40,
        5,
        45,
    )
    assert mh["achieved_points"] == pytest.approx(4.5)
    hyp = frame.iloc[0]
    assert pd.isna(hyp["pcas"]) and pd.isna(hyp["denominator_plus_pcas"])
    assert np.isnan(hyp["achieved_points"])
    assert frame["numerator"].dtype == "int64"
    assert extract.provenance[0].rows == 8
    assert extract.provenance[0].format == "nhsd_qof_achievement_csv"


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (0, 0, "Z9001", "ill-formed GP practice code"),
        (1, 1, "MH-002", "ill-formed QOF indicator code"),
        (2, 2, "NUM", "unknown QOF measure"),
        (3, 3, "-1", "below 0"),
        (3, 3, "x", "not a number"),
        (3, 3, "", "blank cell"),
        (2, 3, "30.5", "not a whole number"),
        (0, 3, "700", "more points than the whole framework"),
        (2, 3, "41", "numerator above its denominator"),
        (7, 3, "501", "numerator above its denominator"),
        (3, 3, "2000000", "above 1e\\+06"),
    ],
)
def test_achievement_bad_cell(
    tmp_path: Path, row: int, column: int, value: str, message: str
) -> None:
    table = achievement_rows()
    table[row][column] = value
    path = write(tmp_path, "a.csv", csv_text(ACH_HEADER, table))
    with pytest.raises(InputError) as error:
        read_qof_achievement(path)
    assert_error(error, path, row=row + 2, column=ACH_HEADER[column], message=message)


def test_achievement_duplicate_and_unpaired(tmp_path: Path) -> None:
    path = write(
        tmp_path, "a.csv", csv_text(ACH_HEADER, [*achievement_rows(), achievement_rows()[2]])
    )
    with pytest.raises(InputError) as error:
        read_qof_achievement(path)
    assert_error(error, path, row=10, column="MEASURE", message="duplicate .*first seen at row 4")
    path = write(tmp_path, "b.csv", csv_text(ACH_HEADER, achievement_rows()[:-1]))
    with pytest.raises(InputError) as error:
        read_qof_achievement(path)
    assert_error(error, path, row=8, column="MEASURE", message="DENOMINATOR without a NUMERATOR")


def test_achievement_missing_column(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", csv_text(ACH_HEADER[:3], [r[:3] for r in achievement_rows()]))
    with pytest.raises(InputError, match="required column 'VALUE' is missing"):
        read_qof_achievement(path)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [(3, "ALL", "ill-formed QOF list type"), (2, "2000000", "count too large")],
)
def test_prevalence_new_checks(tmp_path: Path, column: int, value: str, message: str) -> None:
    table = [["Z90001", "AF", "112.0", "TOTAL", 3996], ["Z90001", "AST", "317.0", "06OV", 3766]]
    table[1][column] = value
    path = write(tmp_path, "p.csv", csv_text(PREV_HEADER, table))
    with pytest.raises(InputError) as error:
        read_qof_prevalence(path)
    assert_error(error, path, row=3, column=PREV_HEADER[column], message=message)


def test_demo_prevalence_magnitudes() -> None:
    frame = read_qof_prevalence(demo(PREVALENCE)).frame
    assert frame["practice_code"].nunique() == 160
    groups = frame.groupby("group_code")[["register", "list_size"]].sum()
    prevalence = groups["register"] / groups["list_size"]
    assert sorted(groups.index) == sorted(
        [
            "HYP",
            "DM",
            "CHD",
            "AF",
            "COPD",
            "AST",
            "DEM",
            "MH",
            "DEP",
            "LD",
            "CKD",
            "OB",
            "PC",
            "HF",
            "STIA",
            "CAN",
            "EP",
            "NDH",
        ]
    )
    # England QOF 2023-24 x an older demo population (Norfolk and Waveney is above England).
    england = {"HYP": 0.148, "DM": 0.077, "CHD": 0.030, "AF": 0.022, "COPD": 0.019,
               "AST": 0.065, "DEM": 0.0075, "MH": 0.010, "DEP": 0.13, "LD": 0.0055,
               "CKD": 0.043, "OB": 0.13, "PC": 0.005, "HF": 0.011, "STIA": 0.019,
               "CAN": 0.036, "EP": 0.008, "NDH": 0.07}  # fmt: skip
    for group, value in england.items():
        assert 0.85 * value < prevalence[group] < 1.7 * value, group
    list_types = frame.groupby("group_code")["list_type"].unique().map(list).to_dict()
    assert list_types["DM"] == ["17OV"] and list_types["AST"] == ["06OV"]
    assert list_types["CKD"] == ["18OV"] and list_types["HYP"] == ["TOTAL"]
    assert (frame["register"] <= frame["list_size"]).all()
    assert frame["register"].min() <= 7  # small practices: something for suppression


def test_demo_achievement_magnitudes() -> None:
    frame = read_qof_achievement(demo(ACHIEVEMENT)).frame
    assert sorted(frame["indicator_code"].unique()) == sorted(
        ["MH002", "COPD010", "HYP008", "HYP009", "AF008", "DEM004", "SMOK002", "DM012"]
    )
    sums = frame.groupby("indicator_code")[
        ["numerator", "denominator", "denominator_plus_pcas"]
    ].sum()
    rate = sums["numerator"] / sums["denominator"]
    with_pcas = sums["numerator"] / sums["denominator_plus_pcas"]
    assert 0.60 < rate["HYP008"] < 0.76 and 0.72 < rate["HYP009"] < 0.88
    assert 0.85 < rate["AF008"] < 0.95
    assert 0.70 < with_pcas["COPD010"] < 0.80 and 0.65 < with_pcas["DEM004"] < 0.75
    practice = frame[frame["indicator_code"] == "MH002"]
    spread = practice["numerator"] / practice["denominator_plus_pcas"]
    assert spread.min() < 0.2 and spread.max() > 0.9  # JFP: "under 14% ... to 100%"
