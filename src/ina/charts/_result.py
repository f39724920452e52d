"""What the newer chart functions return: the figure, the table it drew, and its alt text.

The older chart modules return ``(Figure, data)`` and a separate ``describe_*`` function;
the matrix, small-multiples and funnel charts return all three together so that a
chapter cannot publish a chart without the text that describes it. A ``ChartResult``
unpacks like a tuple: ``fig, data, alt_text = indicator_matrix(...)``.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
from matplotlib.figure import Figure

__all__ = ["ChartResult"]


class ChartResult(NamedTuple):
    """A drawn chart: ``figure``, ``data`` (the CSV twin: what was drawn) and ``alt_text``."""

    figure: Figure
    data: pd.DataFrame
    alt_text: str
