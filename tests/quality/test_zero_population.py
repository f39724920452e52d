"""QA warns when a published population count is 0 (issue 9: "0 registered patients")."""

from __future__ import annotations

from pathlib import Path

from ina.quality._tables import PublishedTable, read_published_table
from ina.quality.within import check_table, check_zero_populations


def _table(tmp_path: Path, name: str, text: str) -> PublishedTable:
    folder = tmp_path / "data" / "icb" / "population"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return read_published_table(path, tmp_path / "data")


def _flagged(table: PublishedTable) -> list[tuple[str, str]]:
    found = check_zero_populations(table)
    return [(row.row_key, row.column) for frame in found for row in frame.itertuples()]


def test_zero_registered_patients_in_a_long_table_is_a_warning(tmp_path: Path) -> None:
    table = _table(
        tmp_path,
        "pop-registered.csv",
        "age_group,population,people\n"
        "0-15,Registered patients,0\n0-15,Residents,76187\n"
        "16-64,Registered patients,0\n16-64,Residents,268031\n",
    )
    flagged = _flagged(table)
    assert len(flagged) == 2
    assert all(column == "people" for _, column in flagged)
    assert all("Registered patients" in key for key, _ in flagged)
    findings = check_table(table)
    assert set(findings.loc[findings["check"] == "zero-population", "severity"]) == {"warning"}


def test_a_zero_population_column_is_flagged_but_not_a_subset_or_a_suppressed_cell(
    tmp_path: Path,
) -> None:
    table = _table(
        tmp_path,
        "dep-core20-table.csv",
        "name,registered,resident,core20_population,difference\n"
        "Mid Suffolk,0,[c],0,0\nIpswich,1000,990,300,10\n",
    )
    assert _flagged(table) == [("name=Mid Suffolk", "registered")]


def test_indicator_rows_use_their_measure_columns(tmp_path: Path) -> None:
    table = _table(
        tmp_path,
        "indicators.csv",
        "indicator_id,indicator_name,area_id,numerator,denominator,value,"
        "numerator_measure,denominator_measure\n"
        "deaths_u75,Registered patients with diabetes,norwich,0,1500,0.0,deaths,residents\n"
        "rate_x,Rate,ipswich,3,0,0.0,deaths,residents\n",
    )
    assert [column for _, column in _flagged(table)] == ["denominator"]


def test_nothing_is_flagged_when_every_population_is_positive(tmp_path: Path) -> None:
    table = _table(
        tmp_path,
        "pop-registered-table.csv",
        "age_group,registered,resident,difference,ratio\n0-15,78486,76187,2299,103.0\n",
    )
    assert _flagged(table) == []
