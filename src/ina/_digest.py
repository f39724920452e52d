"""One SHA-256 of in-memory inputs (data frames and plain values), for in-process caches.

Why shared: the rendered-figure cache (:func:`ina.publishing.figures.mark_reproducible`)
and the whole-ICB disclosure decisions (:mod:`ina.chapters.disclosure`) both key what they
keep by everything it was computed from, and must hash a data frame the same way: by its
column names, dtypes, index and values.
"""

from __future__ import annotations

import hashlib

import pandas as pd

__all__ = ["inputs_digest"]


def inputs_digest(*inputs: object) -> str:
    """SHA-256 (hex) of ``inputs``: data frames by columns, dtypes, index and values
    (:func:`pandas.util.hash_pandas_object`), anything else by its ``repr``."""
    digest = hashlib.sha256()
    for value in inputs:
        if isinstance(value, pd.DataFrame):
            digest.update(repr((list(value.columns), list(value.dtypes.astype(str)))).encode())
            digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        else:
            digest.update(repr(value).encode())
        digest.update(b"\x00")
    return digest.hexdigest()
