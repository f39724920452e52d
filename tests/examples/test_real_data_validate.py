"""`ina validate` on variants of examples/real-data/ina.yml: what it must refuse, in one line.

Issue 9: checks that used to fail only at build time belong in validate. With the real
files: an LSOA 2011 lookup beside IoD2025 on LSOA 2021 (a vintage mix), and the PHIP
alliances without registrations by small area (no practice in any alliance).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ina.cli import app

pytestmark = pytest.mark.real_data

REPO = Path(__file__).resolve().parents[2]
REAL_DATA = REPO.parent / "shared" / "real-data"
EXAMPLE = REPO / "examples" / "real-data" / "ina.yml"
IOD2025 = (
    "iod2025_header_sample/"
    "File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.HEADER_SAMPLE.csv"
)


def _variant(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    """The committed example, edited, in a folder laid out like the repository."""
    if not REAL_DATA.is_dir():
        pytest.skip("../shared/real-data is not available")
    (tmp_path / "shared").symlink_to(REAL_DATA.parent, target_is_directory=True)
    project = tmp_path / "repo" / "examples" / "real-data"
    project.mkdir(parents=True)
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    (project / "ina.yml").write_text(text, encoding="utf-8")
    shutil.copytree(REPO / "notebooks", project / "notebooks")
    return project / "ina.yml"


def _validate(config: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", "--config", str(config)], env={"COLUMNS": "240"})
    return result.exit_code, result.output


def _error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("ina: ")]
    assert len(lines) == 1, output[-3000:]
    return lines[0]


def test_a_2011_lookup_with_iod2025_on_2021_is_refused_in_one_line(tmp_path: Path) -> None:
    config = _variant(
        tmp_path,
        ("iod2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx", IOD2025),
    )
    code, output = _validate(config)
    assert code == 3, output[-3000:]
    line = _error_line(output)
    assert "LSOA vintages disagree" in line
    assert "small_area_lookup: LSOA 2011" in line and "deprivation: LSOA 2021" in line
    assert "resident_totals: LSOA 2011" in line
    assert "HEADER_SAMPLE.csv" in line
    assert "Traceback" not in output


def test_alliances_without_registrations_by_small_area_are_refused(tmp_path: Path) -> None:
    config = _variant(tmp_path, ("place_scheme: sub_icb_locations", "place_scheme: phip_alliances"))
    code, output = _validate(config)
    assert code == 2, output[-3000:]
    line = _error_line(output)
    assert re.search(r"leaves no practice in place\(s\) west-norfolk, central-norfolk", line)
    assert "registered_by_small_area" in line
