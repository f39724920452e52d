"""Figures as the report shows them: a deterministic PNG plus the data table behind it.

Every published figure has its data: :func:`show_figure` writes the (suppressed) data the
chart drew as ``<artefact_dir>/<area>/<chapter>/<figure_id>.csv`` and the image as
``<figure_id>.png`` next to it, then displays the PNG. The PNG is rendered with the Agg
backend at a fixed dpi and without the ``Software`` metadata (the only varying chunk), so a
re-run gives identical bytes and nbval can compare outputs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from ina.publishing.disclosure import Disclosure, Ledger
from ina.publishing.suppression import DerivedColumns, RuleLike
from ina.publishing.tables import artefact_path, save_table

__all__ = ["FIGURE_DPI", "figure_png", "show_figure"]

#: Resolution of published figures: sharp when printed at A4 text width (16 cm).
FIGURE_DPI = 200


def figure_png(fig: Figure, *, dpi: int = FIGURE_DPI) -> bytes:
    """Return the figure as PNG bytes, byte-identical across runs."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fig.canvas is None or not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")
    return buffer.getvalue()


def show_figure(
    fig: Figure,
    *,
    figure_id: str,
    data: pd.DataFrame,
    artefact_dir: str | Path,
    area: str,
    chapter: str,
    rule: RuleLike,
    count_columns: Sequence[str] = (),
    derived_columns: DerivedColumns = (),
    dpi: int = FIGURE_DPI,
    display_image: bool = True,
    disclosure: Disclosure | None = None,
    hide: pd.DataFrame | None = None,
    ledger: Ledger | None = None,
) -> Path:
    """Save the figure's data (suppressed) and PNG, display the PNG; return the PNG path.

    The chart must have been drawn from the same data with the hidden cells removed
    (:meth:`ina.publishing.Publisher.drawable`), so a suppressed value is a gap in the
    figure as it is ``[c]`` in its CSV.
    """
    import matplotlib.pyplot as plt

    save_table(
        data,
        table_id=figure_id,
        artefact_dir=artefact_dir,
        area=area,
        chapter=chapter,
        rule=rule,
        count_columns=count_columns,
        derived_columns=derived_columns,
        disclosure=disclosure,
        hide=hide,
        ledger=ledger,
        kind="figure",
    )
    png = figure_png(fig, dpi=dpi)
    path = artefact_path(artefact_dir, area, chapter, f"{figure_id}.png")
    path.write_bytes(png)
    plt.close(fig)
    if display_image:
        from IPython.display import Image, display

        display(Image(data=png, format="png"))
    return path
