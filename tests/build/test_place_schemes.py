"""Switching the place scheme is a one-line config change, and the build follows it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURE_CHAPTER, ProjectFactory

from ina.build import build

pytestmark = pytest.mark.slow

JFP_PLACES = [
    "great-yarmouth-and-waveney",
    "north-norfolk",
    "norwich",
    "south-norfolk",
    "west-norfolk",
]


def test_jfp_scheme_gives_one_pdf_per_jfp_place(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    config = make_project(tmp_path / "project", [FIXTURE_CHAPTER])
    text = config.read_text(encoding="utf-8")
    assert "place_scheme: phip_alliances" in text
    config.write_text(
        text.replace("place_scheme: phip_alliances", "place_scheme: jfp_norfolk_waveney"),
        encoding="utf-8",
    )

    result = build(config)

    places = sorted(path.stem for path in (result.output_dir / "places").glob("*.pdf"))
    assert places == JFP_PLACES
    notebooks = sorted(path.name for path in (result.output_dir / "notebooks").iterdir())
    assert notebooks == sorted(["icb", *JFP_PLACES])
    manifest = json.loads((result.output_dir / "manifest.json").read_text(encoding="utf-8"))
    assert "jfp_norfolk_waveney" in json.dumps(manifest["config"])
