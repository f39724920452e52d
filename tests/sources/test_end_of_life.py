"""read_end_of_life and the demo linked decedent extract: validation, linkage and magnitudes."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ina.demo import DEFAULT_SEED, DEFAULT_SOURCES, build_world
from ina.demo._end_of_life import draw_end_of_life
from ina.demo._extracts import end_of_life as write_end_of_life
from ina.errors import InputError
from ina.indicators.measures import SOURCE_KINDS, Measure, parse_condition
from ina.sources import READERS, read_end_of_life

REPO_ROOT = Path(__file__).resolve().parents[2]
HEADER = [
    "DOD",
    "DOR",
    "SEX",
    "AGEINYRS",
    "LSOAR",
    "EMERGENCY_ADMISSIONS_90D",
    "BED_DAYS_90D",
]
RELATIVE = "data_raw/end_of_life/eol_linked_deaths_2020_2024.csv"


def rows() -> list[list[object]]:
    return [
        ["2023-01-02", "2023-01-09", 1, 84, "X01000001", 2, 15],
        ["2023-03-10", "2023-03-14", 2, 91, "X01000002", 0, 0],
        ["2023-05-20", "2023-05-25", 2, 67, "E01026500", 1, 0],
        ["2024-02-01", "2024-02-05", 1, 0, "X01000003", 3, 90],
    ]


def write_csv(folder: Path, table: list[list[object]], *, header: list[str] = HEADER) -> Path:
    text = "\n".join(",".join(map(str, line)) for line in [header, *table]) + "\n"
    path = folder / "eol.csv"
    path.write_text(text, encoding="utf-8")
    return path


def raised(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_end_of_life(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)
    return caught.value


def test_tidy_frame(tmp_path: Path) -> None:
    extract = read_end_of_life(write_csv(tmp_path, rows()))
    frame = extract.frame
    assert list(frame.columns) == [
        "death_date",
        "registration_date",
        "sex",
        "age",
        "lsoa_code",
        "emergency_admissions_90d",
        "bed_days_90d",
    ]
    assert frame["death_date"].dt.strftime("%Y-%m-%d").tolist()[0] == "2023-01-02"
    assert frame["registration_date"].dtype == "datetime64[ns]"
    assert frame["sex"].astype(str).tolist() == ["male", "female", "female", "male"]
    assert frame["age"].tolist() == [84, 91, 67, 0]
    assert frame["emergency_admissions_90d"].tolist() == [2, 0, 1, 3]
    assert frame["bed_days_90d"].tolist() == [15, 0, 0, 90]
    (provenance,) = extract.provenance
    assert (provenance.name, provenance.rows, provenance.format) == (
        "end_of_life",
        4,
        "ons_hes_linked_deaths_csv",
    )


@pytest.mark.parametrize(
    ("cell", "value", "column", "message"),
    [
        ((0, 0), "02/01/2023", "DOD", "not a date"),
        ((1, 0), "2023-03-20", "DOD", "after the registration date"),
        ((1, 1), "2999-01-01", "DOR", "in the future"),
        ((2, 2), "F", "SEX", "unknown sex"),
        ((2, 3), "130", "AGEINYRS", "out of range"),
        ((2, 4), "E0102650", "LSOAR", "ill-formed LSOA"),
        ((3, 5), "91", "EMERGENCY_ADMISSIONS_90D", "out of range"),
        ((3, 5), "-1", "EMERGENCY_ADMISSIONS_90D", "negative"),
        ((3, 5), "", "EMERGENCY_ADMISSIONS_90D", "blank"),
        ((0, 6), "91", "BED_DAYS_90D", "out of range"),
        ((0, 6), "2.5", "BED_DAYS_90D", "not a whole number"),
        ((1, 6), "4", "BED_DAYS_90D", "bed days without an emergency admission"),
    ],
)
def test_bad_cells_name_file_line_and_column(
    tmp_path: Path, cell: tuple[int, int], value: str, column: str, message: str
) -> None:
    table = rows()
    table[cell[0]][cell[1]] = value
    error = raised(write_csv(tmp_path, table))
    assert (error.row, error.column) == (cell[0] + 2, column)
    assert re.search(message, str(error), re.IGNORECASE), str(error)
    assert error.expected


def test_identical_decedents_are_kept(tmp_path: Path) -> None:
    table = [*rows(), rows()[1]]
    assert len(read_end_of_life(write_csv(tmp_path, table)).frame) == 5


def test_missing_column_lists_the_header(tmp_path: Path) -> None:
    header = HEADER[:-1]
    table = [r[:-1] for r in rows()]
    error = raised(write_csv(tmp_path, table, header=header))
    assert error.column == "BED_DAYS_90D" and ", ".join(HEADER) in str(error)


def test_registered_for_ina_yml_and_the_engine(tmp_path: Path) -> None:
    assert READERS["end_of_life"] is read_end_of_life
    kind = SOURCE_KINDS["end_of_life"]
    assert (kind.value, kind.date) == (None, "registration_date")
    frame = read_end_of_life(write_csv(tmp_path, rows())).frame
    admitted = Measure(
        "admitted", "end_of_life", (("emergency_admissions_90d", parse_condition({"at_least": 1})),)
    )
    assert admitted.rows(frame).tolist() == [True, False, True, True]
    assert admitted.weights(frame).tolist() == [1, 1, 1, 1]


# --- the demo extract ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def world():
    return build_world(DEFAULT_SEED)


@pytest.fixture(scope="module")
def demo_file(world, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("eol") / "eol.csv"
    write_end_of_life(world, path)
    return path


@pytest.fixture(scope="module")
def demo(demo_file: Path) -> pd.DataFrame:
    return read_end_of_life(demo_file).frame


def test_demo_file_is_the_committed_one(demo_file: Path) -> None:
    assert DEFAULT_SOURCES["end_of_life"] == RELATIVE
    data = demo_file.read_bytes()
    assert data.split(b"\n", 1)[0] == ",".join(HEADER).encode()
    committed = REPO_ROOT / RELATIVE
    if committed.is_file():
        assert committed.read_bytes() == data


def test_draw_is_deterministic_and_seeded(world) -> None:
    first, second = draw_end_of_life(world), draw_end_of_life(world)
    pd.testing.assert_frame_equal(first, second)
    other = draw_end_of_life(build_world(DEFAULT_SEED + 1))
    assert not np.array_equal(
        first["emergency_admissions_90d"].to_numpy()[:1000],
        other["emergency_admissions_90d"].to_numpy()[:1000],
    )


def test_same_decedents_as_the_deaths_extract(world, demo: pd.DataFrame) -> None:
    """Every death of the world once, with its own dates, sex, age and small area."""
    keys = ["registration_date", "death_date", "age", "lsoa_code"]
    deaths = world.deaths.assign(
        registration_date=pd.to_datetime(world.deaths["registration_date"]),
        death_date=pd.to_datetime(world.deaths["death_date"]),
        sex=np.where(world.deaths["sex"] == 1, "male", "female"),
    )
    linked = demo.assign(sex=demo["sex"].astype(str), lsoa_code=demo["lsoa_code"].astype(str))
    left = deaths[[*keys, "sex"]].sort_values([*keys, "sex"]).reset_index(drop=True)
    right = linked[[*keys, "sex"]].sort_values([*keys, "sex"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right, check_dtype=False)


def test_magnitudes(demo: pd.DataFrame) -> None:
    admissions = demo["emergency_admissions_90d"]
    assert (admissions >= 1).mean() == pytest.approx(0.60, abs=0.03)
    assert admissions.mean() == pytest.approx(1.0, abs=0.05)
    assert 0.05 < (admissions >= 3).mean() < 0.15
    admitted = demo[admissions > 0]
    assert 7 < admitted["bed_days_90d"].mean() < 15
    assert (demo.loc[admissions == 0, "bed_days_90d"] == 0).all()


def test_more_in_deprived_areas_fewer_at_the_oldest_ages(world, demo: pd.DataFrame) -> None:
    fifth = pd.Series(
        np.minimum((world.small_areas["percentile"].to_numpy() * 5).astype(int), 4),
        index=world.small_areas["lsoa_code"].to_numpy(),
    )
    admitted = demo["emergency_admissions_90d"] >= 1
    by_fifth = admitted.groupby(demo["lsoa_code"].map(fifth)).mean()
    assert by_fifth[0] > by_fifth[4] + 0.05
    assert admitted[demo["age"] >= 90].mean() < admitted[demo["age"].between(65, 79)].mean() - 0.08
