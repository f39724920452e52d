"""A tiny hand-made world for the indicator engine: four small areas, three practices.

Small areas: X1 (Great Yarmouth, 26A), X2 (East Suffolk, 26A: Waveney), X3 (East Suffolk,
06L), X4 (Ipswich, 06L). Places: ``north`` = X1 + X2, ``south`` = X3 + X4. Practices:
P1 and P2 (PCN N1, 26A, patients in X1/X2), P3 (PCN S1, 06L, patients in X3/X4).
Every number a test expects can be worked out by hand from these frames.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from ina.config import load_settings
from ina.geography import Geography
from ina.indicators.engine import EngineInputs

REPO_ROOT = Path(__file__).resolve().parents[2]
GY, ES, IP = "E07000145", "E07000244", "E07000202"
PLACES = [
    {"id": "north", "name": "North",
     "members": [{"district": GY}, {"district": ES, "sub_icb": "26A"}]},
    {"id": "south", "name": "South",
     "members": [{"district": IP}, {"district": ES, "sub_icb": "06L"}]},
]  # fmt: skip


def _population() -> pd.DataFrame:
    """Per small area and sex: 100 people at each of the ages 0, 3, 5, 10, ..., 90 (X4 has
    200 at each age): 2,000 per small area and sex (X4 4,000), every band populated."""
    rows = []
    for lsoa in ("X1", "X2", "X3", "X4"):
        for sex in ("female", "male"):
            for age in (0, 3, *range(5, 95, 5)):
                rows.append((lsoa, sex, age, 200 if lsoa == "X4" else 100))
    return pd.DataFrame(rows, columns=["lsoa_code", "sex", "age", "population"])


def _births() -> pd.DataFrame:
    """X1: 10 births in 2023 (2 under 2,500 g, 1 weight not stated) and 5 in 2024 (1 low);
    X3: 4 births in 2024, none low."""
    weights = [2000, 2400, None, *[3300] * 7] + [2100, 3000, 3100, 3200, 3400] + [3500] * 4
    dates = ["2023-06-01"] * 10 + ["2024-06-01"] * 5 + ["2024-06-01"] * 4
    lsoas = ["X1"] * 15 + ["X3"] * 4
    return pd.DataFrame(
        {
            "registration_date": pd.to_datetime(dates),
            "lsoa_code": lsoas,
            "birth_weight_g": pd.array(weights, dtype="Int64"),
            "gestation_weeks": pd.array([39] * 19, dtype="Int64"),
            "sex": ["female"] * 19,
        }
    )


def _deaths() -> pd.DataFrame:
    """2024: X1 has 12 deaths at 80 (6 female, 6 male) and 3 at 30 (male); X4 has 20 at 95
    (10 female, 10 male)."""
    rows = [("X1", "female", 80)] * 6 + [("X1", "male", 80)] * 6 + [("X1", "male", 30)] * 3
    rows += [("X4", "female", 95)] * 10 + [("X4", "male", 95)] * 10
    frame = pd.DataFrame(rows, columns=["lsoa_code", "sex", "age"])
    frame["registration_date"] = pd.Timestamp("2024-03-01")
    frame["underlying_cause"] = ["I219"] * 12 + ["X700"] * 3 + ["C349"] * 20
    return frame


def _frames() -> dict[str, pd.DataFrame]:
    lookup = pd.DataFrame(
        {
            "lsoa_code": ["X1", "X2", "X3", "X4"],
            "lsoa_name": ["GY 1", "ES 1", "ES 2", "Ip 1"],
            "sub_icb_code": ["26A", "26A", "06L", "06L"],
            "district_code": [GY, ES, ES, IP],
            "district_name": ["Great Yarmouth", "East Suffolk", "East Suffolk", "Ipswich"],
        }
    )
    districts = pd.DataFrame(
        {
            "district_code": [GY, ES, IP],
            "district_name": ["Great Yarmouth", "East Suffolk", "Ipswich"],
            "county_code": ["E10000020", "E10000029", "E10000029"],
            "county_name": ["Norfolk", "Suffolk", "Suffolk"],
        }
    )
    practice_map = pd.DataFrame(
        {
            "practice_code": ["P1", "P2", "P3"],
            "practice_name": ["ONE SURGERY", "TWO SURGERY", "THREE SURGERY"],
            "pcn_code": ["N1", "N1", "S1"],
            "pcn_name": ["NORTH PCN", "NORTH PCN", "SOUTH PCN"],
            "sub_icb_code": ["26A", "26A", "06L"],
            "sub_icb_name": ["Sub-ICB 26A", "Sub-ICB 26A", "Sub-ICB 06L"],
            "icb_code": ["T6Y0W"] * 3,
        }
    )
    by_small_area = pd.DataFrame(
        {
            "practice_code": ["P1", "P2", "P3"],
            "lsoa_code": ["X1", "X2", "X4"],
            "patients": [1000, 500, 2000],
        }
    )
    registered = pd.DataFrame(
        {
            "org_code": ["P1", "P1", "P2", "P3"],
            "sex": ["female", "male", "female", "male"],
            "age": [40, 40, 70, 10],
            "patients": [600, 500, 450, 2100],
            "extract_date": pd.Timestamp("2026-04-01"),
        }
    )
    national = pd.DataFrame(
        {
            "area_code": ["E92000001"] * 2,
            "sex": ["female", "male"],
            "age": [70, 10],
            "population": [300.0, 700.0],
        }
    )
    deprivation = pd.DataFrame({"lsoa_code": ["X1", "X2", "X3", "X4"], "imd_decile": [1, 2, 5, 9]})
    return {
        "small_area_lookup": lookup,
        "district_lookup": districts,
        "practice_map": practice_map,
        "registered_by_small_area": by_small_area,
        "registered_by_age": registered,
        "resident_population": _population(),
        "national_population": national,
        "births": _births(),
        "deaths": _deaths(),
        "deprivation": deprivation,
    }


@pytest.fixture(scope="session")
def tiny_inputs(tmp_path_factory: pytest.TempPathFactory) -> EngineInputs:
    data = yaml.safe_load((REPO_ROOT / "ina.yml").read_text(encoding="utf-8"))
    data["place_schemes"] = {"test": {"label": "Test", "places": PLACES}}
    data["place_scheme"] = "test"
    # Every source ina.yml requires is named (the engine only reads those a test uses);
    # hospital activity is left out, so its indicators are "not supplied".
    sources = {name: f"data_raw/{name}.csv" for name in data["sources"]}
    sources.pop("hospital_activity", None)
    data["sources"] = sources | {name: f"data_raw/{name}.csv" for name in _frames()}
    path = tmp_path_factory.mktemp("tiny") / "ina.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    settings = load_settings(path)
    frames = _frames()
    geography = Geography.from_frames(
        settings,
        frames["small_area_lookup"],
        frames["district_lookup"],
        frames["practice_map"],
        frames["registered_by_small_area"],
    )
    return EngineInputs(
        settings=settings,
        geography=geography,
        load=frames.__getitem__,
        periods={"resident_population": "Mid-2022", "registered_by_age": "Apr 2026"},
    )
