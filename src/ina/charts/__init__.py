"""Charts for the INA: matplotlib only, colour-blind-safe, directly labelled, deterministic.

One module per chart kind (:mod:`~ina.charts.pyramid`, :mod:`~ina.charts.bars`,
:mod:`~ina.charts.lines`, :mod:`~ina.charts.deciles`). Every chart function returns
``(Figure, data)`` where ``data`` is the table of exactly what was drawn (published next
to the figure), and each has a ``describe_*`` function that writes the alt text: the
chart's structure and its main message, computed from the same data.

The Live Well charts are in :mod:`~ina.charts.places` (the places compared, small
multiples one panel per indicator, and the funnel plots of practices, from
:mod:`ina.stats.funnel`); the indicator x place matrix (:mod:`~ina.charts.matrix`, seaborn)
returns a :class:`ChartResult` ``(figure, data, alt_text)``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Imported on first use, not with the package: seaborn costs about 0.25 s per process,
# which every chapter notebook importing ina.charts.spine would otherwise pay.
_EXPORTS = {
    "ChartResult": "ina.charts._result",
    "describe_indicator_matrix": "ina.charts.matrix",
    "indicator_matrix": "ina.charts.matrix",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'ina.charts' has no attribute {name!r}")
