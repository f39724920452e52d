"""read_ncmp and the demo NCMP extract: layout, validation messages, England-like magnitudes."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ina.demo import DEFAULT_SEED, DEFAULT_SOURCES, build_world
from ina.demo._extracts import ncmp as write_ncmp
from ina.demo._ncmp import draw_ncmp
from ina.errors import InputError
from ina.indicators.measures import SOURCE_KINDS
from ina.sources import READERS, read_ncmp

REPO_ROOT = Path(__file__).resolve().parents[2]
HEADER = ["ACADEMIC_YEAR", "LSOA21", "SCHOOL_YEAR", "SEX", "BMI_CATEGORY", "CHILDREN"]
RELATIVE = "data_raw/ncmp/ncmp_lsoa_2019_2023.csv"


def rows() -> list[list[object]]:
    return [
        ["2022/23", "X01000001", "R", "M", "HEALTHY_WEIGHT", 7],
        ["2022/23", "X01000001", "R", "F", "OBESE", 1],
        ["2023/24", "X01000001", "6", "F", "SEVERELY_OBESE", 2],
        ["2023/24", "E01026500", "6", "M", "UNDERWEIGHT", 0],
    ]


def write_csv(folder: Path, table: list[list[object]], *, header: list[str] = HEADER) -> Path:
    text = "\n".join(",".join(map(str, line)) for line in [header, *table]) + "\n"
    path = folder / "ncmp.csv"
    path.write_text(text, encoding="utf-8")
    return path


def raised(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_ncmp(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)
    return caught.value


def test_tidy_frame(tmp_path: Path) -> None:
    extract = read_ncmp(write_csv(tmp_path, rows()))
    frame = extract.frame
    assert list(frame.columns) == [
        "year",
        "lsoa_code",
        "school_year",
        "sex",
        "bmi_category",
        "children",
    ]
    assert frame["year"].tolist() == [2022, 2022, 2023, 2023]
    assert frame["school_year"].tolist() == ["reception", "reception", "year_6", "year_6"]
    assert frame["sex"].astype(str).tolist() == ["male", "female", "female", "male"]
    assert frame["bmi_category"].tolist() == [
        "healthy_weight",
        "obese",
        "severely_obese",
        "underweight",
    ]
    assert frame["children"].tolist() == [7, 1, 2, 0]
    assert frame["children"].dtype == "int64"
    (provenance,) = extract.provenance
    assert (provenance.name, provenance.rows, provenance.format) == (
        "ncmp",
        4,
        "ncmp_small_area_aggregate_csv",
    )


def test_long_forms_of_the_ncmp_system_are_read(tmp_path: Path) -> None:
    table = rows()
    table[0][2:4] = ["Reception", "male"]
    table[2][2:4] = ["Year 6", "FEMALE"]
    frame = read_ncmp(write_csv(tmp_path, table)).frame
    assert frame["school_year"].tolist()[::2] == ["reception", "year_6"]
    assert frame["sex"].astype(str).tolist()[::2] == ["male", "female"]


@pytest.mark.parametrize(
    ("cell", "value", "column", "message"),
    [
        ((0, 0), "2023", "ACADEMIC_YEAR", "ill-formed academic year"),
        ((0, 0), "202223", "ACADEMIC_YEAR", "ill-formed academic year"),
        ((1, 0), "2022/24", "ACADEMIC_YEAR", "not consecutive"),
        ((1, 0), "2099/00", "ACADEMIC_YEAR", "has not started"),
        ((1, 0), "2001/02", "ACADEMIC_YEAR", "outside the NCMP"),
        ((1, 1), "X0100001", "LSOA21", "ill-formed LSOA"),
        ((2, 2), "5", "SCHOOL_YEAR", "unknown school year"),
        ((2, 3), "1", "SEX", "unknown sex"),
        ((3, 4), "OBESE_INCL_SEVERE", "BMI_CATEGORY", "unknown BMI category"),
        ((3, 5), "-1", "CHILDREN", "negative"),
        ((3, 5), "1.5", "CHILDREN", "not a whole number"),
        ((3, 5), "6000", "CHILDREN", "count too large"),
        ((3, 5), "", "CHILDREN", "blank"),
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


def test_duplicate_cells_name_both_rows(tmp_path: Path) -> None:
    table = [*rows(), ["2022/23", "X01000001", "Reception", "m", "healthy_weight", 3]]
    error = raised(write_csv(tmp_path, table))
    assert error.row == 6
    assert "duplicate" in str(error) and "first seen at row 2" in str(error)


def test_missing_column_lists_the_header(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "BMI_CATEGORY"]
    table = [[v for i, v in enumerate(r) if i != 4] for r in rows()]
    error = raised(write_csv(tmp_path, table, header=header))
    assert error.column == "BMI_CATEGORY"
    assert ", ".join(HEADER) in str(error)


def test_registered_for_ina_yml_and_the_engine() -> None:
    assert READERS["ncmp"] is read_ncmp
    kind = SOURCE_KINDS["ncmp"]
    assert (kind.born_at, kind.unit_column, kind.value, kind.year) == (
        "small_area",
        "lsoa_code",
        "children",
        "year",
    )


# --- the demo extract ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def world():
    return build_world(DEFAULT_SEED)


@pytest.fixture(scope="module")
def demo_file(world, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ncmp") / "ncmp.csv"
    write_ncmp(world, path)
    return path


@pytest.fixture(scope="module")
def demo(demo_file: Path) -> pd.DataFrame:
    return read_ncmp(demo_file).frame


def test_demo_file_is_the_committed_one(demo_file: Path) -> None:
    assert DEFAULT_SOURCES["ncmp"] == RELATIVE
    data = demo_file.read_bytes()
    assert data.split(b"\n", 1)[0] == ",".join(HEADER).encode()
    assert b"\r\n" not in data and not data.startswith(b"\xef\xbb\xbf")
    committed = REPO_ROOT / RELATIVE
    if committed.is_file():
        assert committed.read_bytes() == data


def test_draw_is_deterministic_and_seeded(world) -> None:
    first, second = draw_ncmp(world), draw_ncmp(world)
    np.testing.assert_array_equal(first.counts, second.counts)
    assert not np.array_equal(first.counts, draw_ncmp(build_world(DEFAULT_SEED + 1)).counts)


def test_demo_codes_and_years(world, demo: pd.DataFrame) -> None:
    assert sorted(demo["year"].unique()) == [2019, 2020, 2021, 2022, 2023]
    assert set(demo["school_year"]) == {"reception", "year_6"}
    assert set(demo["bmi_category"]) == {
        "underweight",
        "healthy_weight",
        "overweight",
        "obese",
        "severely_obese",
    }
    assert (demo["children"] > 0).all()  # zero cells left out
    assert set(demo["lsoa_code"]) <= set(world.small_areas["lsoa_code"])


def test_about_95_percent_of_the_age_group_is_measured(world, demo: pd.DataFrame) -> None:
    latest = demo[demo["year"] == 2023].groupby("school_year")["children"].sum()
    residents = world.population.sum(axis=(0, 1))
    assert latest["reception"] / residents[4] == pytest.approx(0.95, abs=0.015)
    assert latest["year_6"] / residents[10] == pytest.approx(0.95, abs=0.015)


def shares(frame: pd.DataFrame) -> pd.Series:
    """Overweight incl. obesity, obesity incl. severe, severe obesity (fractions)."""
    by = frame.groupby("bmi_category")["children"].sum()
    total = by.sum()
    return pd.Series(
        {
            "overweight": by[["overweight", "obese", "severely_obese"]].sum() / total,
            "obese": by[["obese", "severely_obese"]].sum() / total,
            "severe": by["severely_obese"] / total,
        }
    )


def test_england_like_prevalence_in_2023_24(demo: pd.DataFrame) -> None:
    latest = demo[demo["year"] == 2023]
    reception = shares(latest[latest["school_year"] == "reception"])
    year_6 = shares(latest[latest["school_year"] == "year_6"])
    assert reception["overweight"] == pytest.approx(0.221, abs=0.02)
    assert reception["obese"] == pytest.approx(0.096, abs=0.012)
    assert reception["severe"] == pytest.approx(0.025, abs=0.006)
    assert year_6["overweight"] == pytest.approx(0.358, abs=0.02)
    assert year_6["obese"] == pytest.approx(0.221, abs=0.015)
    assert year_6["severe"] == pytest.approx(0.058, abs=0.01)


def test_pandemic_year_peak(demo: pd.DataFrame) -> None:
    year_6 = demo[demo["school_year"] == "year_6"]
    obese = {year: shares(year_6[year_6["year"] == year])["obese"] for year in range(2019, 2024)}
    assert max(obese, key=obese.get) == 2020


def test_deprivation_gradient(world, demo: pd.DataFrame) -> None:
    """Most vs least deprived fifth: obesity about double, Year 6 overweight about 1.4x."""
    fifth = pd.Series(
        np.minimum((world.small_areas["percentile"].to_numpy() * 5).astype(int), 4),
        index=world.small_areas["lsoa_code"].to_numpy(),
    )
    frame = demo.assign(fifth=demo["lsoa_code"].map(fifth))
    for school_year in ("reception", "year_6"):
        part = frame[frame["school_year"] == school_year]
        most, least = (shares(part[part["fifth"] == f]) for f in (0, 4))
        assert 1.6 < most["obese"] / least["obese"] < 2.6, school_year
    year_6 = frame[frame["school_year"] == "year_6"]
    most, least = (shares(year_6[year_6["fifth"] == f]) for f in (0, 4))
    assert 1.25 < most["overweight"] / least["overweight"] < 1.6


def test_boys_more_often_obese_in_year_6(demo: pd.DataFrame) -> None:
    year_6 = demo[demo["school_year"] == "year_6"]
    boys, girls = (shares(year_6[year_6["sex"] == sex])["obese"] for sex in ("male", "female"))
    assert boys > girls * 1.1
