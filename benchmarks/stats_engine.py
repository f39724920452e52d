"""Time the statistics engine's vectorised functions against naive per-group loops.

Generates deterministic synthetic data (fixed seed) and, for each stage, times the
vectorised ``ina.stats`` function and a naive implementation that loops over groups the
way an analyst's first script would (plain Python per area, or one pandas call per
group), checks that both give the same numbers, and prints a table:

    stage | rows | vectorised s | naive s | speed-up | max relative difference

Stages:

* DSR with 95% and 99.8% Dobson limits, 10,000 areas × 19 ESP2013 bands
  (naive: plain-Python DSR, variance and Byar's limits per area);
* life expectancy with 95% and 99.8% limits, 1,000 areas × 20 bands
  (naive: one ``life_expectancy`` call per area);
* Fingertips recent trends over 10,000 area × indicator series of 6 years, half
  proportions (chi-squared) and half rates (weighted regression)
  (naive: plain-Python sums per series);
* Fingertips benchmarking of 10,000 area × indicator values against England at 95% and
  99.8% (naive: a Python ``if`` chain per row).

Runs in well under two minutes on a laptop. Timings are printed, never asserted.

    PYTHONPATH=src python3 benchmarks/stats_engine.py
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

from ina.stats.benchmarking import compare_with_benchmark  # noqa: E402
from ina.stats.dsr import directly_standardised_rate  # noqa: E402
from ina.stats.life_expectancy import life_expectancy  # noqa: E402
from ina.stats.standard_populations import ESP2013  # noqa: E402
from ina.stats.trends import TREND_CHI_SQUARED_THRESHOLD, recent_trend  # noqa: E402

SEED = 20240601
LEVELS = (0.95, 0.998)


def timed(function: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def max_relative_difference(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    both_missing = np.isnan(a) & np.isnan(b)
    if (np.isnan(a) != np.isnan(b)).any():
        return math.inf
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = np.abs(a - b) / np.maximum(np.abs(b), 1e-300)
    return float(np.max(np.where(both_missing, 0.0, diff), initial=0.0))


# ---------------------------------------------------------------------------------------
# DSR
# ---------------------------------------------------------------------------------------


def dsr_data(areas: int, rng: np.random.Generator) -> pd.DataFrame:
    bands = list(ESP2013.index)
    band_rate = np.geomspace(20e-5, 2500e-5, len(bands))  # deaths per person, by age
    population = rng.integers(800, 12_000, size=(areas, len(bands)))
    counts = rng.poisson(population * band_rate * rng.uniform(0.7, 1.4, size=(areas, 1)))
    return pd.DataFrame(
        {
            "area": np.repeat([f"E{i:06d}" for i in range(areas)], len(bands)),
            "age_band": np.tile(bands, areas),
            "count": counts.ravel(),
            "pop": population.ravel(),
            "esp": np.tile(ESP2013.to_numpy(), areas),
        }
    )


def _byars(observed: float, z: float) -> tuple[float, float]:
    lower = observed * (1 - 1 / (9 * observed) - z / (3 * math.sqrt(observed))) ** 3
    upper_base = observed + 1
    upper = upper_base * (1 - 1 / (9 * upper_base) + z / (3 * math.sqrt(upper_base))) ** 3
    return lower, upper


def dsr_naive(data: pd.DataFrame) -> pd.DataFrame:
    """Plain Python: per area, DSR and Dobson limits (Byar's limits on the total count)."""
    z = {level: NormalDist().inv_cdf(level + (1 - level) / 2) for level in LEVELS}
    rows = []
    records = data[["area", "count", "pop", "esp"]].itertuples(index=False)
    current, bands = None, []
    for record in [*records, None]:
        if record is not None and record.area == current:
            bands.append(record)
            continue
        if bands:
            weight = sum(b.esp for b in bands)
            observed = sum(b.count for b in bands)
            value = sum(b.esp * b.count / b.pop for b in bands) / weight * 1e5
            variance = sum(b.esp**2 * b.count / b.pop**2 for b in bands) / weight**2 * 1e10
            row = {"area": current, "value": value}
            for level in LEVELS:
                low, high = _byars(observed, z[level])
                spread = math.sqrt(variance / observed)
                suffix = f"{level * 100:.1f}".replace(".", "_")
                row[f"lower{suffix}cl"] = value + spread * (low - observed)
                row[f"upper{suffix}cl"] = value + spread * (high - observed)
            rows.append(row)
        if record is not None:
            current, bands = record.area, [record]
    return pd.DataFrame(rows)


def stage_dsr(rng: np.random.Generator) -> dict[str, Any]:
    data = dsr_data(10_000, rng)
    vectorised, vectorised_s = timed(
        lambda: directly_standardised_rate(
            data,
            "count",
            "pop",
            standard_population="esp",
            group_by="area",
            confidence=LEVELS,
        )
    )
    naive, naive_s = timed(lambda: dsr_naive(data))
    columns = ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
    difference = max(
        max_relative_difference(vectorised[c].to_numpy(), naive[c].to_numpy()) for c in columns
    )
    return {
        "stage": "DSR 95%+99.8% (10,000 areas × 19 bands)",
        "rows": len(data),
        "vectorised": vectorised_s,
        "naive": naive_s,
        "difference": difference,
    }


# ---------------------------------------------------------------------------------------
# Life expectancy
# ---------------------------------------------------------------------------------------


def life_expectancy_data(areas: int, rng: np.random.Generator) -> pd.DataFrame:
    start_ages = np.array([0, 1, *range(5, 95, 5)])
    widths = np.diff(np.append(start_ages, 100))
    mortality = 0.00008 * np.exp(0.087 * (start_ages + widths / 2))
    mortality[0] = 0.004
    population = rng.integers(600, 5_000, size=(areas, start_ages.size)) * widths.clip(max=5)
    population[:, -1] //= 3
    deaths = rng.poisson(population * mortality * rng.uniform(0.8, 1.25, size=(areas, 1)))
    deaths = np.minimum(deaths, population - 1)
    return pd.DataFrame(
        {
            "area": np.repeat([f"E{i:06d}" for i in range(areas)], start_ages.size),
            "startage": np.tile(start_ages, areas),
            "deaths": deaths.ravel(),
            "pop": population.ravel(),
        }
    )


def stage_life_expectancy(rng: np.random.Generator) -> dict[str, Any]:
    data = life_expectancy_data(1_000, rng)

    def run(frame: pd.DataFrame) -> pd.DataFrame:
        return life_expectancy(
            frame, "deaths", "pop", "startage", group_by="area", confidence=LEVELS
        )

    vectorised, vectorised_s = timed(lambda: run(data))

    def naive() -> pd.DataFrame:
        return pd.concat(
            [run(group) for _, group in data.groupby("area", sort=False)], ignore_index=True
        )

    looped, naive_s = timed(naive)
    columns = ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
    difference = max(
        max_relative_difference(vectorised[c].to_numpy(), looped[c].to_numpy()) for c in columns
    )
    return {
        "stage": "Life expectancy 95%+99.8% (1,000 areas × 20 bands)",
        "rows": len(data),
        "vectorised": vectorised_s,
        "naive": naive_s,
        "difference": difference,
    }


# ---------------------------------------------------------------------------------------
# Trends
# ---------------------------------------------------------------------------------------


def trend_data(series: int, rng: np.random.Generator) -> pd.DataFrame:
    years = np.arange(2017, 2023)
    denominator = rng.integers(2_000, 60_000, size=(series, 1)) * np.ones((1, years.size))
    start = rng.uniform(0.05, 0.4, size=(series, 1))
    change = rng.normal(0, 0.01, size=(series, 1))
    proportion = np.clip(start + change * np.arange(years.size), 0.01, 0.95)
    count = rng.binomial(denominator.astype(int), proportion).astype(float)
    value = count / denominator * 100
    half_width = 1.96 * np.sqrt(value * (100 - value) / denominator)
    kind = np.where(np.arange(series) % 2 == 0, "proportion", "rate")
    return pd.DataFrame(
        {
            "series": np.repeat(np.arange(series), years.size),
            "year": np.tile(years, series),
            "value": value.ravel(),
            "lower": (value - half_width).ravel(),
            "upper": (value + half_width).ravel(),
            "count": count.ravel(),
            "denominator": denominator.ravel(),
            "method": np.repeat(kind, years.size),
            "polarity": np.repeat(
                np.where(np.arange(series) % 3 == 0, "low is good", "high is good"), years.size
            ),
        }
    )


def _slope(points: list[tuple[float, float, float]]) -> float:
    s1 = sum(w for _, _, w in points)
    s2 = sum(w * t * y for t, y, w in points)
    s3 = sum(w * t for t, _, w in points)
    s4 = sum(w * y for _, y, w in points)
    s5 = sum(w * t * t for t, _, w in points)
    return (s1 * s2 - s3 * s4) / (s1 * s5 - s3 * s3)


def _robust(points: list[tuple[float, float, float]]) -> bool:
    signs = [_slope(points)] + [_slope(points[:i] + points[i + 1 :]) for i in range(5)]
    return abs(sum(-1 if s < 0 else 1 for s in signs)) == 6


def trends_naive(data: pd.DataFrame) -> pd.DataFrame:
    """Plain Python per series: the same Fingertips tests, one series at a time."""
    rows = []
    for key, group in data.groupby("series", sort=True):
        last = group.sort_values("year").tail(5)
        t = [1.0, 2.0, 3.0, 4.0, 5.0]
        if last["method"].iloc[0] == "proportion":
            x, n = list(last["count"]), list(last["denominator"])
            big_n, big_x = sum(n), sum(x)
            s_nt = sum(a * b for a, b in zip(n, t, strict=True))
            s_nt2 = sum(a * b * b for a, b in zip(n, t, strict=True))
            s_xt = sum(a * b for a, b in zip(x, t, strict=True))
            direction = big_n * s_xt - big_x * s_nt
            chi2 = big_n * direction**2 / (big_x * (big_n - big_x) * (big_n * s_nt2 - s_nt**2))
            logits = [math.log(a / (b - a)) for a, b in zip(x, n, strict=True)]
            robust = _robust(list(zip(t, logits, [1.0] * 5, strict=True)))
        else:
            y = list(last["value"])
            w = [
                1 / ((u - lo) / 3.92) ** 2
                for lo, u in zip(last["lower"], last["upper"], strict=True)
            ]
            points = list(zip(t, y, w, strict=True))
            direction = _slope(points)
            s1, s3, s5 = (
                sum(w),
                sum(a * b for a, b in zip(w, t, strict=True)),
                sum(a * b * b for a, b in zip(w, t, strict=True)),
            )
            chi2 = direction**2 / (s1 / (s1 * s5 - s3**2))
            robust = _robust(points)
        significant = robust and chi2 > TREND_CHI_SQUARED_THRESHOLD
        good = last["polarity"].iloc[0] == "high is good"
        if not significant:
            label = "No significant change"
        elif direction > 0:
            label = "Increasing and getting " + ("better" if good else "worse")
        else:
            label = "Decreasing and getting " + ("worse" if good else "better")
        rows.append({"series": key, "trend": label, "chi_squared": chi2})
    return pd.DataFrame(rows)


def stage_trends(rng: np.random.Generator) -> dict[str, Any]:
    data = trend_data(10_000, rng)
    vectorised, vectorised_s = timed(
        lambda: recent_trend(
            data,
            "year",
            "polarity",
            method="method",
            value="value",
            lower="lower",
            upper="upper",
            count="count",
            denominator="denominator",
            group_by="series",
        )
    )
    naive, naive_s = timed(lambda: trends_naive(data))
    same_labels = (vectorised["trend"].to_numpy() == naive["trend"].to_numpy()).all()
    difference = max_relative_difference(
        vectorised["chi_squared"].to_numpy(), naive["chi_squared"].to_numpy()
    )
    return {
        "stage": "Recent trends (10,000 series × 6 years)",
        "rows": len(data),
        "vectorised": vectorised_s,
        "naive": naive_s,
        "difference": difference if same_labels else math.inf,
    }


# ---------------------------------------------------------------------------------------
# Benchmarking
# ---------------------------------------------------------------------------------------


def benchmark_data(rows: int, rng: np.random.Generator) -> pd.DataFrame:
    value = rng.uniform(10, 90, rows)
    width = rng.uniform(0.5, 8, rows)
    return pd.DataFrame(
        {
            "value": value,
            "lower": value - width,
            "upper": value + width,
            "lower_998": value - width * 1.58,
            "upper_998": value + width * 1.58,
            "england": rng.uniform(30, 70, rows),
            "polarity": rng.choice(["high is good", "low is good", "no judgement"], rows),
        }
    )


def benchmarking_naive(data: pd.DataFrame) -> list[str]:
    labels = []
    for row in data.itertuples(index=False):
        if row.lower > row.england:
            direction = 1
        elif row.upper < row.england:
            direction = -1
        else:
            direction = 0
        strong = row.lower_998 > row.england or row.upper_998 < row.england
        if direction == 0:
            labels.append("similar")
        elif row.polarity == "no judgement":
            labels.append("higher" if direction > 0 else "lower")
        else:
            better = (direction > 0) == (row.polarity == "high is good")
            labels.append(
                ("best" if strong else "better") if better else ("worst" if strong else "worse")
            )
    return labels


def stage_benchmarking(rng: np.random.Generator) -> dict[str, Any]:
    data = benchmark_data(10_000, rng)
    vectorised, vectorised_s = timed(
        lambda: compare_with_benchmark(
            data,
            "value",
            "lower",
            "upper",
            "england",
            "polarity",
            lower_998="lower_998",
            upper_998="upper_998",
        )
    )
    naive, naive_s = timed(lambda: benchmarking_naive(data))
    same = (vectorised["comparison"].to_numpy() == np.array(naive)).all()
    return {
        "stage": "Benchmarking 95%+99.8% (10,000 values)",
        "rows": len(data),
        "vectorised": vectorised_s,
        "naive": naive_s,
        "difference": 0.0 if same else math.inf,
    }


def main() -> int:
    rng = np.random.default_rng(SEED)
    results = []
    for stage in (stage_dsr, stage_life_expectancy, stage_trends, stage_benchmarking):
        results.append(stage(rng))
        print(f"  done: {results[-1]['stage']}", file=sys.stderr, flush=True)
    header = (
        f"{'stage':<52} {'rows':>8} {'vectorised s':>13} {'naive s':>9} {'speed-up':>9} "
        f"{'max rel diff':>13}"
    )
    print(header)
    print("-" * len(header))
    failed = False
    for r in results:
        speed_up = r["naive"] / r["vectorised"] if r["vectorised"] > 0 else math.inf
        print(
            f"{r['stage']:<52} {r['rows']:>8,} {r['vectorised']:>13.3f} {r['naive']:>9.3f} "
            f"{speed_up:>8.1f}x {r['difference']:>13.1e}"
        )
        failed |= not r["difference"] <= 1e-9
    if failed:
        print("MISMATCH: the vectorised and naive results differ (see max rel diff)")
        return 1
    print("Vectorised and naive results agree (max relative difference <= 1e-9).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
