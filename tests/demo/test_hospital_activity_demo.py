"""ina.demo hospital activity: deterministic, readable, and shaped like real activity.

Rates are compared with Norfolk and Waveney 2023/24 (294,000 A&E attendances and 109,150
emergency admissions for about 1.1 million people) and with the age and deprivation
gradients of Hospital Episode Statistics for England.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from ina.demo import DEFAULT_SEED, DEFAULT_SOURCES, build_world, write_demo_data
from ina.demo._activity import AGE_BANDS, band_population, draw_hospital_activity
from ina.sources import read_hospital_activity

REPO_ROOT = Path(__file__).resolve().parents[2]
RELATIVE = "data_raw/hospital_activity/activity_2022_2024.csv"
MAX_BYTES = 6_000_000


@pytest.fixture(scope="module")
def world():
    return build_world(DEFAULT_SEED)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("activity_demo")
    write_demo_data(root)
    return root / RELATIVE


@pytest.fixture(scope="module")
def frame(demo_file: Path) -> pd.DataFrame:
    return read_hospital_activity(demo_file).frame


@pytest.fixture(scope="module")
def population(world) -> pd.DataFrame:
    """Residents by small area, band and sex (the rate denominators)."""
    by_band = band_population(world)  # (area, band, sex: male, female)
    areas, bands, sexes = np.indices(by_band.shape).reshape(3, -1)
    return pd.DataFrame(
        {
            "lsoa_code": world.small_areas["lsoa_code"].to_numpy()[areas],
            "age_band": np.array(AGE_BANDS)[bands],
            "sex": np.array(["male", "female"])[sexes],
            "population": by_band.reshape(-1),
        }
    )


def rates_by_band(frame: pd.DataFrame, population: pd.DataFrame, year: int) -> pd.DataFrame:
    """Activity per person a year by band (columns: activity)."""
    counts = (
        frame[frame["year"] == year]
        .astype({"age_band": str})
        .pivot_table(index="age_band", columns="activity", values="count", aggfunc="sum")
    )
    people = population.groupby("age_band")["population"].sum()
    return counts.div(people, axis=0).reindex(list(AGE_BANDS))


# --- the file -----------------------------------------------------------------------------


def test_default_path_and_written(demo_file: Path) -> None:
    assert DEFAULT_SOURCES["hospital_activity"] == RELATIVE
    assert demo_file.is_file()


def test_layout_lf_no_bom_and_size(demo_file: Path) -> None:
    data = demo_file.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in data
    assert data.split(b"\n", 1)[0] == b"FYEAR,LSOA21,AGE_BAND,SEX,POD,ACTIVITY"
    assert len(data) < MAX_BYTES


def test_committed_file_is_current(demo_file: Path) -> None:
    committed = REPO_ROOT / RELATIVE
    if not committed.is_file():
        pytest.skip("data_raw/ not present in this checkout")
    assert committed.read_bytes() == demo_file.read_bytes()


def test_draw_is_deterministic_and_seeded(world) -> None:
    first = draw_hospital_activity(world)
    second = draw_hospital_activity(world)
    np.testing.assert_array_equal(first.counts, second.counts)
    other = draw_hospital_activity(build_world(DEFAULT_SEED + 1))
    assert not np.array_equal(first.counts, other.counts)


def test_zero_cells_are_left_out_and_keys_sorted(demo_file: Path, frame: pd.DataFrame) -> None:
    raw = pd.read_csv(demo_file, dtype=str)
    assert (raw["ACTIVITY"].astype(int) > 0).all()
    assert set(raw["FYEAR"]) == {"202223", "202324"}
    assert set(raw["POD"]) == {"AE", "NEL"}
    assert set(raw["AGE_BAND"]) == set(AGE_BANDS)
    assert set(raw["SEX"]) == {"1", "2"}
    keys = raw.assign(BAND=raw["AGE_BAND"].map({band: i for i, band in enumerate(AGE_BANDS)}))
    keys = keys[["FYEAR", "LSOA21", "BAND", "SEX", "POD"]]
    assert not keys.duplicated().any()
    assert keys.equals(keys.sort_values(list(keys.columns)))
    assert len(frame) == len(raw)


def test_small_areas_are_the_worlds(world, frame: pd.DataFrame) -> None:
    assert set(frame["lsoa_code"]) == set(world.small_areas["lsoa_code"])


# --- plausible scale and shape ------------------------------------------------------------


def test_crude_rates_match_norfolk_and_waveney(
    frame: pd.DataFrame, population: pd.DataFrame
) -> None:
    people = population["population"].sum()
    per_person = frame.groupby(["year", "activity"])["count"].sum() / people
    assert per_person[(2023, "ae_attendances")] == pytest.approx(294_000 / 1_100_000, rel=0.03)
    assert per_person[(2023, "emergency_admissions")] == pytest.approx(
        109_150 / 1_100_000, rel=0.03
    )
    for activity in ("ae_attendances", "emergency_admissions"):
        growth = per_person[(2023, activity)] / per_person[(2022, activity)]
        assert 1.01 < growth < 1.06, activity


def test_ae_is_u_shaped_by_age(frame: pd.DataFrame, population: pd.DataFrame) -> None:
    ae = rates_by_band(frame, population, 2023)["ae_attendances"]
    midlife = ae[["40-44", "45-49", "50-54", "55-59"]].mean()
    assert ae["0-4"] > 1.6 * ae[["5-9", "10-14"]].max()
    assert ae["0-4"] > 1.6 * midlife
    assert ae["90+"] > ae["0-4"]
    assert ae["80-84"] > 1.6 * midlife
    assert ae.idxmax() == "90+"


def test_emergency_admissions_rise_steeply_with_age(
    frame: pd.DataFrame, population: pd.DataFrame
) -> None:
    nel = rates_by_band(frame, population, 2023)["emergency_admissions"]
    from_midlife = nel.loc["40-44":].to_numpy()
    assert (np.diff(from_midlife) > 0).all()
    assert nel["90+"] > 6 * nel["40-44"]
    assert nel["0-4"] > 2 * nel["5-9"]  # infants
    assert nel.idxmax() == "90+"


def test_boys_attend_a_and_e_more(frame: pd.DataFrame, population: pd.DataFrame) -> None:
    young = frame[
        (frame["year"] == 2023)
        & (frame["activity"] == "ae_attendances")
        & frame["age_band"].astype(str).isin(["0-4", "5-9", "10-14"])
    ]
    counts = young.groupby("sex", observed=True)["count"].sum()
    people = population[population["age_band"].isin(["0-4", "5-9", "10-14"])]
    people = people.groupby("sex")["population"].sum()
    ratio = (counts["male"] / people["male"]) / (counts["female"] / people["female"])
    assert ratio > 1.08


def test_more_activity_in_deprived_areas_at_the_same_age(
    world, frame: pd.DataFrame, population: pd.DataFrame
) -> None:
    """Indirectly standardised ratios (observed / expected at the ICB's band and sex rates)
    of the most deprived fifth against the least deprived fifth."""
    fifth = pd.Series(
        np.minimum((world.small_areas["percentile"].to_numpy() * 5).astype(int), 4),
        index=world.small_areas["lsoa_code"].to_numpy(),
    )
    latest = frame[frame["year"] == 2023].astype({"age_band": str, "sex": str})
    for activity in ("ae_attendances", "emergency_admissions"):
        events = latest[latest["activity"] == activity]
        cells = population.merge(
            events[["lsoa_code", "age_band", "sex", "count"]],
            on=["lsoa_code", "age_band", "sex"],
            how="left",
        ).fillna({"count": 0})
        totals = cells.groupby(["age_band", "sex"])[["count", "population"]].transform("sum")
        cells["expected"] = cells["population"] * totals["count"] / totals["population"]
        cells["fifth"] = cells["lsoa_code"].map(fifth)
        by_fifth = cells.groupby("fifth")[["count", "expected"]].sum()
        ratio = by_fifth["count"] / by_fifth["expected"]
        assert ratio[0] / ratio[4] > 1.3, activity
        assert ratio[0] > ratio[2] > ratio[4], activity


# --- following ina.yml --------------------------------------------------------------------


def test_not_written_when_ina_yml_leaves_it_out(tmp_path: Path) -> None:
    data = yaml.safe_load((REPO_ROOT / "ina.yml").read_text(encoding="utf-8"))
    del data["sources"]["hospital_activity"]
    (tmp_path / "ina.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    written = write_demo_data(tmp_path)
    assert not (tmp_path / "data_raw" / "hospital_activity").exists()
    assert all("hospital_activity" not in str(path) for path in written)


def test_written_where_ina_yml_says(tmp_path: Path) -> None:
    data = yaml.safe_load((REPO_ROOT / "ina.yml").read_text(encoding="utf-8"))
    data["sources"]["hospital_activity"] = "data_raw/sus/ae_nel.csv"
    (tmp_path / "ina.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    written = write_demo_data(tmp_path)
    assert tmp_path.resolve() / "data_raw" / "sus" / "ae_nel.csv" in written
