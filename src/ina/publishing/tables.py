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
import re
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
    "AREA_REGISTER",
    "CSV_DECIMALS",
    "DISCLOSURE_SUFFIX",
    "MAX_TABLE_COLUMNS",
    "MISSING",
    "artefact_path",
    "data_link",
    "data_link_markdown",
    "declare_count_free_table",
    "format_csv",
    "format_markdown_table",
    "publication_mask",
    "save_table",
    "self_describing",
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
#: The build's register of areas (``area_id, area_code, area_name, area_kind``), written
#: into the artefact folder before any notebook runs; every chapter CSV names its area(s)
#: from it (:func:`self_describing`).
AREA_REGISTER = "areas.csv"
#: The folder of the published outputs that holds the artefacts (``outputs/data``): links
#: from the report to a CSV are written relative to the outputs folder (``data/...``) and
#: rebased by the build for each page (:func:`ina.build.assemble.rebase_data_links`).
DATA_FOLDER = "data"
#: Interval bounds of published tables are 95% intervals unless the name says 99.8%:
#: ``lower``, ``lowercl``, ``dsr_lower`` -> ``lower_95_ci``, ``dsr_lower_95_ci``...
_BOUND = re.compile(r"^(?P<stem>.*?_)?(?P<bound>lower|upper)(?:cl)?$")
_INTERVAL = re.compile(r"^(?P<stem>.+)_ci$")


def artefact_path(artefact_dir: str | Path, area: str, chapter: str, name: str) -> Path:
    """Return ``<artefact_dir>/<area>/<chapter>/<name>``, creating the folder."""
    folder = Path(artefact_dir) / area / chapter
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def data_link(area: str, chapter: str, name: str) -> str:
    """Where ``<area>/<chapter>/<name>`` is published, relative to the outputs folder."""
    return f"{DATA_FOLDER}/{area}/{chapter}/{name}"


def data_link_markdown(area: str, chapter: str, table_id: str, *, what: str) -> str:
    """The download link shown under a figure or table: ``Download the data ... (CSV)``.

    The link names the table id as well, so a reader told about ``sum-trends`` in the text
    finds it, and the paragraph carries class ``ina-download`` for the page's styling.
    """
    target = data_link(area, chapter, f"{table_id}.csv")
    return f"[Download the data of {what} `{table_id}` (CSV)]({target}){{.ina-download}}\n"


def _area_register(artefact_dir: str | Path) -> pd.DataFrame | None:
    path = Path(artefact_dir) / AREA_REGISTER
    if not path.is_file():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("area_id")


def _interval_name(column: str, taken: set[str]) -> str:
    """An interval bound or interval column spelt out: ``lower`` -> ``lower_95_ci``."""
    if "95" in column or "998" in column or "99_8" in column:
        return column
    bound = _BOUND.match(column)
    if bound:
        renamed = f"{bound.group('stem') or ''}{bound.group('bound')}_95_ci"
    else:
        interval = _INTERVAL.match(column)
        if not interval:
            return column
        renamed = f"{interval.group('stem')}_95_ci"
    return column if renamed in taken else renamed


def self_describing(
    frame: pd.DataFrame, mask: pd.DataFrame, *, area: str, artefact_dir: str | Path
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """The table as its CSV publishes it: named area and explicit interval columns.

    A CSV is read on its own, away from the report, so every one says which area it is
    about (``area_code``, ``area_name``: per row after ``area_id`` when the table has one,
    else two last columns for the report's area, from the build's :data:`AREA_REGISTER`)
    and what its interval columns are (``lower`` -> ``lower_95_ci``, ``gap_ci`` ->
    ``gap_95_ci``). Returns the frame, its mask (new cells are never hidden) and the
    renames, which the declaration beside the CSV follows. Without a register (a table
    published outside a build) the area columns are left out: nothing is made up.
    """
    taken = set(map(str, frame.columns))
    renames = {
        str(column): _interval_name(str(column), taken)
        for column in frame.columns
        if _interval_name(str(column), taken) != str(column)
    }
    out = frame.rename(columns=renames)
    out_mask = mask.rename(columns=renames)
    register = _area_register(artefact_dir)
    if register is not None and not {"area_code", "area_name"} & set(out.columns):
        if "area_id" in out.columns:
            ids = out["area_id"].astype(str)
            position = list(out.columns).index("area_id") + 1
            codes = ids.map(register["area_code"]).fillna(ids)
            names = ids.map(register["area_name"]).fillna(NOT_AVAILABLE)
            out.insert(position, "area_code", codes.to_numpy())
            out.insert(position + 1, "area_name", names.to_numpy())
            out_mask.insert(position, "area_code", False)
            out_mask.insert(position + 1, "area_name", False)
        elif area in register.index:
            out = out.assign(
                area_code=register.at[area, "area_code"], area_name=register.at[area, "area_name"]
            )
            out_mask = out_mask.assign(area_code=False, area_name=False)
    return out, out_mask, renames


def _renamed(document: object, renames: Mapping[str, str]) -> object:
    """A declaration with column names renamed (keys of ``derived``/``headers`` too)."""
    if isinstance(document, str):
        return renames.get(document, document)
    if isinstance(document, list):
        return [_renamed(item, renames) for item in document]
    if isinstance(document, dict):
        return {renames.get(k, k): _renamed(v, renames) for k, v in document.items()}
    return document


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
    renames: Mapping[str, str] | None = None,
) -> str:
    """The sidecar JSON: what the scanner and a reader need to know about the table."""
    document = json.loads(disclosure.to_json())
    if renames:
        document = _renamed(document, renames)
        headers = {renames.get(k, k): v for k, v in (headers or {}).items()}
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
    published, published_mask, renames = self_describing(
        frame, mask, area=area, artefact_dir=artefact_dir
    )
    if isinstance(decimals, Mapping):
        decimals = {renames.get(k, k): v for k, v in decimals.items()}
    write_csv_with_declaration(
        published, published_mask, path, rule=rule, disclosure=disclosure, decimals=decimals,
        headers=headers, kind=kind, renames=renames,
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
    renames: Mapping[str, str] | None = None,
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
        count_columns=[(renames or {}).get(c, c) for c in disclosure.counts],
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
    declaration = _declaration(path.stem, disclosure, rule, headers, kind, renames)
    sidecar.write_bytes(declaration.encode("utf-8"))
    return path


def declare_count_free_table(path: Path, *, rule: RuleLike) -> Path:
    """Publish the declaration of a CSV that holds no count of people or events.

    Why: the register of areas, the list of source extracts (their file row counts) and
    the coverage table are published beside the chapters' tables; a declaration with no
    count columns says so explicitly, so the disclosure scanner accounts for every CSV it
    finds instead of skipping the ones nobody declared.
    """
    sidecar = path.with_name(f"{path.stem}{DISCLOSURE_SUFFIX}")
    sidecar.write_bytes(_declaration(path.stem, Disclosure(), rule, None, "table").encode())
    return sidecar


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
        + "\n"
        + data_link_markdown(area, chapter, table_id, what="this table")
    )
    return path
