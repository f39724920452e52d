"""Census 2021 tables downloaded as CSV from Nomis (``TS007A``, ``TS021`` ...).

A Nomis download starts with a preamble (blank line, quoted title, copyright, ``Date :``
and sometimes ``Population :``/``Units :`` rows, blank) before the header
``"<geography type>","mnemonic","Total","<category>",...`` and ends with blank lines.
The header is found by its ``mnemonic`` column (the area code); line numbers in messages
count the preamble.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ina.errors import InputError
from ina.sources import _checks as check
from ina.sources._ages import count_matrix
from ina.sources._base import Extract, has_columns, read_csv_table, read_file_bytes

TOTAL = r"Total(?::.*)?"
_HEADER = has_columns("mnemonic", TOTAL)


def read_nomis_census(path: str | Path, *, name: str | None = None) -> Extract:
    """Read a Nomis census table into ``area_code, area_name, category, count`` (long).

    Categories keep Nomis' labels in column order (``Aged 4 years and under`` ...).
    Checks: ONS area codes, whole counts >= 0, one row per area, ``Total``
    (or ``Total: All usual residents``) = sum of the categories on every row. The data
    end at the first blank line (footnotes follow it).
    """
    raw = read_file_bytes(path)
    table = read_csv_table(
        raw,
        header=_HEADER,
        stop_at_blank_line=True,
        expected="a header with 'mnemonic' and 'Total'",
    )
    columns = list(table.frame.columns)
    name_column = columns[0]
    total_column = next(c for c in columns if re.fullmatch(TOTAL, c))
    categories = [c for c in columns if c not in (name_column, "mnemonic", total_column)]
    if not categories:
        raise InputError(
            table.label, "no category columns after 'Total'", expected="one column per category"
        )
    code = check.codes(table, "mnemonic", check.ONS_AREA, description="ONS area")
    area_name = check.text(table, name_column)
    total = check.counts(table, total_column)
    matrix = count_matrix(table, categories)
    check.unique(table, {"mnemonic": code}, "area")
    check.totals_match(
        table,
        total_positions=np.arange(len(total)),
        totals=total,
        sums=matrix.sum(axis=1),
        column="Total",
        what="Total",
    )
    repeat = np.repeat(np.arange(len(code)), len(categories))
    frame = pd.DataFrame(
        {
            "area_code": code.take(repeat).reset_index(drop=True),
            "area_name": area_name.take(repeat).reset_index(drop=True),
            "category": pd.Categorical(np.tile(categories, len(code)), categories=categories),
            "count": matrix.reshape(-1),
        }
    )
    label = name or "census_" + Path(path).stem.split("_")[0].lower()
    provenance = raw.provenance(label, rows=len(table.frame), fmt="nomis_census_csv")
    return Extract(label, frame, (provenance,))
