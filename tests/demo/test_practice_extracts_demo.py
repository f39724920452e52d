"""ina.demo practice-level extracts (QOF, CVDPREVENT, GP-record flags, screening).

Deterministic, each on its own generator, consistent with the registered lists and with
each other, and at the JFP's magnitudes for Norfolk and Waveney (26A).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ina.demo import DEFAULT_SEED, DEFAULT_SOURCES, build_world
from ina.demo._extracts import WRITERS
from ina.demo._practice_health import SEED_OFFSETS, practice_profile
from ina.sources import (
    read_cvdprevent,
    read_gp_record_flags,
    read_practice_map,
    read_qof_achievement,
    read_qof_prevalence,
    read_registered_by_age,
    read_screening_coverage,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
NEW = ("qof_prevalence", "qof_achievement", "cvdprevent", "gp_record_flags", "screening")


@pytest.fixture(scope="module")
def world():
    return build_world(DEFAULT_SEED)


def committed(name: str) -> Path:
    path = REPO_ROOT / str(DEFAULT_SOURCES[name])
    if not path.is_file():
        pytest.skip("data_raw/ not present in this checkout")
    return path


@pytest.fixture(scope="module")
def sub_icb() -> pd.Series:
    frame = read_practice_map(committed("practice_map")).frame
    return frame.set_index("practice_code")["sub_icb_code"]


def test_each_extract_has_its_own_generator() -> None:
    assert {name: SEED_OFFSETS[name] for name in NEW} == dict(
        zip(NEW, range(101, 106), strict=True)
    )
    assert set(NEW) <= set(WRITERS)


@pytest.mark.parametrize("name", NEW)
def test_writer_is_deterministic_and_depends_on_the_seed(world, tmp_path: Path, name: str) -> None:
    first, second, other = (tmp_path / f"{i}.csv" for i in range(3))
    WRITERS[name](world, first)
    WRITERS[name](world, second)
    assert first.read_bytes() == second.read_bytes()
    WRITERS[name](build_world(DEFAULT_SEED + 1), other)
    assert first.read_bytes() != other.read_bytes()


def test_list_sizes_are_the_registered_patients_at_the_list_age() -> None:
    paths = [committed("qof_prevalence")]
    prevalence = read_qof_prevalence(paths[0]).frame
    registered = read_registered_by_age(
        [REPO_ROOT / p for p in DEFAULT_SOURCES["registered_by_age"]]
    )
    people = registered.frame.groupby(["org_code", "age"])["patients"].sum().unstack(fill_value=0)
    for list_type, low in (("TOTAL", 0), ("06OV", 6), ("17OV", 17), ("18OV", 18)):
        rows = prevalence[prevalence["list_type"] == list_type]
        expected = people.loc[:, low:].sum(axis=1)
        assert (
            rows["list_size"].to_numpy() == expected.loc[rows["practice_code"]].to_numpy()
        ).all()


def test_the_extracts_agree_with_the_registers() -> None:
    registers = read_qof_prevalence(committed("qof_prevalence")).frame.pivot(
        index="practice_code", columns="group_code", values="register"
    )
    achievement = read_qof_achievement(committed("qof_achievement")).frame
    population = achievement.pivot(
        index="practice_code", columns="indicator_code", values="denominator_plus_pcas"
    ).astype(int)
    assert (population["MH002"] == registers["MH"]).all()
    assert (population["COPD010"] == registers["COPD"]).all()
    assert (population["HYP008"] + population["HYP009"] == registers["HYP"]).all()
    assert (population["AF008"] <= registers["AF"]).all()
    cvd = read_cvdprevent(committed("cvdprevent")).frame.pivot(
        index="practice_code", columns="indicator_code", values="denominator"
    )
    assert (cvd["CVDP007HYP"] == registers["HYP"]).all()
    assert (cvd["CVDP006CKD_EGFR"] == registers["CKD"]).all()
    flags = read_gp_record_flags(committed("gp_record_flags")).frame.pivot(
        index="practice_code", columns="measure", values="value"
    )
    assert (flags["SMI_REGISTER"] == registers["MH"]).all()
    assert (flags["DEM_REGISTER_65PLUS"] <= registers["DEM"]).all()
    assert 0.92 < flags["DEM_REGISTER_65PLUS"].sum() / registers["DEM"].sum() < 0.98
    assert (flags["LD_REGISTER_14PLUS"] <= registers["LD"]).all()
    recorded = registers["HYP"].sum() / flags["HYP_EXPECTED"].sum()
    assert 0.6 < recorded < 0.75


def test_jfp_magnitudes_in_26a(sub_icb: pd.Series) -> None:
    registers = read_qof_prevalence(committed("qof_prevalence")).frame
    in_26a = registers[registers["practice_code"].map(sub_icb) == "26A"]
    totals = in_26a.groupby("group_code")["register"].sum()
    # JFP §3.1 (2023/24): 191,900 hypertension, 79,700 diabetes, 40,500 CHD, 32,000 AF,
    # 25,300 COPD, 10,700 SMI, 11,200 dementia: the demo is within about 15%.
    jfp = {"HYP": 191_900, "DM": 79_700, "CHD": 40_500, "AF": 32_000, "COPD": 25_300,
           "MH": 10_700, "DEM": 11_200}  # fmt: skip
    for group, count in jfp.items():
        assert totals[group] == pytest.approx(count, rel=0.15), group
    achievement = read_qof_achievement(committed("qof_achievement")).frame
    mh = achievement[(achievement["indicator_code"] == "MH002")]
    mh_26a = mh[mh["practice_code"].map(sub_icb) == "26A"]
    care_plans = mh_26a["numerator"].sum() / mh_26a["denominator_plus_pcas"].sum()
    assert care_plans == pytest.approx(0.66, abs=0.02)  # JFP §3.5: 66% (England 72%)
    new_depression = read_gp_record_flags(committed("gp_record_flags")).frame
    new_depression = new_depression[new_depression["measure"] == "DEP_NEW_DIAGNOSES_18PLUS"]
    in_26a_dep = new_depression[new_depression["practice_code"].map(sub_icb) == "26A"]
    assert in_26a_dep["value"].sum() == pytest.approx(9_600, rel=0.15)  # JFP §3.1


def test_bowel_screening_opportunity_resembles_the_jfp(sub_icb: pd.Series, world) -> None:
    frame = read_screening_coverage(committed("screening")).frame
    bowel = frame[frame["programme"] == "BOWEL_60_74_30M"]
    bowel = bowel[bowel["practice_code"].map(sub_icb) == "26A"]
    average = bowel["screened"].sum() / bowel["eligible"].sum()
    coverage = bowel["screened"] / bowel["eligible"]
    below = bowel[coverage < average]
    assert 38 <= len(below) <= 54  # JFP §3.5: 46 practices below the N&W average
    gained = (average * below["eligible"] - below["screened"]).sum()
    assert 2_000 < gained < 6_000  # JFP §3.5: about 3,600 more people screened
    # Coverage is lower where more of a practice's patients live in deprived areas.
    profile = practice_profile(world)
    core20 = pd.Series(profile.core20_share, index=profile.codes)
    all_bowel = frame[frame["programme"] == "BOWEL_60_74_30M"].set_index("practice_code")
    rate = all_bowel["screened"] / all_bowel["eligible"]
    assert np.corrcoef(rate, core20.loc[rate.index])[0, 1] < -0.2
