"""Arriaga decomposition of the life expectancy gap, by age band and cause.

The decomposition is exact: age components and cause components must each add up to the
gap between the two life expectancies computed independently by ``life_expectancy``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ina.errors import StatisticsError
from ina.stats.decomposition import life_expectancy_gap_by_cause
from ina.stats.life_expectancy import DEFAULT_AGE_CONTENTS, life_expectancy

AGES = np.array(DEFAULT_AGE_CONTENTS, dtype=float)
CAUSES = ["circulatory", "cancer", "respiratory", "other"]


def _population_deaths(
    rng: np.random.Generator, excess: float, n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
    """Populations (groups × bands) and cause deaths (groups × bands × causes)."""
    population = rng.integers(3_000, 40_000, size=(n_groups, AGES.size)).astype(float)
    base = 0.0002 * np.exp(0.09 * AGES)
    base[0] = 0.004
    cause_share = rng.dirichlet(np.ones(len(CAUSES)), size=(n_groups, AGES.size))
    rate = np.minimum(base * excess * rng.uniform(0.7, 1.4, size=(n_groups, AGES.size)), 0.3)
    deaths = rng.poisson(population[:, :, None] * rate[:, :, None] * cause_share).astype(float)
    deaths[:, -1, -1] += 1  # at least one death at 90+
    return population, deaths


def _tidy(seed: int, n_groups: int = 2, excess: float = 1.4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for label, factor in (("least deprived", 1.0), ("most deprived", excess)):
        population, deaths = _population_deaths(rng, factor, n_groups)
        g, b, c = np.meshgrid(
            np.arange(n_groups), np.arange(AGES.size), np.arange(len(CAUSES)), indexing="ij"
        )
        frames.append(
            pd.DataFrame(
                {
                    "sex": np.array(["female", "male", "persons"])[g.ravel() % 3],
                    "area": [f"A{i}" for i in g.ravel()],
                    "quintile": label,
                    "age": AGES[b.ravel()].astype(int),
                    "cause": np.array(CAUSES)[c.ravel()],
                    "deaths": deaths.ravel(),
                    "population": population[g.ravel(), b.ravel()],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _decompose(data: pd.DataFrame, **extra):
    return life_expectancy_gap_by_cause(
        data,
        "deaths",
        "population",
        "age",
        compare="quintile",
        reference="least deprived",
        comparison="most deprived",
        group_by="area",
        **extra,
    )


def test_gap_equals_independent_life_expectancies() -> None:
    data = _tidy(1)
    result = _decompose(data, cause="cause")
    totals = data.groupby(["area", "quintile", "age"], as_index=False).agg(
        deaths=("deaths", "sum"), population=("population", "first")
    )
    le = life_expectancy(
        totals, "deaths", "population", "age", group_by=["area", "quintile"], le_age=0
    )
    wide = le.pivot(index="area", columns="quintile", values="value")
    expected_gap = (wide["least deprived"] - wide["most deprived"]).loc[result.summary["area"]]
    np.testing.assert_allclose(result.summary["gap"], expected_gap.to_numpy(), rtol=1e-12)
    assert (result.summary["gap"] > 0).all()


def test_components_sum_to_gap_and_excess_mortality_is_positive() -> None:
    data = _tidy(2, excess=1.6)
    result = _decompose(data, cause="cause")
    by_age = result.by_age.groupby("area", sort=False)["contribution"].sum()
    by_cause = result.by_cause.groupby("area", sort=False)["contribution"].sum()
    gap = result.summary.set_index("area")["gap"]
    np.testing.assert_allclose(by_age.loc[gap.index], gap, rtol=0, atol=1e-9)
    np.testing.assert_allclose(by_cause.loc[gap.index], gap, rtol=0, atol=1e-9)
    assert (gap > 0).all()
    assert len(result.by_age) == 2 * 20
    assert len(result.by_age_and_cause) == 2 * 20 * len(CAUSES)


def test_identical_populations_have_no_gap() -> None:
    data = _tidy(3)
    least = data[data["quintile"] == "least deprived"]
    twin = pd.concat([least, least.assign(quintile="most deprived")], ignore_index=True)
    result = _decompose(twin, cause="cause")
    np.testing.assert_allclose(result.summary["gap"], 0, atol=1e-12)
    np.testing.assert_allclose(result.by_age_and_cause["contribution"], 0, atol=1e-12)


def test_gap_goes_to_the_only_cause_that_differs() -> None:
    data = _tidy(6)
    least = data[data["quintile"] == "least deprived"]
    most = least.assign(quintile="most deprived")
    cancer = most["cause"] == "cancer"
    most.loc[cancer, "deaths"] = np.round(most.loc[cancer, "deaths"] * 1.2 + 1)
    result = _decompose(pd.concat([least, most], ignore_index=True), cause="cause")
    by_cause = result.by_cause.set_index(["area", "cause"])["contribution"]
    gap = result.summary.set_index("area")["gap"]
    for area in gap.index:
        assert by_cause.loc[(area, "cancer")] == pytest.approx(gap.loc[area], abs=1e-9)
        others = by_cause.loc[area].drop("cancer")
        np.testing.assert_allclose(others, 0, atol=1e-12)
    assert (gap > 0).all()


def test_age_only_and_ungrouped() -> None:
    data = _tidy(4, n_groups=1).drop(columns=["sex", "area"])
    age_only = data.groupby(["quintile", "age"], as_index=False).agg(
        deaths=("deaths", "sum"), population=("population", "first")
    )
    result = life_expectancy_gap_by_cause(
        age_only,
        "deaths",
        "population",
        "age",
        compare="quintile",
        reference="least deprived",
        comparison="most deprived",
    )
    assert result.by_cause is None
    assert result.by_age["contribution"].sum() == pytest.approx(
        result.summary["gap"].iloc[0], abs=1e-9
    )


def test_bad_input_raises() -> None:
    data = _tidy(5)
    negative = data.copy()
    negative.loc[3, "deaths"] = -1
    with pytest.raises(StatisticsError, match="negative deaths"):
        _decompose(negative, cause="cause")
    missing_band = data[~((data["age"] == 40) & (data["quintile"] == "most deprived"))]
    with pytest.raises(StatisticsError, match="age band missing"):
        _decompose(missing_band, cause="cause")
    uneven = data.copy()
    uneven.loc[0, "population"] += 1
    with pytest.raises(StatisticsError, match="differs between cause rows"):
        _decompose(uneven, cause="cause")
    with pytest.raises(StatisticsError, match="has no rows"):
        life_expectancy_gap_by_cause(
            data,
            "deaths",
            "population",
            "age",
            compare="quintile",
            reference="least deprived",
            comparison="middle",
            group_by="area",
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    excess=st.floats(0.5, 3.0),
    n_groups=st.integers(1, 4),
)
def test_decomposition_is_exact(seed: int, excess: float, n_groups: int) -> None:
    result = _decompose(_tidy(seed, n_groups=n_groups, excess=excess), cause="cause")
    gap = result.summary.set_index("area")["gap"]
    by_age = result.by_age.groupby("area")["contribution"].sum().loc[gap.index]
    by_cause = result.by_cause.groupby("area")["contribution"].sum().loc[gap.index]
    np.testing.assert_allclose(by_age, gap, rtol=0, atol=1e-9)
    np.testing.assert_allclose(by_cause, gap, rtol=0, atol=1e-9)
    per_band = result.by_age_and_cause.groupby(["area", "age"])["contribution"].sum()
    band = result.by_age.set_index(["area", "age"])["contribution"].loc[per_band.index]
    np.testing.assert_allclose(per_band, band, rtol=0, atol=1e-9)
