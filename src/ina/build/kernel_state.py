"""What a reused kernel must forget between two notebooks.

A build runs many notebooks in one kernel per worker (:mod:`ina.build.execute`): starting
a kernel and importing pandas, SciPy, matplotlib and ``ina`` costs seconds per notebook.
A notebook must still give the bytes it gives in a fresh kernel (``ina verify`` re-runs
notebooks in fresh kernels and compares). So, before each notebook, the kernel runs
:data:`RESET_SOURCE`: the user namespace is emptied (``%reset -f``), open figures are
closed, and matplotlib's rcParams and the warning filters are put back as they were
before the first notebook, with the registries that make a warning show only once
cleared (a warning a notebook shows in a fresh kernel is shown again).

Imported modules stay imported on purpose: that is the saving. ``ina`` keeps no state
between notebooks other than caches of immutable inputs keyed by file checksums, and the
PNGs of figures keyed by everything they were drawn from
(:func:`ina.publishing.figures.mark_reproducible`), which a fresh kernel would draw with
the same bytes.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any

__all__ = ["RESET_SOURCE", "reset_between_notebooks"]

RESET_SOURCE = (
    "%reset -f\n"
    "from ina.build.kernel_state import reset_between_notebooks\n"
    "reset_between_notebooks()\n"
    "del reset_between_notebooks\n"
)
"""The cell a reused kernel runs before each notebook (removed from the saved notebook)."""

_FIRST_STATE: tuple[dict[str, Any], list[Any]] | None = None


def reset_between_notebooks() -> None:
    """Put matplotlib and the warnings machinery back to the kernel's first state."""
    global _FIRST_STATE
    import matplotlib
    import matplotlib.pyplot as plt

    plt.close("all")
    if _FIRST_STATE is None:
        _FIRST_STATE = (dict(matplotlib.rcParams), list(warnings.filters))
        return
    rc, filters = _FIRST_STATE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated rc keys warn when they are set
        matplotlib.rcParams.update(rc)
    warnings.filters[:] = filters
    warnings.onceregistry.clear()
    for module in list(sys.modules.values()):
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()
    mutated = getattr(warnings, "_filters_mutated", None)
    if mutated is not None:
        mutated()
