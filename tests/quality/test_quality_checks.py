"""ina.quality checks on hand-made published tables (data/<area>/<chapter>/<id>.csv)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ina.errors import BuildError, ConfigError
from ina.quality import (
    FINDING_COLUMNS,
    compare_tables,
    raise_on_errors,
    read_published_table,
    run_quality_checks,
)
from ina.quality._tables import interval_columns, key_columns_of
from ina.quality.within import check_table

ICB_NAME = "NHS Norfolk and Suffolk ICB"


def write_table(data_dir: Path, relative: str, text: str) -> Path:
    path = data_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def table_of(tmp_path: Path, text: str, relative: str = "icb/chapter/table.csv"):
    data_dir = tmp_path / "data"
    return read_published_table(write_table(data_dir, relative, text), data_dir)


def compare_texts(tmp_path: Path, old: str, new: str, **options) -> pd.DataFrame:
    old_table = table_of(tmp_path / "old", old)
    new_table = table_of(tmp_path / "new", new)
    return compare_tables(new_table, old_table, **options)


BASE = "name,deaths,rate\nNorwich,100,10.5\nIpswich,200,20.0\n"


# --- between releases -------------------------------------------------------------------


def test_a_four_percent_move_is_not_reported(tmp_path: Path) -> None:
    findings = compare_texts(
        tmp_path, BASE, "name,deaths,rate\nNorwich,104,10.5\nIpswich,200,20.0\n"
    )
    assert findings.empty


def test_a_six_percent_move_is_a_warning_naming_row_column_and_both_values(tmp_path) -> None:
    findings = compare_texts(
        tmp_path, BASE, "name,deaths,rate\nNorwich,106,10.5\nIpswich,200,20.0\n"
    )
    assert len(findings) == 1
    finding = findings.iloc[0]
    assert (finding["check"], finding["severity"]) == ("value-moved", "warning")
    assert (finding["area"], finding["chapter"], finding["table"]) == ("icb", "chapter", "table")
    assert (finding["row_key"], finding["column"]) == ("name=Norwich", "deaths")
    assert (finding["previous_value"], finding["new_value"]) == ("100", "106")
    assert "+6.0%" in finding["message"]
    assert list(findings.columns) == list(FINDING_COLUMNS)


def test_a_fall_counts_as_a_move_and_the_threshold_is_configurable(tmp_path: Path) -> None:
    new = "name,deaths,rate\nNorwich,94,10.5\nIpswich,200,20.0\n"
    assert compare_texts(tmp_path / "a", BASE, new)["message"].str.contains("-6.0%").all()
    assert compare_texts(tmp_path / "b", BASE, new, threshold=0.10).empty


def test_rows_are_matched_by_key_not_position(tmp_path: Path) -> None:
    reordered = "name,deaths,rate\nIpswich,200,20.0\nNorwich,100,10.5\n"
    assert compare_texts(tmp_path / "same", BASE, reordered).empty
    moved = "name,deaths,rate\nIpswich,200,20.0\nNorwich,120,10.5\n"
    findings = compare_texts(tmp_path / "moved", BASE, moved)
    assert findings[["row_key", "column"]].values.tolist() == [["name=Norwich", "deaths"]]


def test_composite_keys_match_long_tables(tmp_path: Path) -> None:
    old = "age_group,year,people\n0-15,2030,100\n0-15,2040,110\n16-64,2030,500\n"
    new = "age_group,year,people\n16-64,2030,500\n0-15,2040,130\n0-15,2030,100\n"
    findings = compare_texts(tmp_path, old, new)
    assert findings["row_key"].tolist() == ["age_group=0-15, year=2040"]


def test_rows_and_columns_that_appear_or_disappear_are_notes(tmp_path: Path) -> None:
    new = "name,deaths,population\nNorwich,100,5000\nThetford,50,3000\n"
    findings = compare_texts(tmp_path, BASE, new)
    assert set(findings["severity"]) == {"note"}
    assert set(zip(findings["check"], findings["row_key"], findings["column"], strict=True)) == {
        ("column-added", "", "population"),
        ("column-removed", "", "rate"),
        ("row-added", "name=Thetford", ""),
        ("row-removed", "name=Ipswich", ""),
    }


def test_suppression_changes_are_notes_not_moves(tmp_path: Path) -> None:
    new = "name,deaths,rate\nNorwich,[c],[c]\nIpswich,200,20.0\n"
    findings = compare_texts(tmp_path, BASE, new)
    assert set(findings["check"]) == {"suppression-changed"}
    assert set(findings["severity"]) == {"note"}
    assert findings["message"].str.contains("now suppressed").all()


def test_a_one_unit_change_in_the_last_decimal_place_is_rounding(tmp_path: Path) -> None:
    old = "name,percent\nNorwich,0.0001\nIpswich,0.0100\n"
    new = "name,percent\nNorwich,0.0002\nIpswich,0.0110\n"
    findings = compare_texts(tmp_path, old, new)
    assert findings["row_key"].tolist() == ["name=Ipswich"]


def test_a_zero_that_becomes_non_zero_is_a_move(tmp_path: Path) -> None:
    findings = compare_texts(tmp_path, "name,deaths\nA,0\n", "name,deaths\nA,9\n")
    assert findings["check"].tolist() == ["value-moved"]


def test_tables_that_appear_or_disappear_are_notes(tmp_path: Path) -> None:
    old_dir, new_dir = tmp_path / "old" / "data", tmp_path / "new" / "data"
    write_table(old_dir, "icb/ch/kept.csv", BASE)
    write_table(old_dir, "icb/ch/gone.csv", BASE)
    write_table(new_dir, "icb/ch/kept.csv", BASE)
    write_table(new_dir, "west-norfolk/ch/fresh.csv", BASE)
    result = run_quality_checks(new_dir, previous_data_dir=old_dir)
    assert result.tables_checked == 2 and result.tables_compared == 1
    got = set(result.findings[["check", "area", "table"]].itertuples(index=False, name=None))
    assert got == {("table-added", "west-norfolk", "fresh"), ("table-removed", "icb", "gone")}


def test_a_first_release_has_no_between_release_findings(tmp_path: Path) -> None:
    data_dir = tmp_path / "outputs" / "data"
    write_table(data_dir, "icb/ch/t.csv", BASE)
    result = run_quality_checks(data_dir, previous_data_dir=tmp_path / "previous" / "data")
    assert result.previous_release is None and result.findings.empty
    assert "no previous release" in result.summary_line()


def test_a_threshold_that_is_not_positive_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="threshold"):
        run_quality_checks(tmp_path, threshold=0)


# --- within the release -------------------------------------------------------------------


def test_interval_pairs_are_recognised_in_every_naming_style() -> None:
    found = interval_columns(
        ["label", "dsr", "dsr_lower", "dsr_upper", "value", "lowercl", "uppercl"]
    )
    assert {(i.lower, i.upper, i.value) for i in found} == {
        ("dsr_lower", "dsr_upper", "dsr"),
        ("lowercl", "uppercl", "value"),
    }
    fingertips = interval_columns(["Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit"])
    assert [(i.lower, i.upper, i.value) for i in fingertips] == [
        ("Lower CI 95.0 limit", "Upper CI 95.0 limit", "Value")
    ]


def test_a_value_outside_its_interval_is_an_error(tmp_path: Path) -> None:
    table = table_of(
        tmp_path,
        "label,dsr,dsr_lower,dsr_upper\n1,1231.1,1214.8,1247.6\n2,1300.0,1083.5,1111.2\n",
    )
    findings = check_table(table)
    assert findings[["check", "severity", "row_key", "column", "new_value"]].values.tolist() == [
        ["interval", "error", "label=2", "dsr", "1300.0"]
    ]
    assert "[1083.5, 1111.2]" in findings.iloc[0]["message"]


def test_a_value_on_its_rounded_limit_is_inside(tmp_path: Path) -> None:
    # 0 deaths: the rate and its lower limit are both 0; rounding can also touch a limit.
    table = table_of(tmp_path, "label,value,lowercl,uppercl\na,0,0,3.7\nb,5.25,5.3,6.0\n")
    assert check_table(table).empty


def test_lower_above_upper_is_an_error(tmp_path: Path) -> None:
    table = table_of(tmp_path, "label,Value,Lower CI,Upper CI\na,10,12,8\n")
    findings = check_table(table)
    assert findings["check"].tolist() == ["interval"]
    assert findings.iloc[0]["column"] == "Lower CI, Upper CI"
    assert "above" in findings.iloc[0]["message"]


def test_suppressed_cells_are_skipped_by_the_interval_check(tmp_path: Path) -> None:
    assert check_table(table_of(tmp_path, "label,dsr,dsr_lower,dsr_upper\na,[c],[c],[c]\n")).empty


def test_percentages_outside_0_to_100_and_negative_counts_are_errors(tmp_path: Path) -> None:
    table = table_of(
        tmp_path,
        "name,deaths,percent_65_plus,percent_change,difference\n"
        "A,10,101.5,250.0,-4\nB,-1,-0.5,-30.0,-2\nC,3,50,0,1\n",
    )
    findings = check_table(table)
    got = findings[["check", "row_key", "column"]].values.tolist()
    assert got == [
        ["negative-count", "name=B", "deaths"],
        ["percent-range", "name=A", "percent_65_plus"],
        ["percent-range", "name=B", "percent_65_plus"],
    ]  # changes and differences may be negative or above 100
    assert set(findings["severity"]) == {"error"}


PARTS = (
    "name,population,core20_population,core20_percent,share_of_core20\n"
    "Norwich,143518,51263,35.7189,79.5083\n"
    "Breckland,145247,8265,5.6903,12.8189\n"
    "Broadland,133171,4947,3.7148,7.6728\n"
    "Central Norfolk,421936,64475,15.2807,100.0000\n"
    f"{ICB_NAME},1700142,209371,12.3149,\n"
)


def test_parts_that_add_up_to_the_area_total_give_nothing(tmp_path: Path) -> None:
    table = table_of(tmp_path, PARTS, "central-norfolk/deprivation/dep-core20-table.csv")
    assert check_table(table, area_name="Central Norfolk").empty


def test_parts_not_summing_to_the_total_row_are_a_warning(tmp_path: Path) -> None:
    text = PARTS.replace("Breckland,145247", "Breckland,155247").replace("7.6728", "8.6728")
    table = table_of(tmp_path, text, "central-norfolk/deprivation/dep-core20-table.csv")
    findings = check_table(table, area_name="Central Norfolk")
    got = findings[["check", "severity", "row_key", "column", "previous_value", "new_value"]]
    assert got.values.tolist() == [
        ["parts-sum", "warning", "name=Central Norfolk", "population", "431936", "421936"],
        ["parts-sum", "warning", "name=Central Norfolk", "share_of_core20", "101.0000", "100.0000"],
    ]  # core20_percent is a rate, not a share: it is not summed


def test_rows_below_the_total_are_comparators_not_parts(tmp_path: Path) -> None:
    # Without the area name the ICB row is not a total: nothing is summed.
    table = table_of(tmp_path, PARTS.replace("Central Norfolk,421936", "Central Norfolk,1"))
    assert check_table(table, area_name=None).empty


def test_an_all_ages_row_is_a_total_and_suppressed_parts_skip_the_sum(tmp_path: Path) -> None:
    text = (
        "age_group,registered,resident,ratio\n"
        "0-15,10,9,111.1\n16+,20,19,105.3\nAll ages,35,25,140.0\n"
    )
    findings = check_table(table_of(tmp_path / "a", text))
    assert findings[["row_key", "column"]].values.tolist() == [
        ["age_group=All ages", "registered"],
        ["age_group=All ages", "resident"],
    ]
    suppressed = text.replace("0-15,10,9", "0-15,[c],9")
    findings = check_table(table_of(tmp_path / "b", suppressed))
    assert findings["column"].tolist() == ["resident"]


def test_a_total_per_group_in_a_long_table(tmp_path: Path) -> None:
    text = (
        "age_group,year,people\n0-15,2030,10\n16+,2030,20\nAll ages,2030,30\n"
        "0-15,2040,10\n16+,2040,25\nAll ages,2040,30\n"
    )
    findings = check_table(table_of(tmp_path, text))
    assert findings["row_key"].tolist() == ["age_group=All ages, year=2040"]


def test_parts_not_summing_to_a_total_column_are_a_warning(tmp_path: Path) -> None:
    text = "age_band,female_deaths,male_deaths,persons\n0-4,3,4,7\n5-9,10,12,25\n"
    findings = check_table(table_of(tmp_path, text))
    assert findings[["check", "row_key", "column", "new_value"]].values.tolist() == [
        ["parts-sum", "age_band=5-9", "persons", "25"]
    ]


def test_key_columns_are_the_leading_text_columns_extended_until_unique() -> None:
    text = pd.DataFrame({"age_group": ["a", "a", "b"], "year": ["1", "2", "1"], "v": ["1"] * 3})
    assert key_columns_of(text, {"year", "v"}) == ["age_group", "year"]
    numeric_first = pd.DataFrame({"imd_decile": ["1", "2"], "percent": ["5", "6"]})
    assert key_columns_of(numeric_first, {"imd_decile", "percent"}) == ["imd_decile"]


def test_errors_stop_with_a_build_error_naming_step_table_and_row(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    write_table(
        data_dir, "icb/deprivation/dep-mortality.csv", "label,dsr,dsr_lower,dsr_upper\n2,9,1,2\n"
    )
    result = run_quality_checks(data_dir)
    with pytest.raises(BuildError) as caught:
        raise_on_errors(result, report_path="build/qa/qa-report.md")
    message = str(caught.value)
    assert "step 'qa'" in message
    assert "data/icb/deprivation/dep-mortality.csv" in message and "row label=2" in message
    assert "build/qa/qa-report.md" in message


def test_warnings_and_notes_do_not_stop_the_build(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    write_table(data_dir, "icb/ch/t.csv", "age_group,people\na,1\nb,1\nAll,5\n")
    result = run_quality_checks(data_dir)
    assert result.count("warning") == 1
    raise_on_errors(result)  # does not raise
