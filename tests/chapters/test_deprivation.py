"""Deprivation chapter computations on small hand-made frames with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ina.chapters import deprivation as chapter
from ina.errors import StatisticsError


def _areas() -> pd.DataFrame:
    """Ten small areas, one per national decile, 100 residents each (decile 1 has 300)."""
    return pd.DataFrame(
        {
            "lsoa_code": [f"X{i:02d}" for i in range(1, 11)],
            "lsoa_name": [f"Area {i}" for i in range(1, 11)],
            "district_name": ["D1"] * 5 + ["D2"] * 5,
            "place_name": ["North"] * 5 + ["South"] * 5,
            "population": [300] + [100] * 9,
            "imd_rank": np.arange(1, 11) * 3000,
            "imd_decile": np.arange(1, 11),
        }
    ).assign(core20=lambda f: f["imd_decile"] <= 2)


def test_small_area_deprivation_joins_and_refuses_gaps() -> None:
    population = pd.DataFrame(
        {"lsoa_code": ["X1", "X1", "X2"], "sex": "male", "age": 1, "population": [3, 4, 5]}
    )
    small_areas = pd.DataFrame({"lsoa_code": ["X1", "X2"], "lsoa_name": ["a", "b"]})
    deprivation = pd.DataFrame(
        {"lsoa_code": ["X1", "X2"], "imd_rank": [10, 20000], "imd_decile": [1, 7]}
    )
    frame = chapter.small_area_deprivation(population, small_areas, deprivation)
    assert frame["population"].tolist() == [7, 5]
    assert frame["core20"].tolist() == [True, False]
    with pytest.raises(StatisticsError, match="X2"):
        chapter.small_area_deprivation(population, small_areas, deprivation.iloc[:1])


def test_decile_distribution_sums_to_100_and_has_every_decile() -> None:
    areas = _areas()
    table = chapter.decile_distribution({"ICB": areas, "North": areas.iloc[:2]})
    assert table.groupby("area")["percent"].sum().tolist() == pytest.approx([100, 100])
    icb = table[table["area"] == "ICB"]
    assert icb["percent"].iloc[0] == pytest.approx(25)  # 300 of 1,200
    north = table[table["area"] == "North"]
    assert north["imd_decile"].tolist() == list(range(1, 11))
    assert north["percent"].tolist()[2:] == [0.0] * 8
    assert set(table["england_percent"]) == {10.0}


def test_core20_by_group_shares() -> None:
    table = chapter.core20_by_group(
        _areas(), group_column="place_name", total_name="ICB", comparators=None
    )
    assert table["name"].tolist() == ["North", "South", "ICB"]
    assert table["core20_population"].tolist() == [400, 0, 400]
    assert table["core20_percent"].tolist() == pytest.approx([400 / 700 * 100, 0, 400 / 1200 * 100])
    assert table["share_of_core20"].tolist() == pytest.approx([100, 0, 100])


def test_most_deprived_small_areas_are_sorted_by_national_rank() -> None:
    areas = _areas().sample(frac=1, random_state=1)
    top = chapter.most_deprived_small_areas(areas, n=3)
    assert top["lsoa_code"].tolist() == ["X01", "X02", "X03"]
    assert "imd_rank" in top.columns


def test_local_quintiles_put_a_fifth_of_small_areas_in_each() -> None:
    quintiles = chapter.local_quintiles(_areas())
    assert quintiles["quintile"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_mortality_by_quintile_ratio() -> None:
    areas = _areas()
    quintiles = chapter.local_quintiles(areas)
    population = pd.DataFrame(
        {
            "lsoa_code": np.repeat(areas["lsoa_code"].to_numpy(), 19),
            "age": np.tile(np.arange(0, 95, 5), 10),
            "population": 100,
        }
    )
    # Quintile 1 (X01, X02): 2 deaths per band per area; quintile 5 (X09, X10): 1.
    ages = np.arange(0, 95, 5)
    deaths = pd.concat(
        [
            pd.DataFrame({"lsoa_code": code, "age": np.repeat(ages, per_band)})
            for code, per_band in [("X01", 2), ("X02", 2), ("X09", 1), ("X10", 1), ("Z99", 5)]
        ],
        ignore_index=True,
    )
    table = chapter.mortality_by_quintile(deaths, population, quintiles, years=2)
    assert table["quintile"].tolist() == [1, 2, 3, 4, 5]
    q1 = table.set_index("quintile").loc[1]
    q5 = table.set_index("quintile").loc[5]
    # Quintile 1: 4 deaths per band over 2 years × 200 people = 1% → 1,000 per 100,000.
    assert q1["dsr"] == pytest.approx(1000)
    assert q5["dsr"] == pytest.approx(500)
    assert q1["ratio_to_least"] == pytest.approx(2)
    assert q1["label"] == "1 most deprived"
    # No deaths in quintiles 2-4: fewer than 10 events, so no published rate.
    assert table.set_index("quintile").loc[3, "deaths"] == 0
    assert np.isnan(table.set_index("quintile").loc[3, "dsr"])
