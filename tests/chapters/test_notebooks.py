"""The chapter notebooks run end to end on the demo data, for a place, deterministically."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = ["population", "deprivation"]


@pytest.fixture(scope="module")
def demo_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of ina.yml beside the committed demo extracts (skip when they are absent)."""
    if not (REPO / "data_raw" / "population").is_dir():
        pytest.skip("data_raw/ demo extracts are not present")
    return REPO / "ina.yml"


def _execute(notebook: str, config: Path, area: str, artefacts: Path, output: Path) -> None:
    papermill = pytest.importorskip("papermill")
    environment = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), environment]))
    try:
        papermill.execute_notebook(
            str(REPO / "notebooks" / f"{notebook}.ipynb"),
            str(output),
            parameters={"area": area, "config_path": str(config), "artefact_dir": str(artefacts)},
            kernel_name="python3",
            progress_bar=False,
        )
    finally:
        os.environ["PYTHONPATH"] = environment


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_for_a_place_and_is_deterministic(
    notebook: str, demo_config: Path, tmp_path: Path
) -> None:
    outputs = []
    for run in (1, 2):
        target = tmp_path / f"{notebook}-{run}.ipynb"
        _execute(notebook, demo_config, "west-norfolk", tmp_path / f"art{run}", target)
        outputs.append([cell.get("outputs") for cell in nbformat.read(target, 4).cells])
    assert outputs[0] == outputs[1]
    folder = tmp_path / "art1" / "west-norfolk" / notebook
    pngs = sorted(folder.glob("*.png"))
    assert pngs, "every figure saves its PNG"
    for png in pngs:
        assert png.with_suffix(".csv").is_file(), f"{png.name} has no data table"
        assert (
            png.read_bytes()
            == (tmp_path / "art2" / png.relative_to(tmp_path / "art1")).read_bytes()
        )
    shown = [
        output["data"]["text/markdown"]
        for cell in outputs[0]
        for output in cell or []
        if "text/markdown" in output.get("data", {})
    ]
    assert any(text.startswith("### Key findings ") for text in shown)
    assert any("{#tbl-" in text for text in shown)
    shutil.rmtree(tmp_path / "art2")


def test_committed_notebooks_follow_the_contract() -> None:
    for name in NOTEBOOKS:
        notebook = nbformat.read(REPO / "notebooks" / f"{name}.ipynb", 4)
        assert notebook.metadata["kernelspec"]["name"] == "python3"
        first = notebook.cells[0]
        assert "parameters" in first.metadata.get("tags", [])
        for assignment in ('area = "icb"', 'config_path = "ina.yml"', "artefact_dir ="):
            assert assignment in first.source
        markdown = [cell for cell in notebook.cells if cell.cell_type == "markdown"]
        # Deprivation became the Inequalities chapter (issue "The Live Well chapters").
        assert markdown[0].source == {"deprivation": "# Inequalities"}.get(
            name, f"# {name.capitalize()}"
        )
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            assert cell.outputs == [] and cell.execution_count is None
            if "#| label: fig-" in cell.source:
                assert "#| fig-cap: " in cell.source and "#| fig-alt: " in cell.source
                assert "publish.figure(" in cell.source
