"""Notebook outputs -> report markdown: what reaches the report and what never does."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import nbformat
import pytest

from ina.build.assemble import notebook_markdown, parse_cell_options
from ina.errors import BuildError


def png_bytes() -> str:
    figure, axes = plt.subplots(figsize=(2, 1))
    axes.bar(["a", "b"], [1, 2])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()


def executed_notebook(figure_options: str | None = None) -> nbformat.NotebookNode:
    """A notebook as Papermill leaves it: code cells with every kind of output."""
    options = (
        figure_options
        if figure_options is not None
        else (
            '#| label: fig-bars\n#| fig-cap: "Two bars"\n#| fig-alt: "Bar chart: b is twice a."\n'
        )
    )
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("area = 'icb'", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_markdown_cell("# Chapter title"),
        nbformat.v4.new_code_cell(
            "print('secret code')",
            outputs=[nbformat.v4.new_output("stream", name="stdout", text="stream text\n")],
        ),
        nbformat.v4.new_code_cell(
            options + "plt.show()",
            outputs=[nbformat.v4.new_output("display_data", data={"image/png": png_bytes()})],
        ),
        nbformat.v4.new_code_cell(
            "show_table(frame)",
            outputs=[
                nbformat.v4.new_output(
                    "display_data",
                    data={
                        "text/markdown": "| a | b |\n|---|---|\n| 1 | 2 |\n\n: A table {#tbl-ab}",
                        "text/plain": "<IPython.core.display.Markdown object>",
                    },
                ),
                nbformat.v4.new_output(
                    "execute_result",
                    data={"text/html": "<table>html</table>", "text/plain": "plain repr"},
                    execution_count=3,
                ),
            ],
        ),
    ]
    return notebook


def test_cell_options_are_the_leading_hash_pipe_lines_read_as_yaml() -> None:
    source = '#| label: fig-x\n#| fig-cap: "A: caption"\nx = 1\n#| not: an option'
    assert parse_cell_options(source) == {"label": "fig-x", "fig-cap": "A: caption"}
    assert parse_cell_options("x = 1") == {}


def test_report_markdown_keeps_markdown_and_figures_and_drops_code_and_text(
    tmp_path: Path,
) -> None:
    markdown = notebook_markdown(
        executed_notebook(), where="t/icb", media_dir=tmp_path / "media", media_prefix="media"
    )
    assert "# Chapter title" in markdown
    assert '![Two bars](media/fig-bars.png){#fig-bars fig-alt="Bar chart: b is twice a."}' in (
        markdown
    )
    assert ": A table {#tbl-ab}" in markdown
    for never in ("secret code", "stream text", "plt.show", "plain repr", "html", "area ="):
        assert never not in markdown
    assert (tmp_path / "media" / "fig-bars.png").read_bytes().startswith(b"\x89PNG")


def test_a_figure_without_alt_text_stops_the_build(tmp_path: Path) -> None:
    notebook = executed_notebook('#| label: fig-bars\n#| fig-cap: "Two bars"\n')
    with pytest.raises(BuildError, match=r"t/icb, cell 4: a figure needs .*fig-alt"):
        notebook_markdown(notebook, where="t/icb", media_dir=tmp_path, media_prefix="media")


def test_quotes_in_alt_text_are_escaped(tmp_path: Path) -> None:
    notebook = executed_notebook(
        '#| label: fig-q\n#| fig-cap: "Q"\n#| fig-alt: \'He said "no" \\\\ twice\'\n'
    )
    markdown = notebook_markdown(notebook, where="t", media_dir=tmp_path, media_prefix="m")
    assert 'fig-alt="He said \\"no\\" \\\\\\\\ twice"' in markdown
