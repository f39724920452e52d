"""A pytest plugin for ``ina verify``'s nbval run: keep the PNGs the re-execution drew.

nbval compares every re-computed output with the published one except images (their bytes
are not compared by default). Loaded with ``-p ina.build._nbval_figures``, this plugin
records each code cell's re-computed ``image/png`` outputs into the JSON-lines file named
by ``$INA_VERIFY_FIGURES``, so ``ina verify`` can compare them byte for byte with the
published figures without executing the notebook a second time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest

FIGURES_ENV = "INA_VERIFY_FIGURES"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: Any) -> Iterator[None]:
    yield
    target = os.environ.get(FIGURES_ENV)
    outputs = getattr(item, "test_outputs", None)
    if not target or outputs is None:
        return
    pngs = [
        output["data"]["image/png"]
        for output in outputs
        if isinstance(output.get("data"), dict) and "image/png" in output["data"]
    ]
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"cell": item.cell_num, "png": pngs}) + "\n")
