"""Publishing: small-number suppression, tables and figures as notebooks show and save them.

Everything that leaves the pipeline goes through here, so suppression is applied once, at
the edge (:mod:`ina.publishing.suppression`), and every figure and table is also saved as
a CSV artefact under ``<artefact_dir>/<area>/<chapter>/`` for reviewers.

A chapter notebook makes one :class:`Publisher` and calls ``publisher.table(...)``,
``publisher.figure(...)`` and ``publisher.findings(...)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ina.publishing.disclosure import (
    ColumnParts,
    Derived,
    Disclosure,
    Ledger,
    Parts,
    Same,
    disclosure_mask,
)
from ina.publishing.figures import FIGURE_DPI, figure_png, show_figure
from ina.publishing.suppression import (
    CONFIDENTIAL,
    GSS_SYMBOLS,
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    DerivedColumns,
    RuleLike,
    SuppressionRule,
    is_disabled,
    suppress,
    suppression_mask,
)
from ina.publishing.tables import (
    AREA_REGISTER,
    DISCLOSURE_SUFFIX,
    MAX_TABLE_COLUMNS,
    artefact_path,
    data_link,
    data_link_markdown,
    format_markdown_table,
    publication_mask,
    save_table,
    show_markdown,
    show_table,
)

__all__ = [
    "AREA_REGISTER",
    "CONFIDENTIAL",
    "DISCLOSURE_SUFFIX",
    "FIGURE_DPI",
    "GSS_SYMBOLS",
    "MAX_TABLE_COLUMNS",
    "NOT_APPLICABLE",
    "NOT_AVAILABLE",
    "ColumnParts",
    "Derived",
    "Disclosure",
    "Ledger",
    "Parts",
    "Publisher",
    "Same",
    "SuppressionRule",
    "artefact_path",
    "data_link",
    "data_link_markdown",
    "disclosure_mask",
    "figure_png",
    "findings_markdown",
    "format_markdown_table",
    "gap_note",
    "is_disabled",
    "publication_mask",
    "save_table",
    "show_figure",
    "show_markdown",
    "show_table",
    "suppress",
    "suppression_mask",
]


#: Level of the "Key findings" / "Key messages" heading: under a chapter (level 1) and its
#: sections (level 2), unnumbered and left out of the contents, so a screen-reader user can
#: jump to it (WCAG 1.3.1) without it cluttering the table of contents.
FINDINGS_HEADING_LEVEL = 3


def findings_markdown(sentences: Sequence[str], *, heading: str = "Key findings") -> str:
    """Return key findings as a real heading and a bullet list (empty list → nothing).

    The heading is a Markdown heading (``### Key findings {.unnumbered .unlisted}``), not
    bold text: HTML gets an ``<h3>``, the PDF a tagged, unnumbered heading.
    """
    if not sentences:
        return ""
    marks = "#" * FINDINGS_HEADING_LEVEL
    lines = "\n".join(f"- {sentence}" for sentence in sentences)
    return f"{marks} {heading} {{.unnumbered .unlisted .ina-findings}}\n\n{lines}\n"


def gap_note(rule: RuleLike) -> str:
    """The note a figure with suppressed points carries (in the figure and its alt text)."""
    return (
        f"Gaps: values based on counts of {rule.min_count} to {rule.max_count} (and values "
        "that would reveal them) are suppressed [c]."
    )


@dataclass(frozen=True)
class Publisher:
    """The publishing context of one chapter notebook run (area, chapter, rule, folder).

    ``ledger`` remembers what every table and figure of the run hid, so a later table can
    name an earlier one as the holder of its totals (``Parts(total_in=...)``) and a chart
    can be drawn with exactly the gaps its data table has.
    """

    artefact_dir: str | Path
    area: str
    chapter: str
    rule: RuleLike
    ledger: Ledger = field(default_factory=Ledger, compare=False)

    def mask(
        self,
        frame: pd.DataFrame,
        disclosure: Disclosure,
        *,
        hide: pd.DataFrame | None = None,
    ) -> pd.DataFrame:
        """The cells of ``frame`` that publishing will hide (True), without publishing."""
        _, mask = publication_mask(
            frame,
            rule=self.rule,
            disclosure=disclosure,
            hide=hide,
            ledger=self.ledger,
            record=False,
        )
        return mask

    def drawable(
        self,
        frame: pd.DataFrame,
        disclosure: Disclosure,
        *,
        hide: pd.DataFrame | None = None,
    ) -> tuple[pd.DataFrame, bool]:
        """``frame`` with every cell publishing will hide set to NaN, for drawing a chart.

        Returns the frame and whether anything was hidden (the chart then adds
        :func:`gap_note`). The chart is drawn from this, so a suppressed point is a gap.
        """
        mask = self.mask(frame, disclosure, hide=hide)
        drawn = frame.copy()
        for column in frame.columns[mask.any(axis=0).to_numpy()]:
            drawn[column] = pd.to_numeric(drawn[column], errors="coerce").where(
                ~mask[column], np.nan
            )
        return drawn, bool(mask.to_numpy().any())

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
        disclosure: Disclosure | None = None,
        hide: pd.DataFrame | None = None,
    ) -> None:
        """Publish a table: see :func:`ina.publishing.show_table`.

        Returns nothing, so a notebook cell ending with it shows only the table; the mask
        is in ``self.ledger.mask(table_id)``.
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
            disclosure=disclosure,
            hide=hide,
            ledger=self.ledger,
        )

    def save(
        self,
        frame: pd.DataFrame,
        *,
        table_id: str,
        disclosure: Disclosure,
        decimals: int | Mapping[str, int] = 4,
        hide: pd.DataFrame | None = None,
    ) -> pd.DataFrame:
        """Publish a table as CSV only (no Markdown table); return its mask.

        The report still links the CSV where it is saved (the text may name it), so no
        published table is out of the reader's reach.
        """
        _, mask = save_table(
            frame,
            table_id=table_id,
            artefact_dir=self.artefact_dir,
            area=self.area,
            chapter=self.chapter,
            rule=self.rule,
            decimals=decimals,
            disclosure=disclosure,
            hide=hide,
            ledger=self.ledger,
        )
        show_markdown(data_link_markdown(self.area, self.chapter, table_id, what="the table"))
        return mask

    def figure(
        self,
        fig: Figure,
        *,
        figure_id: str,
        data: pd.DataFrame,
        count_columns: Sequence[str] = (),
        derived_columns: DerivedColumns = (),
        disclosure: Disclosure | None = None,
        hide: pd.DataFrame | None = None,
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
            disclosure=disclosure,
            hide=hide,
            ledger=self.ledger,
        )

    def findings(self, sentences: Sequence[str], *, heading: str = "Key findings") -> None:
        """Display computed key-finding sentences as Markdown."""
        text = findings_markdown(sentences, heading=heading)
        if text:
            show_markdown(text)
