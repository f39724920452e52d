"""Tables as the report shows them and as reviewers download them.

:func:`show_table` is the one way a chapter publishes a table: it applies small-number
suppression (:mod:`ina.publishing.suppression`) once, writes the suppressed table as a CSV
artefact (``<artefact_dir>/<area>/<chapter>/<table_id>.csv``) and displays a Markdown pipe
table with a caption, so that Quarto, pandoc and nbval all see the same text.

Both outputs are deterministic (rows in the order given, fixed number formats, ``\\n`` line
ends), so a re-run of a notebook on the same extracts gives byte-identical artefacts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ina.errors import InaError
from ina.publishing.disclosure import Disclosure, Ledger, disclosure_mask
from ina.publishing.suppression import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    DerivedColumns,
    RuleLike,
    is_disabled,
    suppression_mask,
)

__all__ = [
    "CSV_DECIMALS",
    "DISCLOSURE_SUFFIX",
    "MAX_TABLE_COLUMNS",
    "MISSING",
    "artefact_path",
    "format_csv",
    "format_markdown_table",
    "publication_mask",
    "save_table",
    "show_markdown",
    "show_table",
    "write_csv_with_declaration",
]

#: Columns that fit an A4 portrait page at a readable size with short headers.
MAX_TABLE_COLUMNS = 7
#: Decimal places of non-integer numbers in CSV artefacts (enough for any rate we publish).
CSV_DECIMALS = 4
#: How a missing value (not computed) appears in a published table: the GSS symbol [x],
#: in the CSV as in the Markdown table, so it is never confused with a suppressed cell.
MISSING = NOT_AVAILABLE
#: Suffix of the declaration published next to each CSV (``<id>.disclosure.json``).
DISCLOSURE_SUFFIX = ".disclosure.json"


def artefact_path(artefact_dir: str | Path, area: str, chapter: str, name: str) -> Path:
    """Return ``<artefact_dir>/<area>/<chapter>/<name>``, creating the folder."""
    folder = Path(artefact_dir) / area / chapter
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def _is_integer_column(series: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(series):
        return False
    if pd.api.types.is_integer_dtype(series):
        return True
    if pd.api.types.is_float_dtype(series):
        values = series.dropna().to_numpy(dtype=float)
        return values.size > 0 and bool(np.all(values == np.round(values)))
    return False


def _format_number(value: object, decimals: int, thousands: bool) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return MISSING
    number = float(value)  # type: ignore[arg-type]
    if number == 0:
        number = 0.0  # never print "-0.0"
    text = f"{number:,.{decimals}f}" if thousands else f"{number:.{decimals}f}"
    return text


def _format_column(
    series: pd.Series, decimals: int | None, *, thousands: bool, integer: bool
) -> pd.Series:
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return series.astype(object).map(lambda value: MISSING if pd.isna(value) else str(value))
    if _is_year(str(series.name)):
        return series.astype(object).map(
            lambda value: MISSING if pd.isna(value) else _format_number(value, 0, False)
        )
    places = 0 if integer else (decimals if decimals is not None else 1)
    return series.astype(object).map(lambda value: _format_number(value, places, thousands))


def _is_year(column: str) -> bool:
    """Years are labels, not quantities: never ``2,024``."""
    return column == "year" or column.endswith("_year")


def _formatted(
    frame: pd.DataFrame,
    mask: pd.DataFrame,
    marker: str,
    *,
    for_markdown: bool,
    count_columns: Sequence[str],
    percent_columns: Sequence[str],
    decimals: int | Mapping[str, int],
) -> pd.DataFrame:
    text = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        series = frame[column]
        integer = column in count_columns or _is_integer_column(series)
        places = decimals.get(column) if isinstance(decimals, Mapping) else decimals
        if for_markdown:
            if column in percent_columns:
                places = 1
        else:
            places = CSV_DECIMALS if places is None else max(places, CSV_DECIMALS)
        formatted = _format_column(series, places, thousands=for_markdown, integer=integer)
        text[column] = formatted.where(~mask[column], marker)
    return text


def format_csv(text_frame: pd.DataFrame) -> str:
    """Return a frame of strings as CSV text with ``\\n`` line ends and minimal quoting."""
    return text_frame.to_csv(index=False, lineterminator="\n")


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")


def _column_weight(header: str, cells: pd.Series) -> int:
    """Relative width of a column, for pandoc's pipe-table sizing.

    Text wraps between words but a number or a code cannot, so every column gets room for
    its longest unbreakable token (plus a little padding) and, beyond that, a share that
    grows with its longest cell up to a cap: one long free-text column cannot squeeze a
    column of large numbers until they run into each other.
    """
    texts = cells.astype(str).tolist() if len(cells) else []
    longest_cell = max((len(text) for text in texts), default=0)
    tokens = [token for text in [*texts, header] for token in text.split()]
    longest_token = max((len(token) for token in tokens), default=0)
    return max(3, min(40, max(longest_token + 2, min(longest_cell, _WRAPPING_SHARE))))


#: Characters of a wrapping column's longest cell that count towards its width.
_WRAPPING_SHARE = 20


def format_markdown_table(
    text_frame: pd.DataFrame,
    *,
    caption: str,
    label: str | None = None,
    right_aligned: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
) -> str:
    """Return a pandoc/Quarto pipe table with its caption (``: caption {#label}``).

    The dashes under each header are proportional to the column's content: when a table is
    wider than the page, pandoc and Quarto size a pipe table's columns by those dashes, so
    a long name column gets room and a short number column does not take a wide share.
    """
    headers = headers or {}
    names = [_escape(str(headers.get(column, column))) for column in text_frame.columns]
    rule = []
    for column, name in zip(text_frame.columns, names, strict=True):
        dashes = "-" * _column_weight(name, text_frame[column])
        rule.append(f"{dashes}:" if column in right_aligned else f":{dashes}")
    lines = ["| " + " | ".join(names) + " |", "|" + "|".join(rule) + "|"]
    for row in text_frame.itertuples(index=False):
        lines.append("| " + " | ".join(_escape(str(cell)) for cell in row) + " |")
    caption_line = f": {caption}"
    if label:
        caption_line += f" {{#{label}}}"
    return "\n".join([*lines, "", caption_line]) + "\n"


def show_markdown(text: str) -> None:
    """Display Markdown text as a notebook output (key findings, dynamic sentences)."""
    from IPython.display import Markdown, display

    display(Markdown(text))


def publication_mask(
    frame: pd.DataFrame,
    *,
    rule: RuleLike,
    disclosure: Disclosure | None = None,
    count_columns: Sequence[str] = (),
    derived_columns: DerivedColumns = (),
    total_column: str | None = None,
    total_row: int | None = None,
    hide: pd.DataFrame | None = None,
    ledger: Ledger | None = None,
    what: str = "table",
    record: bool = True,
) -> tuple[Disclosure, pd.DataFrame]:
    """The declaration of a table and the cells to hide (True), as :func:`save_table` uses.

    ``disclosure`` declares the table (:class:`ina.publishing.disclosure.Disclosure`); the
    older ``count_columns``/``derived_columns``/``total_column`` arguments make a simple
    one. ``suppression: none`` hides nothing.
    """
    if disclosure is None:
        disclosure = Disclosure.simple(count_columns, derived_columns, total_column=total_column)
    if is_disabled(rule):
        disclosure.check(frame, what)
        mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
        if ledger is not None and record:
            ledger.record(what, frame, mask)
        return disclosure, mask
    if total_row is not None:
        mask = suppression_mask(
            frame,
            list(disclosure.counts),
            rule,
            {name: list(spec.counts) for name, spec in disclosure.derived.items()},
            total_column=total_column,
            total_row=total_row,
        )
        return disclosure, mask
    suppression_mask(frame.iloc[:0], (), rule)  # refuses a rule that hides nothing
    mask = disclosure_mask(
        frame,
        disclosure,
        min_count=rule.min_count,
        max_count=rule.max_count,
        ledger=ledger,
        hide=hide,
        what=what,
    )
    if ledger is not None and record:
        ledger.record(what, frame, mask)
    return disclosure, mask


def _declaration(
    table_id: str,
    disclosure: Disclosure,
    rule: RuleLike,
    headers: Mapping[str, str] | None,
    kind: str,
) -> str:
    """The sidecar JSON: what the scanner and a reader need to know about the table."""
    document = json.loads(disclosure.to_json())
    document.update(
        {
            "table_id": table_id,
            "kind": kind,
            "headers": dict(headers or {}),
            "rule": {
                "min_count": int(rule.min_count),
                "max_count": int(rule.max_count),
                "marker": str(rule.marker),
                "disabled": is_disabled(rule),
            },
        }
    )
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def save_table(
    frame: pd.DataFrame,
    *,
    table_id: str,
    artefact_dir: str | Path,
    area: str,
    chapter: str,
    rule: RuleLike,
    count_columns: Sequence[str] = (),
    derived_columns: DerivedColumns = (),
    decimals: int | Mapping[str, int] = 1,
    total_column: str | None = None,
    total_row: int | None = None,
    disclosure: Disclosure | None = None,
    hide: pd.DataFrame | None = None,
    ledger: Ledger | None = None,
    headers: Mapping[str, str] | None = None,
    kind: str = "table",
) -> tuple[Path, pd.DataFrame]:
    """Suppress and write ``<artefact_dir>/<area>/<chapter>/<table_id>.csv``.

    Also writes ``<table_id>.disclosure.json``, the table's declaration (counts, derived
    columns, parts and totals, the rule), so the structure is published with the numbers.
    Returns the path and the suppression mask (True where a cell was hidden).
    """
    disclosure, mask = publication_mask(
        frame,
        rule=rule,
        disclosure=disclosure,
        count_columns=count_columns,
        derived_columns=derived_columns,
        total_column=total_column,
        total_row=total_row,
        hide=hide,
        ledger=ledger,
        what=table_id,
    )
    path = artefact_path(artefact_dir, area, chapter, f"{table_id}.csv")
    write_csv_with_declaration(
        frame, mask, path, rule=rule, disclosure=disclosure, decimals=decimals,
        headers=headers, kind=kind,
    )  # fmt: skip
    return path, mask


def write_csv_with_declaration(
    frame: pd.DataFrame,
    mask: pd.DataFrame,
    path: Path,
    *,
    rule: RuleLike,
    disclosure: Disclosure,
    decimals: int | Mapping[str, int] = 1,
    headers: Mapping[str, str] | None = None,
    kind: str = "table",
    not_applicable: pd.DataFrame | None = None,
) -> Path:
    """Write ``frame`` with the cells of ``mask`` hidden to ``path`` (CSV, the GSS symbols)
    and its declaration beside it (``<stem>.disclosure.json``); for tables published
    outside a chapter's folder, such as ``data/indicators.csv``. Cells of
    ``not_applicable`` that are not hidden read ``[z]`` (a count has no denominator)."""
    text = _formatted(
        frame,
        mask,
        rule.marker,
        for_markdown=False,
        count_columns=list(disclosure.counts),
        percent_columns=(),
        decimals=decimals,
    )
    if not_applicable is not None:
        for column in not_applicable.columns.intersection(text.columns):
            where = not_applicable[column].to_numpy(dtype=bool) & ~mask[column].to_numpy(dtype=bool)
            text.loc[where, column] = NOT_APPLICABLE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(format_csv(text).encode("utf-8"))
    sidecar = path.with_name(f"{path.stem}{DISCLOSURE_SUFFIX}")
    sidecar.write_bytes(_declaration(path.stem, disclosure, rule, headers, kind).encode("utf-8"))
    return path


def show_table(
    frame: pd.DataFrame,
    *,
    table_id: str,
    caption: str,
    artefact_dir: str | Path,
    area: str,
    chapter: str,
    rule: RuleLike,
    count_columns: Sequence[str] = (),
    derived_columns: DerivedColumns = (),
    percent_columns: Sequence[str] = (),
    decimals: int | Mapping[str, int] = 1,
    headers: Mapping[str, str] | None = None,
    total_column: str | None = None,
    total_row: int | None = None,
    label: bool = True,
    disclosure: Disclosure | None = None,
    hide: pd.DataFrame | None = None,
    ledger: Ledger | None = None,
) -> Path:
    """Suppress, save as CSV and display one published table; return the CSV path.

    ``count_columns`` are the counts of people or events that small-number suppression
    applies to, ``derived_columns`` what is computed from them (see
    :func:`ina.publishing.suppress`; ``total_column``/``total_row`` switch on secondary
    suppression). In the Markdown table integers get thousands separators,
    ``percent_columns`` one decimal place and other numbers ``decimals`` places (a
    column named ``year`` or ``*_year`` is printed without separators);
    ``headers`` maps column names to the short headers shown (the CSV keeps the column
    names). The caption carries the cross-reference label ``tbl-<table_id>`` (pass
    ``label=False`` when the notebook cell already has a ``#| label: tbl-...`` option).
    Tables wider than :data:`MAX_TABLE_COLUMNS` are refused: they do not fit an A4
    portrait page. ``disclosure`` (with ``hide``/``ledger``) declares the table's structure
    instead (:mod:`ina.publishing.disclosure`); the mask is recorded in ``ledger``.
    """
    if frame.shape[1] > MAX_TABLE_COLUMNS:
        raise InaError(
            f"table {table_id!r} has {frame.shape[1]} columns; at most {MAX_TABLE_COLUMNS} "
            "fit an A4 portrait page: split it or drop columns"
        )
    path, mask = save_table(
        frame,
        table_id=table_id,
        artefact_dir=artefact_dir,
        area=area,
        chapter=chapter,
        rule=rule,
        count_columns=count_columns,
        derived_columns=derived_columns,
        decimals=decimals,
        total_column=total_column,
        total_row=total_row,
        disclosure=disclosure,
        hide=hide,
        ledger=ledger,
        headers=headers,
    )
    counts = list(disclosure.counts) if disclosure is not None else list(count_columns)
    shown = _formatted(
        frame,
        mask,
        rule.marker,
        for_markdown=True,
        count_columns=counts,
        percent_columns=list(percent_columns),
        decimals=decimals,
    )
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    show_markdown(
        format_markdown_table(
            shown,
            caption=caption,
            label=f"tbl-{table_id}" if label else None,
            right_aligned=numeric,
            headers=headers,
        )
    )
    return path
