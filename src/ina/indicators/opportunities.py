"""Opportunities: people gained if every unit below a benchmark reached it (INDICATORS §11).

Why: the JFP's case for change is written in these terms ("if all these practices screened
at least the Norfolk and Waveney average then an additional 3,600 people would be screened
… for the Core20 most deprived GP practices this is an additional 1,400 people"). The
calculation is generic: for units *p* (practices, PCNs or small areas) with numerator xₚ
and denominator nₚ and a benchmark *b* (a proportion), the people gained are

    G = Σₚ max(0, b·nₚ − xₚ)

over the units below the benchmark. Units above it are **never netted off**: an
over-performing practice does not cancel an under-performing one. The Core20 subset sums
the same over Core20 units, with its share of G. For a "lower is better" outcome (e.g.
smoking at delivery) the gain is Σ max(0, xₚ − b·nₚ): people who would not have it.

The benchmark is stated with every result: the ICB value (population-weighted, Σx/Σn, or
the mean of the unit rates), England's value, the upper quartile of the unit rates, or a
target, so a reader can see which question was answered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ina.errors import StatisticsError

__all__ = ["BENCHMARKS", "Opportunity", "benchmark_value", "levelling_up"]

#: Benchmark kinds and how the output names them.
BENCHMARKS: dict[str, str] = {
    "icb_weighted": "the ICB value (all units pooled, Σx/Σn)",
    "icb_mean": "the mean of the units' values",
    "upper_quartile": "the upper quartile of the units' values",
    "england": "England's value",
    "target": "the target",
}


@dataclass(frozen=True)
class Opportunity:
    """The result of one levelling-up calculation, with what it assumed."""

    benchmark: float
    benchmark_kind: str
    units: int
    units_below: int
    gained: float
    core20_units_below: int
    core20_gained: float

    @property
    def core20_share(self) -> float:
        """Core20's share of the people gained (NaN when nobody is gained)."""
        return self.core20_gained / self.gained if self.gained > 0 else float("nan")

    @property
    def method(self) -> str:
        """The assumptions in words, printed beside every opportunity."""
        return (
            f"every unit below {BENCHMARKS[self.benchmark_kind]} ({self.benchmark:.1%}) raised "
            "to it; units above it are not netted off"
        )


def _shares(units: pd.DataFrame) -> np.ndarray:
    n = units["denominator"].to_numpy(dtype=float)
    x = units["numerator"].to_numpy(dtype=float)
    return np.divide(x, n, out=np.full(len(units), np.nan), where=n > 0)


def benchmark_value(units: pd.DataFrame, kind: str, *, given: float | None = None) -> float:
    """The benchmark proportion of ``units`` (``numerator, denominator``) for ``kind``.

    ``england`` and ``target`` take ``given`` (a proportion, 0-1); the others are computed
    from the units with a denominator.
    """
    if kind not in BENCHMARKS:
        raise StatisticsError(f"unknown benchmark {kind!r}; allowed: {', '.join(BENCHMARKS)}")
    if kind in ("england", "target"):
        if given is None or not 0 <= given <= 1:
            raise StatisticsError(
                f"benchmark {kind!r} needs a proportion from 0 to 1, got {given!r}"
            )
        return float(given)
    shares = _shares(units)
    valid = ~np.isnan(shares)
    if not valid.any():
        raise StatisticsError("no unit has a denominator: the benchmark cannot be computed")
    if kind == "icb_weighted":
        kept = units[valid]
        return float(kept["numerator"].sum() / kept["denominator"].sum())
    if kind == "icb_mean":
        return float(shares[valid].mean())
    return float(np.quantile(shares[valid], 0.75))


def levelling_up(
    units: pd.DataFrame,
    kind: str,
    *,
    given: float | None = None,
    higher_is_better: bool = True,
) -> Opportunity:
    """People gained if every unit below the benchmark reached it.

    ``units``: one row per practice (PCN, small area) with ``numerator``, ``denominator``
    and ``core20`` (bool: a Core20 practice or small area, by the configured rule).
    """
    for column in ("numerator", "denominator", "core20"):
        if column not in units:
            raise StatisticsError(f"levelling_up needs a {column!r} column")
    target = benchmark_value(units, kind, given=given)
    x = units["numerator"].to_numpy(dtype=float)
    n = units["denominator"].to_numpy(dtype=float)
    if (x < 0).any() or (n < 0).any() or (x > n).any():
        raise StatisticsError("levelling_up needs 0 <= numerator <= denominator for every unit")
    gap = target * n - x if higher_is_better else x - target * n
    gained = np.maximum(0.0, gap)
    below = gained > 0
    core20 = units["core20"].to_numpy(dtype=bool)
    return Opportunity(
        benchmark=target,
        benchmark_kind=kind,
        units=len(units),
        units_below=int(below.sum()),
        gained=float(gained.sum()),
        core20_units_below=int((below & core20).sum()),
        core20_gained=float(gained[core20].sum()),
    )
