"""read_cancer_registrations and the demo NDRS-style extract: validation and magnitudes."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ina.demo import DEFAULT_SEED, DEFAULT_SOURCES, build_world
from ina.demo._cancer import draw_cancer_registrations
from ina.demo._extracts import cancer_registrations as write_registrations
from ina.errors import InputError
from ina.indicators.measures import SOURCE_KINDS, Measure, parse_condition
from ina.sources import READERS, read_cancer_registrations

REPO_ROOT = Path(__file__).resolve().parents[2]
HEADER = ["DIAGNOSIS_YEAR", "LSOA21", "AGE_BAND", "SEX", "SITE_ICD10", "STAGE", "CASES"]
RELATIVE = "data_raw/cancer/ndrs_cancer_registrations_2019_2023.csv"


def rows() -> list[list[object]]:
    return [
        [2022, "X01000001", "65-69", 2, "C50", "1", 2],
        [2022, "X01000001", "70-74", 1, "C61", "2", 1],
        [2023, "X01000002", "90+", 1, "C34", "4", 1],
        [2023, "E01026500", "0-4", 2, "C91", "U", 0],
    ]


def write_csv(folder: Path, table: list[list[object]], *, header: list[str] = HEADER) -> Path:
    text = "\n".join(",".join(map(str, line)) for line in [header, *table]) + "\n"
    path = folder / "registrations.csv"
    path.write_text(text, encoding="utf-8")
    return path


def raised(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_cancer_registrations(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)
    return caught.value


def test_tidy_frame(tmp_path: Path) -> None:
    extract = read_cancer_registrations(write_csv(tmp_path, rows()))
    frame = extract.frame
    assert list(frame.columns) == ["year", "lsoa_code", "age_band", "sex", "site", "stage", "cases"]
    assert frame["year"].tolist() == [2022, 2022, 2023, 2023]
    assert frame["age_band"].astype(str).tolist() == ["65-69", "70-74", "90+", "0-4"]
    assert frame["age_band"].cat.ordered
    assert frame["sex"].astype(str).tolist() == ["female", "male", "male", "female"]
    assert frame["site"].tolist() == ["C50", "C61", "C34", "C91"]
    assert frame["stage"].tolist() == ["1", "2", "4", "unknown"]
    assert frame["cases"].tolist() == [2, 1, 1, 0]
    (provenance,) = extract.provenance
    assert (provenance.name, provenance.rows, provenance.format) == (
        "cancer_registrations",
        4,
        "ndrs_cancer_registrations_aggregate_csv",
    )


@pytest.mark.parametrize(
    ("cell", "value", "column", "message"),
    [
        ((0, 0), "1970", "DIAGNOSIS_YEAR", "out of range"),
        ((1, 0), "2099", "DIAGNOSIS_YEAR", "out of range"),
        ((1, 0), "2022/23", "DIAGNOSIS_YEAR", "not a number"),
        ((1, 1), "E0102650", "LSOA21", "ill-formed LSOA"),
        ((2, 2), "85+", "AGE_BAND", "unknown age band"),
        ((2, 3), "M", "SEX", "unknown sex"),
        ((0, 4), "C50.9", "SITE_ICD10", "ill-formed ICD-10 cancer site"),
        ((0, 4), "D05", "SITE_ICD10", "ill-formed ICD-10 cancer site"),
        ((1, 4), "C44", "SITE_ICD10", "non-melanoma skin cancer"),
        ((1, 4), "C98", "SITE_ICD10", "not a malignant neoplasm site"),
        ((2, 5), "0", "STAGE", "unknown stage"),
        ((2, 5), "IV", "STAGE", "unknown stage"),
        ((3, 6), "-2", "CASES", "negative"),
        ((3, 6), "3000", "CASES", "count too large"),
        ((3, 6), "*", "CASES", "not a number"),
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
    table = [*rows(), [2022, "X01000001", "65-69", 2, "C50", "1", 5]]
    error = raised(write_csv(tmp_path, table))
    assert error.row == 6 and "first seen at row 2" in str(error)


def test_same_cell_at_another_stage_is_not_a_duplicate(tmp_path: Path) -> None:
    table = [*rows(), [2022, "X01000001", "65-69", 2, "C50", "2", 5]]
    assert len(read_cancer_registrations(write_csv(tmp_path, table)).frame) == 5


def test_missing_column_lists_the_header(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "STAGE"]
    table = [[v for i, v in enumerate(r) if i != 5] for r in rows()]
    error = raised(write_csv(tmp_path, table, header=header))
    assert error.column == "STAGE" and ", ".join(HEADER) in str(error)


def test_registered_for_ina_yml_and_the_engine(tmp_path: Path) -> None:
    assert READERS["cancer_registrations"] is read_cancer_registrations
    kind = SOURCE_KINDS["cancer_registrations"]
    assert (kind.value, kind.year, kind.age_band) == ("cases", "year", "age_band")
    frame = read_cancer_registrations(write_csv(tmp_path, rows())).frame
    early = Measure("early", "cancer_registrations", (("stage", parse_condition(["1", "2"])),))
    assert early.rows(frame).tolist() == [True, True, False, False]
    assert early.weights(frame).tolist() == [2, 1, 1, 0]


# --- the demo extract ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def world():
    return build_world(DEFAULT_SEED)


@pytest.fixture(scope="module")
def demo_file(world, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cancer") / "registrations.csv"
    write_registrations(world, path)
    return path


@pytest.fixture(scope="module")
def demo(demo_file: Path) -> pd.DataFrame:
    return read_cancer_registrations(demo_file).frame


def test_demo_file_is_the_committed_one(demo_file: Path) -> None:
    assert DEFAULT_SOURCES["cancer_registrations"] == RELATIVE
    data = demo_file.read_bytes()
    assert data.split(b"\n", 1)[0] == ",".join(HEADER).encode()
    committed = REPO_ROOT / RELATIVE
    if committed.is_file():
        assert committed.read_bytes() == data


def test_draw_is_deterministic_and_seeded(world) -> None:
    first, second = draw_cancer_registrations(world), draw_cancer_registrations(world)
    pd.testing.assert_frame_equal(first.cells, second.cells)
    other = draw_cancer_registrations(build_world(DEFAULT_SEED + 1))
    assert not first.cells.equals(other.cells)


def test_crude_incidence_about_600_per_100000(world, demo: pd.DataFrame) -> None:
    per_year = demo.groupby("year")["cases"].sum() / world.population.sum() * 100_000
    assert sorted(per_year.index) == [2019, 2020, 2021, 2022, 2023]
    assert per_year[2023] == pytest.approx(600, rel=0.06)
    assert per_year[2020] < 0.94 * per_year[2019]  # the first pandemic year


def test_site_mix(demo: pd.DataFrame) -> None:
    site = demo["site"]
    group = np.select(
        [site == "C50", site == "C61", site.isin(["C33", "C34"]), site.isin(["C18", "C19", "C20"])],
        ["breast", "prostate", "lung", "colorectal"],
        site,
    )
    share = demo.groupby(group)["cases"].sum().sort_values(ascending=False) / demo["cases"].sum()
    assert set(share.index[:4]) == {"breast", "prostate", "lung", "colorectal"}
    assert 0.45 < share.iloc[:4].sum() < 0.62
    assert not site.isin(["C44"]).any() and (site <= "C97").all()
    by_sex = demo.groupby(["site", "sex"], observed=True)["cases"].sum()
    assert "female" not in by_sex["C61"].index and "male" not in by_sex["C53"].index


def early_share(frame: pd.DataFrame) -> float:
    staged = frame[frame["stage"] != "unknown"]
    return staged.loc[staged["stage"].isin(["1", "2"]), "cases"].sum() / staged["cases"].sum()


def test_early_stage_and_its_deprivation_gradient(world, demo: pd.DataFrame) -> None:
    assert 0.54 < early_share(demo) < 0.59
    fifth = pd.Series(
        np.minimum((world.small_areas["percentile"].to_numpy() * 5).astype(int), 4),
        index=world.small_areas["lsoa_code"].to_numpy(),
    )
    quintile = demo["lsoa_code"].map(fifth)
    assert early_share(demo[quintile == 0]) < early_share(demo[quintile == 4]) - 0.04


def test_unknown_stage(demo: pd.DataFrame) -> None:
    unstageable = demo["site"].isin(["C71", "C72", "C90", "C91", "C92", "C93", "C95", "C80"])
    assert (demo.loc[unstageable, "stage"] == "unknown").all()
    stageable = demo[~unstageable]
    unknown = stageable.loc[stageable["stage"] == "unknown", "cases"].sum()
    assert unknown / stageable["cases"].sum() == pytest.approx(0.08, abs=0.015)


def test_incidence_rises_with_age(demo: pd.DataFrame) -> None:
    by_band = demo.groupby("age_band", observed=True)["cases"].sum()
    assert by_band["70-74"] > 20 * by_band["30-34"]
    assert by_band["0-4"] > 0  # childhood cancers occur
