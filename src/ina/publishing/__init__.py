"""Publishing: small-number suppression, tables and figures as notebooks show and save them.

Everything that leaves the pipeline goes through here, so suppression is applied once, at
the edge (:mod:`ina.publishing.suppression`), and every figure and table is also saved as
a CSV artefact under ``<artefact_dir>/<area>/<chapter>/`` for reviewers.

A chapter notebook makes one :class:`Publisher` and calls ``publisher.table(...)``,
``publisher.figure(...)`` and ``publisher.findings(...)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from ina.publishing.figures import FIGURE_DPI, figure_png, show_figure
from ina.publishing.suppression import (
    DerivedColumns,
    RuleLike,
    SuppressionRule,
    suppress,
    suppression_mask,
)
from ina.publishing.tables import (
    MAX_TABLE_COLUMNS,
    artefact_path,
    format_markdown_table,
    save_table,
    show_markdown,
    show_table,
)

__all__ = [
    "FIGURE_DPI",
    "MAX_TABLE_COLUMNS",
    "Publisher",
    "SuppressionRule",
    "artefact_path",
    "figure_png",
    "findings_markdown",
    "format_markdown_table",
    "save_table",
    "show_figure",
    "show_markdown",
    "show_table",
    "suppress",
    "suppression_mask",
]


def findings_markdown(sentences: Sequence[str], *, heading: str = "Key findings") -> str:
    """Return key findings as a bold heading and a bullet list (empty list → nothing)."""
    if not sentences:
        return ""
    return f"**{heading}**\n\n" + "\n".join(f"- {sentence}" for sentence in sentences) + "\n"


@dataclass(frozen=True)
class Publisher:
    """The publishing context of one chapter notebook run (area, chapter, rule, folder)."""

    artefact_dir: str | Path
    area: str
    chapter: str
    rule: RuleLike

    def table(
        self,
        frame: pd.DataFrame,
        *,
        table_id: str,
        caption: str,
        count_columns: Sequence[str] = (),
        derived_columns: DerivedColumns = (),
        percent_columns: Sequence[str] = (),
        decimals: int | Mapping[str, int] = 1,
        headers: Mapping[str, str] | None = None,
        total_column: str | None = None,
        total_row: int | None = None,
    ) -> None:
        """Publish a table: see :func:`ina.publishing.show_table`.

        Returns nothing, so a notebook cell ending with it shows only the table.
        """
        show_table(
            frame,
            table_id=table_id,
            caption=caption,
            artefact_dir=self.artefact_dir,
            area=self.area,
            chapter=self.chapter,
            rule=self.rule,
            count_columns=count_columns,
            derived_columns=derived_columns,
            percent_columns=percent_columns,
            decimals=decimals,
            headers=headers,
            total_column=total_column,
            total_row=total_row,
        )

    def figure(
        self,
        fig: Figure,
        *,
        figure_id: str,
        data: pd.DataFrame,
        count_columns: Sequence[str] = (),
        derived_columns: DerivedColumns = (),
    ) -> None:
        """Publish a figure and its data: see :func:`ina.publishing.show_figure`."""
        show_figure(
            fig,
            figure_id=figure_id,
            data=data,
            artefact_dir=self.artefact_dir,
            area=self.area,
            chapter=self.chapter,
            rule=self.rule,
            count_columns=count_columns,
            derived_columns=derived_columns,
        )

    def findings(self, sentences: Sequence[str], *, heading: str = "Key findings") -> None:
        """Display computed key-finding sentences as Markdown."""
        text = findings_markdown(sentences, heading=heading)
        if text:
            show_markdown(text)
