"""Charts for the INA: matplotlib only, colour-blind-safe, directly labelled, deterministic.

One module per chart kind (:mod:`~ina.charts.pyramid`, :mod:`~ina.charts.bars`,
:mod:`~ina.charts.lines`, :mod:`~ina.charts.deciles`). Every chart function returns
``(Figure, data)`` where ``data`` is the table of exactly what was drawn (published next
to the figure), and each has a ``describe_*`` function that writes the alt text: the
chart's structure and its main message, computed from the same data.

The newer charts (:mod:`~ina.charts.matrix`, :mod:`~ina.charts.small_multiples`,
:mod:`~ina.charts.funnel`) return a :class:`ChartResult` ``(figure, data, alt_text)``.
"""

from ina.charts._result import ChartResult
from ina.charts.funnel import describe_funnel, funnel_chart
from ina.charts.matrix import describe_indicator_matrix, indicator_matrix
from ina.charts.small_multiples import describe_small_multiples, small_multiples

__all__ = [
    "ChartResult",
    "describe_funnel",
    "describe_indicator_matrix",
    "describe_small_multiples",
    "funnel_chart",
    "indicator_matrix",
    "small_multiples",
]
