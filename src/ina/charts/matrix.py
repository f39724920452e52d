"""The indicator × place matrix: every indicator's benchmark result for every place at once.

Rows are indicators grouped by chapter (one panel per chapter, each with its own column
headings, so a panel still reads on its own when a long matrix breaks across pages);
columns are the places and the ICB. Each cell is drawn with seaborn's ``heatmap`` in the
Fingertips colour of its comparison *and* carries the category's marker shape and a short
word ("worse", "similar" ...), so the matrix never relies on colour alone (WCAG 2.2,
1.4.1). Colours, markers and legend wording come from
:data:`ina.stats.benchmarking.BENCHMARK_STYLES`, so a change of style there changes the
matrix too. A cell with no result at all (the indicator is not published for that place)
is "not available", drawn white with the words "no data" and no marker.

The figure's height grows with the number of rows (about 0.45 cm a row), so 100
indicators stay legible; for paging, call the function once per chapter.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import ListedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ina.charts._result import ChartResult
from ina.charts._style import TEXT_WIDTH_CM, house_style
from ina.errors import StatisticsError
from ina.publishing.figures import mark_reproducible
from ina.stats.benchmarking import BENCHMARK_STYLES, NOT_COMPARED, BenchmarkStyle

__all__ = ["NOT_AVAILABLE", "describe_indicator_matrix", "indicator_matrix"]

#: The category of a cell with no result for that place (no row, or no comparison).
NOT_AVAILABLE = "not available"
# Used only while benchmarking.py has no style of its own for "not available".
_NOT_AVAILABLE_STYLE = BenchmarkStyle("#FFFFFF", "", "", "Not available")
#: Words written in the cells where the label itself is too long for a narrow column.
_SHORT_WORDS = {NOT_COMPARED: "not cmp.", NOT_AVAILABLE: "no data"}
_ROW_CM = 0.45
_HEADER_CM = 1.3
_LEGEND_CM = 1.6
_CM = 1 / 2.54
_LABEL_CHARACTERS = 46


def _style(label: str) -> BenchmarkStyle:
    if label in BENCHMARK_STYLES:
        return BENCHMARK_STYLES[label]
    if label == NOT_AVAILABLE:
        return _NOT_AVAILABLE_STYLE
    raise StatisticsError(
        f"indicator_matrix: unknown comparison {label!r}; expected one of "
        f"{[*BENCHMARK_STYLES, NOT_AVAILABLE]}"
    )


def _text_colour(background: str) -> str:
    """Black or white text, whichever contrasts more with the cell (WCAG luminance)."""
    channels = np.array(to_rgb(background))
    linear = np.where(channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    luminance = float(linear @ np.array([0.2126, 0.7152, 0.0722]))
    return "white" if (luminance + 0.05) / 0.05 < 1.05 / (luminance + 0.05) else "black"


def _shorten(text: str) -> str:
    return text if len(text) <= _LABEL_CHARACTERS else text[: _LABEL_CHARACTERS - 1] + "…"


def _tidy(
    data: pd.DataFrame,
    indicator: str,
    chapter: str,
    area: str,
    comparison: str,
    areas: Sequence[str] | None,
    chapters: Sequence[str] | None,
) -> tuple[pd.DataFrame, list[str]]:
    """One row per (chapter, indicator, area) in drawing order, gaps "not available"."""
    missing = [c for c in (indicator, chapter, area, comparison) if c not in data.columns]
    if missing:
        raise StatisticsError(f"indicator_matrix: missing column(s) {missing}")
    if data.empty:
        raise StatisticsError("indicator_matrix: there are no indicators to draw")
    frame = pd.DataFrame(
        {
            "chapter": data[chapter].astype(str).to_numpy(),
            "indicator": data[indicator].astype(str).to_numpy(),
            "area": data[area].astype(str).to_numpy(),
            "comparison": data[comparison].astype(object).where(data[comparison].notna(), None),
        }
    )
    if frame.duplicated(["chapter", "indicator", "area"]).any():
        first = frame[frame.duplicated(["chapter", "indicator", "area"])].iloc[0]
        raise StatisticsError(
            f"indicator_matrix: {first['indicator']!r} has two rows for {first['area']!r}"
        )
    columns = list(areas) if areas is not None else list(dict.fromkeys(frame["area"]))
    order = list(chapters) if chapters is not None else list(dict.fromkeys(frame["chapter"]))
    unknown = sorted(set(frame["chapter"]) - set(order))
    if unknown:
        raise StatisticsError(f"indicator_matrix: chapter(s) {unknown} are not in chapters=")
    rows = frame[["chapter", "indicator"]].drop_duplicates()
    rows = rows.assign(_rank=rows["chapter"].map({c: i for i, c in enumerate(order)}))
    rows = rows.sort_values("_rank", kind="stable").drop(columns="_rank")
    grid = rows.merge(pd.DataFrame({"area": columns}), how="cross")
    grid = grid.merge(frame, on=["chapter", "indicator", "area"], how="left")
    grid["comparison"] = grid["comparison"].where(grid["comparison"].notna(), NOT_AVAILABLE)
    grid["comparison"] = grid["comparison"].astype(str)
    for label in dict.fromkeys(grid["comparison"]):
        _style(label)
    styles = grid["comparison"].map(_style)
    grid["symbol"] = styles.map(lambda s: s.symbol or _SHORT_WORDS[NOT_AVAILABLE])
    grid["meaning"] = styles.map(lambda s: s.text)
    return grid.reset_index(drop=True), columns


def indicator_matrix(
    data: pd.DataFrame,
    *,
    indicator: str = "indicator",
    chapter: str = "chapter",
    area: str = "area",
    comparison: str = "comparison",
    areas: Sequence[str] | None = None,
    chapters: Sequence[str] | None = None,
    comparator_name: str = "England",
    title: str | None = None,
) -> ChartResult:
    """Draw the indicator × place matrix of benchmark results; return figure, table, alt text.

    ``data`` is long: one row per indicator and area with its ``chapter`` and its
    ``comparison`` label (:func:`ina.stats.compare_with_benchmark` output: "better",
    "similar", "worse", "higher", "lower", "best"/"worst", "not compared" ...). A missing
    comparison, or an area with no row for an indicator, is "not available". ``areas``
    orders the columns (default: as first seen) and may add areas with no rows;
    ``chapters`` orders the panels (default: as first seen); indicators keep their order
    of first appearance within a chapter.

    Returns a :class:`~ina.charts._result.ChartResult`: the figure; the table drawn, one
    row per cell: ``chapter, indicator, area, comparison, symbol, meaning`` (text only:
    the symbol is the table glyph, the meaning the legend wording); and the alt text
    (:func:`describe_indicator_matrix`).
    """
    inputs = (data, indicator, chapter, area, comparison, areas, chapters, comparator_name, title)
    grid, columns = _tidy(data, indicator, chapter, area, comparison, areas, chapters)
    panels = list(dict.fromkeys(grid["chapter"]))
    present = set(grid["comparison"])
    categories = [c for c in [*BENCHMARK_STYLES, NOT_AVAILABLE] if c in present]
    code = {label: index for index, label in enumerate(categories)}
    colours = ListedColormap([_style(label).colour for label in categories])
    row_counts = [int((grid["chapter"] == p).sum() // len(columns)) for p in panels]
    height_cm = sum(_HEADER_CM + _ROW_CM * rows for rows in row_counts) + _LEGEND_CM + 0.6
    width_cm = TEXT_WIDTH_CM
    with house_style():
        fig = Figure(figsize=(width_cm * _CM, height_cm * _CM), layout="constrained")
        axes = fig.subplots(
            len(panels),
            1,
            squeeze=False,
            height_ratios=[_HEADER_CM + _ROW_CM * rows for rows in row_counts],
        )[:, 0]
        for ax, panel in zip(axes, panels, strict=True):
            cells = grid[grid["chapter"] == panel]
            labels = cells.pivot(index="indicator", columns="area", values="comparison")
            labels = labels.reindex(index=list(dict.fromkeys(cells["indicator"])), columns=columns)
            codes = labels.apply(lambda column: column.map(code)).astype(float)
            sns.heatmap(
                codes,
                ax=ax,
                cmap=colours,
                vmin=-0.5,
                vmax=len(categories) - 0.5,
                cbar=False,
                linewidths=1.0,
                linecolor="white",
                xticklabels=[textwrap.fill(name, 12) for name in columns],
                yticklabels=[_shorten(name) for name in labels.index],
            )
            for row_number, (_, row) in enumerate(labels.iterrows()):
                for column_number, label in enumerate(row):
                    style = _style(label)
                    word = _SHORT_WORDS.get(label, label)
                    if style.marker:
                        ax.scatter(
                            column_number + 0.16,
                            row_number + 0.5,
                            marker=style.marker,
                            s=18,
                            c="white",
                            edgecolors="black",
                            linewidths=0.6,
                            zorder=3,
                        )
                    ax.text(
                        column_number + (0.29 if style.marker else 0.5),
                        row_number + 0.5,
                        word,
                        ha="left" if style.marker else "center",
                        va="center",
                        fontsize=6.3,
                        color=_text_colour(style.colour),
                    )
            if NOT_AVAILABLE in labels.to_numpy():
                # White "not available" cells need an outline to read as cells.
                ax.add_collection(_frame(len(columns), len(labels)))
            ax.xaxis.tick_top()
            ax.tick_params(axis="x", labelsize=7, length=0, rotation=0)
            ax.tick_params(axis="y", labelsize=7, length=0, rotation=0)
            ax.set_xlabel("")
            ax.set_ylabel("")
            ax.set_title(panel, fontsize=8.5, loc="left", pad=4)
        handles = []
        for label in categories:
            style = _style(label)
            patch = Patch(facecolor=style.colour, edgecolor="#BBBBBB", linewidth=0.5)
            if style.marker:
                marker = Line2D(
                    [0],
                    [0],
                    linestyle="none",
                    marker=style.marker,
                    markersize=5,
                    markerfacecolor="white",
                    markeredgecolor="black",
                )
                handles.append(((patch, marker), style.text))
            else:
                handles.append(((patch,), style.text))
        fig.legend(
            [handle for handle, _ in handles],
            [text for _, text in handles],
            handler_map={tuple: HandlerTuple(ndivide=1)},
            loc="outside lower center",
            ncols=min(3, len(handles)),
            fontsize=7,
            title=f"Compared with {comparator_name}",
            title_fontsize=7.5,
        )
        if title:
            fig.suptitle(
                textwrap.fill(title, 80), fontsize=9.5, fontweight="bold", x=0.01, ha="left"
            )
    mark_reproducible(fig, "indicator_matrix", *inputs)
    table = grid[["chapter", "indicator", "area", "comparison", "symbol", "meaning"]]
    text = describe_indicator_matrix(table, comparator_name=comparator_name)
    return ChartResult(fig, table, text)


def _frame(columns: int, rows: int):
    """Thin grey grid lines around every cell (white gaps alone vanish on white cells)."""
    from matplotlib.collections import LineCollection

    segments = [[(x, 0), (x, rows)] for x in range(columns + 1)]
    segments += [[(0, y), (columns, y)] for y in range(rows + 1)]
    return LineCollection(segments, colors="#DDDDDD", linewidths=0.4, zorder=2)


_GROUPS = (
    ("worse", ("worse", "worst")),
    ("better", ("better", "best")),
    ("similar", ("similar",)),
    ("higher", ("higher",)),
    ("lower", ("lower",)),
    ("not compared", (NOT_COMPARED,)),
    ("not available", (NOT_AVAILABLE,)),
)


def describe_indicator_matrix(data: pd.DataFrame, *, comparator_name: str = "England") -> str:
    """Alt text for the matrix, counted from its table: per area, how many of each result.

    For example "West Norfolk is worse than England on 12 of 40 indicators, better on 5,
    similar on 20, not compared on 3." Areas are named in column order; the area worse
    on most indicators is named last.
    """
    areas = list(dict.fromkeys(data["area"]))
    indicators = data[["chapter", "indicator"]].drop_duplicates()
    total = len(indicators)
    chapters = data["chapter"].nunique()
    sentences = [
        f"Matrix of {total} indicators in {chapters} chapter{'s' if chapters != 1 else ''} "
        f"(rows) by {len(areas)} areas (columns), each cell showing the area's comparison "
        f"with {comparator_name} as a colour, a symbol and a word."
    ]
    worse_counts: dict[str, int] = {}
    for name in areas:
        labels = data.loc[data["area"] == name, "comparison"]
        parts = []
        for word, members in _GROUPS:
            count = int(labels.isin(members).sum())
            if count:
                parts.append((word, count))
        worse_counts[name] = int(labels.isin(("worse", "worst")).sum())
        if not parts:
            continue
        (first_word, first_count), rest = parts[0], parts[1:]
        relation = "than" if first_word in {"worse", "better", "higher", "lower"} else "to"
        if first_word in {"not compared", "not available"}:
            opening = f"{name} is {first_word} on {first_count} of {total} indicators"
        else:
            opening = (
                f"{name} is {first_word} {relation} {comparator_name} on {first_count} of "
                f"{total} indicators"
            )
        clauses = [f"{word} on {count}" for word, count in rest]
        sentences.append(opening + ("" if not clauses else ", " + ", ".join(clauses)) + ".")
    most = max(worse_counts.values(), default=0)
    if most:
        leaders = [name for name, count in worse_counts.items() if count == most]
        sentences.append(
            f"Worse than {comparator_name} on the most indicators: {' and '.join(leaders)} "
            f"({most})."
        )
    return " ".join(sentences)
