"""Shared fixtures for the statistics tests.

The PHEindicatormethods test vectors live outside the repository, in the read-only
``shared`` folder next to it (``<repo>/../shared/reference/pheindicatormethods``). Tests
that need them take the ``reference_dir`` fixture, which skips the test (rather than
failing it) when the folder is absent, e.g. on a fresh clone or in a minimal CI image.
"""

from __future__ import annotations

from pathlib import Path

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
