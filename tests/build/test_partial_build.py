"""A build without the births extract publishes, and says what it could not compute."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ina.build import build

pytestmark = pytest.mark.slow

CHAPTERS = ["summary", "population", "start_well"]


def _without(config: Path, source: str) -> None:
    text = config.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not re.match(rf"\s+{source}:", line)]
    assert len(kept) == len(text.splitlines()) - 1
    config.write_text("\n".join(kept) + "\n", encoding="utf-8")


def test_a_build_without_births_publishes_and_names_what_is_missing(
    make_project, tmp_path_factory: pytest.TempPathFactory
) -> None:
    config = make_project(tmp_path_factory.mktemp("no-births"), CHAPTERS)
    _without(config, "births")
    result = build(config, workers=2)
    out = result.output_dir

    population = json.loads((out / "notebooks" / "icb" / "population.ipynb").read_text())
    shown = "".join(
        "".join(output.get("data", {}).get("text/markdown", ""))
        for cell in population["cells"]
        for output in cell.get("outputs", [])
    )
    assert "This section is not available (source not supplied: births)." in shown
    assert not list(out.glob("data/icb/population/pop-births-deaths*"))
    assert list(out.glob("data/icb/population/pop-pyramid*")), "other sections still publish"

    indicators = (out / "data" / "indicators.csv").read_text(encoding="utf-8")
    assert "birth_rate" not in indicators and "resident_population" in indicators

    report = next((out / "report").glob("*.html")).read_text(encoding="utf-8")
    assert "Coverage" in report
    row = re.search(r"<tr[^>]*>\s*<td[^>]*>births</td>.*?</tr>", report, re.S)
    assert row is not None and "not supplied" in row.group(0)
