"""The scanner fails on the outputs published before the fix (fixtures/prefix)."""

from __future__ import annotations

from pathlib import Path

from ina.publishing.scan import scan_outputs

PREFIX = Path(__file__).resolve().parent / "fixtures" / "prefix"


def test_the_pre_fix_outputs_give_the_thin_year_back() -> None:
    findings = scan_outputs(PREFIX, pdf=False).findings
    details = {(f.table_id, f.row, f.column, f.detail) for f in findings}
    # Issue 6: pooled 2020-24 births minus the other years = 3, and deaths = 5 ...
    assert (
        "sum-trends",
        "area_id=west-norfolk, indicator_id=birth_rate, year=2020",
        "numerator",
        "total 5551 minus the other parts (area_id=west-norfolk, indicator_id=birth_rate) = 3",
    ) in details
    assert (
        "sum-trends",
        "area_id=west-norfolk, indicator_id=mortality_all_ages, year=2020",
        "numerator",
        "total 8530 minus the other parts (area_id=west-norfolk, indicator_id=mortality_all_ages)"
        " = 5",
    ) in details
    # ... the same from the ICB minus the other places ...
    assert any(
        f.table_id == "sum-trends" and f.detail.endswith("(indicator_id=birth_rate, year=2020) = 3")
        for f in findings
    )
    # ... the yearly table hides the thin year with no complement ...
    kinds = {(f.table_id, f.column, f.kind) for f in findings}
    assert ("pop-births-deaths-table", "births", "subtraction") in kinds
    # ... and the chart published the rates without the counts they derive from.
    assert ("pop-births-deaths", "births", "declaration") in kinds
