"""docs/data-contract.md's source table is the one ina.sources.contract generates."""

from __future__ import annotations

from pathlib import Path

from ina.config import Sources
from ina.sources.contract import CONTRACT, END_MARKER, START_MARKER, contract_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-contract.md"


def test_every_source_key_has_terms() -> None:
    assert set(CONTRACT) == set(Sources.model_fields)


def test_committed_table_matches_the_generated_one() -> None:
    text = DOC.read_text(encoding="utf-8")
    committed = text.split(START_MARKER, 1)[1].split(END_MARKER, 1)[0].strip()
    assert committed == contract_markdown(), (
        "docs/data-contract.md is stale: paste `python -m ina.sources.contract` between its markers"
    )


def test_table_has_one_row_per_source_with_how_to_obtain() -> None:
    rows = [line for line in contract_markdown().splitlines()[2:]]
    assert [row.split(" | ")[0].strip("| `") for row in rows] == list(Sources.model_fields)
    by_key = {row.split(" | ")[0].strip("| `"): row for row in rows}
    for key in ("deaths", "births"):
        assert "data-sharing agreement" in by_key[key] and "PCMD" in by_key["deaths"]
        assert " | optional | " in by_key[key]
    assert " | required | " in by_key["small_area_lookup"]
    assert "public download" in by_key["deprivation"]
