"""Time a cold full build on the demo data, stage by stage, and its peak memory.

Copies ina.yml, data_raw/, notebooks/, templates/ and _quarto.yml into a temporary folder
(so the repository's outputs/ and source cache are untouched and nothing is warm), runs
``ina.build.build`` there and prints the seconds of each step and the peak resident memory
of this process and of its children (Papermill workers and kernels, pandoc).

Target: a cold full build under 3 minutes on 2 cores.

    python benchmarks/build_stages.py [--workers N]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

from ina.build import build  # noqa: E402

PROJECT_FILES = ("ina.yml", "_quarto.yml")
PROJECT_FOLDERS = ("data_raw", "notebooks", "templates")
TARGET_SECONDS = 180


def copy_project(target: Path) -> Path:
    for name in PROJECT_FILES:
        shutil.copyfile(REPO_ROOT / name, target / name)
    for name in PROJECT_FOLDERS:
        shutil.copytree(REPO_ROOT / name, target / name)
    return target / "ina.yml"


def peak_megabytes(who: int) -> float:
    """Peak resident set size in MiB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ina-bench-") as folder:
        config = copy_project(Path(folder))
        started = time.perf_counter()
        result = build(config, workers=arguments.workers)
        total = time.perf_counter() - started
    print(f"cold full build on demo data, {os.cpu_count()} cores, renderer {result.renderer.name}")
    print(f"{len(result.plan.areas)} areas x {len(result.plan.chapters)} chapters")
    for step, seconds in result.stage_seconds.items():
        print(f"  {step:<9} {seconds:7.1f} s")
    print(f"  {'total':<9} {total:7.1f} s  (target < {TARGET_SECONDS} s on 2 cores)")
    print(
        f"peak memory: this process {peak_megabytes(resource.RUSAGE_SELF):.0f} MiB, "
        f"largest child {peak_megabytes(resource.RUSAGE_CHILDREN):.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
