"""Time the indicator engine: every catalogue indicator for every area, on the demo data.

Reads the demo extracts once (as a build's validate step does), then times, separately,
the engine's values (``compute_indicators``), its annual series, and the whole results
object (values, England/region comparators, comparisons, recent trends and targets).

Target: the whole results object under 5 s on 2 cores.

    python benchmarks/indicator_engine.py [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

from ina.chapters.context import load_context  # noqa: E402
from ina.indicators import load_catalogue  # noqa: E402
from ina.indicators.engine import EngineInputs, annual_series, compute_indicators  # noqa: E402
from ina.indicators.results import build_results  # noqa: E402

TARGET_SECONDS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    warnings.simplefilter("ignore")  # life tables of small areas warn; not what is timed
    context = load_context(REPO_ROOT / "ina.yml", "icb")
    for name in context.settings.source_names():
        context.source(name)  # reading the extracts is the validate step's cost, not ours
    catalogue = load_catalogue()
    timings: dict[str, list[float]] = {"values": [], "annual series": [], "results": []}
    rows = areas = 0
    for _ in range(repeat):
        inputs = EngineInputs.from_context(context)
        started = time.perf_counter()
        values = compute_indicators(inputs, catalogue)
        timings["values"].append(time.perf_counter() - started)
        started = time.perf_counter()
        annual_series(inputs, catalogue)
        timings["annual series"].append(time.perf_counter() - started)
        started = time.perf_counter()
        results = build_results(EngineInputs.from_context(context), catalogue)
        timings["results"].append(time.perf_counter() - started)
        rows, areas = len(results.table), values["area_id"].nunique()
    print(f"{len(catalogue)} indicators x {areas} areas = {rows} result rows")
    for stage, seconds in timings.items():
        print(f"{stage:>14}: best {min(seconds):.2f} s of {repeat}")
    best = min(timings["results"])
    verdict = "within" if best < TARGET_SECONDS else "OVER"
    print(f"results object {best:.2f} s: {verdict} the {TARGET_SECONDS:.0f} s target")


if __name__ == "__main__":
    main()
