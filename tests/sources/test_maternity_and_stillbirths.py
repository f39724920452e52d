"""read_stillbirths (the births layout, 24 weeks or more) and read_smoking_at_delivery."""

from __future__ import annotations

from pathlib import Path

import pytest
from sources_helpers import assert_error, csv_text, write

from ina.errors import InputError
from ina.sources import READERS, read_births, read_smoking_at_delivery, read_stillbirths

REPO = Path(__file__).resolve().parents[2]
STILLBIRTHS = REPO / "data_raw/births/stillbirths_2020_2024.csv"
BIRTHS = REPO / "data_raw/births/births_2020_2024.csv"
SMOKING = REPO / "data_raw/maternity/msds_smoking_at_delivery_2020_2024.csv"
BIRTH_HEADER = ["DOR", "DOB", "SEX", "BIRTHWGT", "GESTATN", "AGEBM", "LSOAR"]
SATOD_HEADER = ["FYEAR", "LSOA21", "SMOKING_STATUS", "MATERNITIES"]


def still_rows() -> list[list[object]]:
    return [
        ["2023-03-01", "2023-02-20", 2, 900, 27, 31, "X01000001"],
        ["2023-03-02", "2023-02-21", 1, "", 39, 19, "X01000002"],
    ]


def test_stillbirths_have_the_births_columns(tmp_path: Path) -> None:
    extract = read_stillbirths(write(tmp_path, "s.csv", csv_text(BIRTH_HEADER, still_rows())))
    births = read_births(write(tmp_path, "b.csv", csv_text(BIRTH_HEADER, still_rows())))
    assert list(extract.frame.columns) == list(births.frame.columns)
    assert extract.frame["gestation_weeks"].tolist() == [27, 39]
    assert extract.frame["birth_weight_g"].isna().tolist() == [False, True]
    assert extract.provenance[0].format == "ons_stillbirths_records_csv"
    assert READERS["stillbirths"] is read_stillbirths


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("GESTATN", "23", "out of range.*from 24 to 50"),
        ("DOB", "2023-03-05", "after the registration"),
        ("LSOAR", "X0100000", "ill-formed LSOA"),
        ("AGEBM", "9", "out of range"),
    ],
)
def test_bad_stillbirth_is_one_line(tmp_path: Path, column: str, value: str, message: str) -> None:
    rows = still_rows()
    rows[1][BIRTH_HEADER.index(column)] = value
    path = write(tmp_path, "s.csv", csv_text(BIRTH_HEADER, rows))
    with pytest.raises(InputError) as error:
        read_stillbirths(path)
    assert_error(error, path, row=3, column=column, message=message)


def test_demo_stillbirth_rate_and_gradient() -> None:
    from ina.demo import DEFAULT_SEED, build_world

    still = read_stillbirths(STILLBIRTHS).frame
    live = read_births(BIRTHS).frame
    rate = 1000 * len(still) / (len(still) + len(live))
    assert 2.5 < rate < 4.2  # England about 3.3 per 1,000 total births
    assert still["gestation_weeks"].min() >= 24
    percentile = build_world(DEFAULT_SEED).small_areas.set_index("lsoa_code")["percentile"]
    deprived = still["lsoa_code"].map(percentile) < 0.2
    live_deprived = live["lsoa_code"].map(percentile) < 0.2
    assert deprived.sum() / live_deprived.sum() > (~deprived).sum() / (~live_deprived).sum()


def satod_rows() -> list[list[object]]:
    return [
        ["202324", "X01000001", "SMOKER", 2],
        ["202324", "X01000001", "NON_SMOKER", 14],
        ["202324", "X01000001", "unknown", 1],
    ]


def test_smoking_at_delivery_tidy(tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", csv_text(SATOD_HEADER, satod_rows()))
    frame = read_smoking_at_delivery(path).frame
    assert list(frame.columns) == ["year", "lsoa_code", "smoking_status", "maternities"]
    assert frame["smoking_status"].tolist() == ["smoker", "non_smoker", "unknown"]
    assert frame["year"].tolist() == [2023] * 3
    assert READERS["smoking_at_delivery"] is read_smoking_at_delivery


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (0, "SMOKING_STATUS", "EX_SMOKER", "unknown smoking status"),
        (1, "MATERNITIES", "1001", "count too large"),
        (2, "FYEAR", "203536", "has not started"),
        (2, "SMOKING_STATUS", "SMOKER", "duplicate"),
    ],
)
def test_bad_smoking_row_is_one_line(
    tmp_path: Path, row: int, column: str, value: str, message: str
) -> None:
    rows = satod_rows()
    rows[row][SATOD_HEADER.index(column)] = value
    path = write(tmp_path, "m.csv", csv_text(SATOD_HEADER, rows))
    with pytest.raises(InputError) as error:
        read_smoking_at_delivery(path)
    assert_error(error, path, row=row + 2, column=None, message=message)


def test_demo_smoking_share_trend_and_births_agree() -> None:
    frame = read_smoking_at_delivery(SMOKING).frame
    by = frame.pivot_table(
        index="year", columns="smoking_status", values="maternities", aggfunc="sum"
    )
    share = by["smoker"] / (by["smoker"] + by["non_smoker"])
    assert 0.10 < share[2023] < 0.125  # 11.2% in 2023/24
    assert 0.08 < share[2024] < 0.10 and share[2024] < share[2020]
    births = read_births(BIRTHS).frame
    per_area = births.groupby([births["registration_date"].dt.year, "lsoa_code"]).size()
    maternities = frame.groupby(["year", "lsoa_code"])["maternities"].sum()
    both = pd_align(maternities, per_area)
    assert (both["maternities"] <= both["births"] + 3).all()  # + a few stillbirths
    assert abs(both["maternities"].sum() / both["births"].sum() - 0.988) < 0.01


def pd_align(maternities, births):
    import pandas as pd

    frame = pd.concat(
        {"maternities": maternities, "births": births.rename_axis(["year", "lsoa_code"])}, axis=1
    )
    return frame.fillna(0)
