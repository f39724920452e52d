"""Public health statistics: PHEindicatormethods parity and Fingertips conventions.

One module per statistic, each function naming its method and source in its docstring:

- ``intervals``: Wilson score, Byar's and exact Poisson confidence limits;
- ``proportions``, ``rates``, ``means``: proportions (Wilson), crude rates (exact Poisson
  below 10 events, Byar's otherwise), means (Student's t);
- ``dsr``: directly standardised rates (Dobson, incl. non-independent events), with the
  2013 European Standard Population in ``standard_populations``;
- ``isr``: indirectly standardised rates and ratios;
- ``life_expectancy``: Chiang II abridged life tables with the Silcocks variance;
- ``inequality``: slope and relative index of inequality with simulated intervals;
- ``quantiles``: deprivation (or any) quantile assignment;
- ``decomposition``: the Arriaga decomposition of a life-expectancy gap by age and cause;
- ``funnel``: funnel plot limits and significance;
- ``rate_ratio``: rate ratios between groups (most vs least deprived, Core20 vs the
  rest): closed-form log intervals, and a Poisson GLM with adjustment and a trend test;
- ``benchmarking``, ``trends``, ``spine``: Fingertips comparison with a benchmark
  (polarity-aware), recent trend markers and spine-chart scaling.

All of them take tidy pandas frames, compute groups at once with numpy, accept any
confidence level (or 95% and 99.8% together) and raise :class:`ina.errors.StatisticsError`
on bad input instead of returning a silent NaN.
"""

from ina.stats._confidence import normalise_confidence
from ina.stats.benchmarking import Polarity, compare_with_benchmark, compare_with_quintiles
from ina.stats.decomposition import life_expectancy_gap_by_cause
from ina.stats.dsr import directly_standardised_rate
from ina.stats.funnel import (
    assign_funnel_significance,
    calculate_funnel_limits,
    calculate_funnel_points,
)
from ina.stats.inequality import slope_index_of_inequality
from ina.stats.isr import indirectly_standardised_rate, indirectly_standardised_ratio
from ina.stats.life_expectancy import life_expectancy
from ina.stats.means import mean_with_ci
from ina.stats.proportions import proportion
from ina.stats.quantiles import quantiles
from ina.stats.rate_ratio import PoissonRateRatios, poisson_rate_ratios, rate_ratio
from ina.stats.rates import crude_rate
from ina.stats.spine import spine_chart_data
from ina.stats.standard_populations import ESP2013
from ina.stats.trends import recent_trend

__all__ = [
    "ESP2013",
    "PoissonRateRatios",
    "Polarity",
    "assign_funnel_significance",
    "calculate_funnel_limits",
    "calculate_funnel_points",
    "compare_with_benchmark",
    "compare_with_quintiles",
    "crude_rate",
    "directly_standardised_rate",
    "indirectly_standardised_rate",
    "indirectly_standardised_ratio",
    "life_expectancy",
    "life_expectancy_gap_by_cause",
    "mean_with_ci",
    "normalise_confidence",
    "poisson_rate_ratios",
    "proportion",
    "quantiles",
    "rate_ratio",
    "recent_trend",
    "slope_index_of_inequality",
    "spine_chart_data",
]
