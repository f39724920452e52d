"""Figures as the report shows them: a deterministic PNG plus the data table behind it.

Every published figure has its data: :func:`show_figure` writes the (suppressed) data the
chart drew as ``<artefact_dir>/<area>/<chapter>/<figure_id>.csv`` and the image as
``<figure_id>.png`` next to it, then displays the PNG. The PNG is rendered with the Agg
backend at a fixed dpi and without the ``Software`` metadata (the only varying chunk), so a
re-run gives identical bytes and nbval can compare outputs.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure

from ina._digest import inputs_digest
from ina.publishing.disclosure import Disclosure, Ledger
from ina.publishing.suppression import DerivedColumns, RuleLike
from ina.publishing.tables import artefact_path, data_link_markdown, save_table, show_markdown

__all__ = [
    "FIGURE_DPI",
    "MIN_TEXT_PX",
    "figure_png",
    "legible_width_px",
    "mark_reproducible",
    "show_figure",
]

#: Resolution of published figures: sharp when printed at A4 text width (16 cm).
FIGURE_DPI = 200
#: The smallest text a chart may show on a screen, in CSS pixels: a web page never draws
#: a chart narrower than the width at which its smallest text is this big (on a phone the
#: chart scrolls sideways in its own region instead of shrinking to 4 px text).
MIN_TEXT_PX = 12
#: Key of the display metadata that carries that width to the report assembler.
WIDTH_METADATA = "ina/min-width-px"


#: Attribute of a figure naming everything it was drawn from (:func:`mark_reproducible`).
RENDER_KEY_ATTRIBUTE = "_ina_render_key"
#: PNGs (and legible widths) of marked figures already rendered in this process, by key
#: and dpi: the summary draws the same indicator x place matrices for every area, and a
#: worker's kernel runs the summary of several areas.
_RENDERED: OrderedDict[tuple[str, int], tuple[bytes, int]] = OrderedDict()
_RENDERED_LIMIT = 32


def mark_reproducible(fig: Figure, *inputs: object) -> Figure:
    """Mark ``fig`` as wholly determined by ``inputs``, so it is rendered once per process.

    Why: rendering is most of a chart's cost, and some charts (the indicator x place
    matrix) are the same for every area. A chart function passes *all* its inputs (data
    frames and options); the key also holds matplotlib's rcParams at drawing time. Two
    figures with the same key give the same bytes anyway (rendering is deterministic), so
    :func:`show_figure` reuses the first PNG. Data frames count by their values, index
    and column names, other inputs by ``repr`` (:func:`ina._digest.inputs_digest`).
    """
    setattr(fig, RENDER_KEY_ATTRIBUTE, inputs_digest(*inputs, sorted(mpl.rcParams.items())))
    return fig


def _png_and_width(fig: Figure, dpi: int) -> tuple[bytes, int]:
    """Render ``fig`` (or reuse the PNG of an identical marked figure) and its legible width."""
    key = getattr(fig, RENDER_KEY_ATTRIBUTE, None)
    if key is not None and (key, dpi) in _RENDERED:
        _RENDERED.move_to_end((key, dpi))
        return _RENDERED[(key, dpi)]
    png = figure_png(fig, dpi=dpi)
    rendered = (png, legible_width_px(fig, drawn=True))
    if key is not None:
        _RENDERED[(key, dpi)] = rendered
        while len(_RENDERED) > _RENDERED_LIMIT:
            _RENDERED.popitem(last=False)
    return rendered


def legible_width_px(fig: Figure, *, min_text_px: float = MIN_TEXT_PX, drawn: bool = False) -> int:
    """The CSS width (px) at which the figure's smallest visible text is ``min_text_px``.

    A CSS pixel is 1/96 inch and a point 1/72 inch, so a figure ``w`` inches wide whose
    smallest text is ``s`` points shows it at ``s * 96/72 * (width_px / (96 w))`` px.
    Tick labels only get their text when the figure is drawn, so it is drawn first
    (without rendering) unless ``drawn`` says :func:`figure_png` already did.
    """
    if not drawn:
        fig.draw_without_rendering()
    sizes = [
        text.get_fontsize()
        for text in fig.findobj(lambda artist: hasattr(artist, "get_text"))
        if hasattr(text, "get_fontsize") and text.get_visible() and str(text.get_text()).strip()
    ]
    smallest_pt = min(sizes, default=10.0)
    width_pt = fig.get_figwidth() * 72
    return int(-(-width_pt * min_text_px // smallest_pt))


def figure_png(fig: Figure, *, dpi: int = FIGURE_DPI) -> bytes:
    """Return the figure as PNG bytes, byte-identical across runs.

    Why the layout is fixed first: with a layout engine, ``savefig`` draws the figure
    twice and runs constrained layout in both draws, which is most of a chart's cost. The
    layout engine is run once here, at the output dpi and without drawing (a draw would
    run it first anyway), then removed (the axes stay where it put them), so ``savefig``
    draws once.
    The figure is left drawn: :func:`legible_width_px` can read its texts (``drawn=True``).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fig.canvas is None or not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    engine = fig.get_layout_engine()
    if engine is not None:
        fig.set_dpi(dpi)
        # What a draw does first, without the draw: the layout is the same (a draw runs
        # the engine before it draws any artist), and the artists are drawn once, below.
        engine.execute(fig)
        # None, not "none": "none" leaves a placeholder engine, for which savefig still
        # draws twice; None removes the engine (given these two rc values).
        with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
            fig.set_layout_engine(None)
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
    png, width_px = _png_and_width(fig, dpi)
    path = artefact_path(artefact_dir, area, chapter, f"{figure_id}.png")
    path.write_bytes(png)
    plt.close(fig)
    if display_image:
        from IPython.display import Image, display

        display(Image(data=png, format="png", metadata={WIDTH_METADATA: width_px}))
        show_markdown(data_link_markdown(area, chapter, figure_id, what="this figure"))
    return path
