"""ina.demo event extracts (admissions, A&E, stillbirths, smoking at delivery, death
details): deterministic, on their own generators, and with the deprivation gradients
the Inequalities chapter reports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ina.demo import DEFAULT_SEED, DEFAULT_SOURCES, build_world
from ina.demo._admissions import draw_admissions, draw_ae_attendances
from ina.demo._death_details import draw_death_details
from ina.demo._maternity import draw_smoking_at_delivery, draw_stillbirths

DRAWS = {
    "hospital_admissions": draw_admissions,
    "ae_attendances": draw_ae_attendances,
    "stillbirths": draw_stillbirths,
    "smoking_at_delivery": draw_smoking_at_delivery,
}


@pytest.fixture(scope="module")
def world():
    return build_world(DEFAULT_SEED)


@pytest.mark.parametrize("name", list(DRAWS))
def test_draws_are_deterministic_and_seeded(world, name: str) -> None:
    first, again = DRAWS[name](world), DRAWS[name](build_world(DEFAULT_SEED))
    pd.testing.assert_frame_equal(first, again)
    other = DRAWS[name](build_world(DEFAULT_SEED + 1))
    assert not first.equals(other)
    assert name in DEFAULT_SOURCES


def test_death_details_are_deterministic(world) -> None:
    days, place = draw_death_details(world)
    again_days, again_place = draw_death_details(build_world(DEFAULT_SEED))
    assert (days == again_days).all() and (place == again_place).all()
    assert len(days) == len(world.deaths)


def _quintile_rate_ratio(world, frame: pd.DataFrame, value: str, ages: list[str]) -> float:
    """Most vs least deprived local fifth (by residents), crude rate over ``ages``."""
    from ina.demo._activity import AGE_BANDS, band_population

    areas = world.small_areas
    population = band_population(world)[:, [AGE_BANDS.index(a) for a in ages]].sum(axis=(1, 2))
    order = np.argsort(areas["percentile"].to_numpy())
    cumulative = np.cumsum(population[order]) / population.sum()
    fifth = np.empty(len(areas), dtype=int)
    fifth[order] = np.minimum((cumulative * 5).astype(int), 4)
    quintile = pd.Series(fifth, index=areas["lsoa_code"].to_numpy())
    rows = frame[frame["AGE_BAND"].isin(ages)]
    counts = rows.groupby(rows["LSOA21"].map(quintile))[value].sum()
    people = pd.Series(population).groupby(fifth).sum()
    rates = counts / people.to_numpy()
    return float(rates[0] / rates[4])


def test_emergency_admissions_of_young_children_rate_ratio(world) -> None:
    admissions = draw_admissions(world)
    emergency = admissions[admissions["ADMIMETH"].str.startswith("2")]
    ratio = _quintile_rate_ratio(world, emergency, "ADMISSIONS", ["0-4"])
    assert 1.3 < ratio < 1.8  # JFP Fig 5: 50% more likely


def test_self_harm_admissions_steeper_than_falls(world) -> None:
    admissions = draw_admissions(world)
    bands = [f"{s}-{s + 4}" for s in range(10, 90, 5)] + ["90+"]
    self_harm = admissions[admissions["CAUSE_3"].str.match(r"X(6\d|7\d|8[0-4])")]
    falls = admissions[admissions["CAUSE_3"].str.match(r"W(0\d|1\d)")]
    assert _quintile_rate_ratio(world, self_harm, "ADMISSIONS", bands) > 2.0
    assert _quintile_rate_ratio(world, falls, "ADMISSIONS", bands) < 1.5
