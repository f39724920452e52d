"""Shared fixtures for the statistics tests.

The PHEindicatormethods test vectors live outside the repository, in the read-only
``shared`` folder next to it (``<repo>/../shared/reference/pheindicatormethods``). Tests
that need them take the ``reference_dir`` fixture, which skips the test (rather than
failing it) when the folder is absent, e.g. on a fresh clone or in a minimal CI image.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
REFERENCE_DIR = REPO_ROOT / ".." / "shared" / "reference" / "pheindicatormethods"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The folder of PHEindicatormethods test vectors; skips the test when it is absent."""
    if not REFERENCE_DIR.is_dir():
        pytest.skip(f"PHEindicatormethods reference vectors not found at {REFERENCE_DIR}")
    return REFERENCE_DIR.resolve()


@pytest.fixture(scope="session")
def read_reference(reference_dir: Path):
    """Return a reader for one reference CSV, keeping empty cells as NA and text as text.

    ``keep_default_na=False`` with ``na_values=[""]`` stops pandas reading literal strings
    such as ``"None"`` or ``"NA"`` (which appear as data in some sheets) as missing.
    """

    def read(name: str) -> pd.DataFrame:
        path = reference_dir / name
        if not path.is_file():
            pytest.skip(f"reference file {name} not found in {reference_dir}")
        return pd.read_csv(path, keep_default_na=False, na_values=[""])

    return read


#: The README's achievable tolerance for full-precision vectors (everything but funnels).
REFERENCE_RTOL = 1e-9


def assert_columns_match(
    actual: pd.DataFrame,
    expected: pd.DataFrame,
    columns: list[str],
    rtol: float = REFERENCE_RTOL,
) -> None:
    """Compare columns row by row: numbers to ``rtol`` with NA in the same places, text exactly.

    Both frames must already be in the same row order; the index is ignored.
    """
    assert len(actual) == len(expected), f"{len(actual)} rows, expected {len(expected)}"
    for column in columns:
        assert column in actual.columns, f"missing output column {column!r}"
        got, want = actual[column], expected[column]
        if pd.api.types.is_numeric_dtype(want) and not pd.api.types.is_bool_dtype(want):
            got_values = got.to_numpy(dtype=float, na_value=float("nan"))
            want_values = want.to_numpy(dtype=float, na_value=float("nan"))
            np.testing.assert_allclose(
                got_values, want_values, rtol=rtol, atol=0, equal_nan=True, err_msg=column
            )
        else:
            got_text = [None if pd.isna(v) else str(v) for v in got]
            want_text = [None if pd.isna(v) else str(v) for v in want]
            assert got_text == want_text, f"column {column!r}: {got_text} != {want_text}"


@pytest.fixture(scope="session")
def columns_match():
    """The :func:`assert_columns_match` helper, as a fixture for tests in any folder."""
    return assert_columns_match
