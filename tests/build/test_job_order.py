"""Notebooks are handed to the workers longest first (most figures), outcomes in plan order."""

from __future__ import annotations

from pathlib import Path

from ina.build.execute import ExecutionRequest, figure_count, longest_first


def _notebook(folder: Path, name: str, figures: int) -> Path:
    cells = "".join(f"#| label: fig-{name}-{n}\\n" for n in range(figures))
    path = folder / f"{name}.ipynb"
    path.write_text('{"cells": [{"source": "' + cells + '"}]}', encoding="utf-8")
    return path


def _request(notebook: Path, area: str) -> ExecutionRequest:
    return ExecutionRequest(
        job_name=f"{notebook.stem}/{area}",
        notebook=notebook,
        output=notebook.with_name(f"{notebook.stem}-{area}.out.ipynb"),
        working_dir=notebook.parent,
        parameters={"area": area},
        log=notebook.with_suffix(".log"),
        config_file=notebook.parent / "ina.yml",
    )


def test_the_notebooks_with_most_figures_go_first_and_ties_keep_plan_order(
    tmp_path: Path,
) -> None:
    short, long, middle = (
        _notebook(tmp_path, "die_well", 2),
        _notebook(tmp_path, "summary", 16),
        _notebook(tmp_path, "stay_well", 9),
    )
    assert (figure_count(short), figure_count(long)) == (2, 16)
    plan = [_request(nb, area) for area in ("icb", "west-norfolk") for nb in (short, long, middle)]
    order = [request.job_name for request in longest_first(plan)]
    assert order == [
        "summary/icb",
        "summary/west-norfolk",
        "stay_well/icb",
        "stay_well/west-norfolk",
        "die_well/icb",
        "die_well/west-norfolk",
    ]
    assert figure_count(tmp_path / "missing.ipynb") == 0
