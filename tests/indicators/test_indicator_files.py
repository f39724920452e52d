"""data/indicators.csv: tidy columns, disclosure control, [z] cells, and verify's re-derivation."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ina.indicators.publish import INDICATORS_CSV, write_indicator_files
from ina.indicators.results import INDICATOR_COLUMNS, IndicatorResults
from ina.publishing import SuppressionRule

REPO = Path(__file__).resolve().parents[2]
RULE = SuppressionRule(min_count=1, max_count=7, marker="[c]")


def _row(indicator: str, area: str, kind: str, x: float, n: float, **extra: object) -> dict:
    value = x / n * 100 if pd.notna(n) and n else x  # a count (no denominator) is its value
    row = dict.fromkeys(INDICATOR_COLUMNS, np.nan)
    row.update(
        indicator_id=indicator, indicator_name=indicator, chapter="Be Well", area_id=area,
        area_name=area, area_type=kind, period="2024", numerator=x, denominator=n,
        value=value, lower_95=value - 1, upper_95=value + 1, lower_99_8=value - 2,
        upper_99_8=value + 2, unit="%", polarity="low is good",
        comparator_id="england" if kind == "icb" else "icb", comparison="similar",
        trend="Cannot be calculated", target_value="< 6", target_date="2027/28",
        target_status="not met", source="computed",
    )  # fmt: skip
    row.update(extra)
    return row


def _results(rows: list[dict]) -> IndicatorResults:
    table = pd.DataFrame(rows)[INDICATOR_COLUMNS]
    table["comparator_value"] = table["comparator_id"].map(
        dict(zip(table["area_id"], table["value"], strict=False))
    )
    empty = pd.DataFrame()
    return IndicatorResults(table=table, annual=empty, trends=empty, targets=empty)


def _published(tmp_path: Path, rows: list[dict], **kwargs: object) -> pd.DataFrame:
    write_indicator_files(_results(rows), tmp_path, rule=RULE, **kwargs)
    return pd.read_csv(tmp_path / INDICATORS_CSV, dtype=str, keep_default_na=False)


def test_a_small_place_count_is_hidden_with_a_complement_and_its_derived_cells(
    tmp_path: Path,
) -> None:
    rows = [
        _row("smoking", "icb", "icb", 500, 5000),
        _row("smoking", "north", "place", 5, 1000),  # small: hidden
        _row("smoking", "south", "place", 495, 4000),  # ICB − north: must go too
    ]
    out = _published(tmp_path, rows).set_index("area_id")
    assert list(pd.read_csv(tmp_path / INDICATORS_CSV, nrows=0).columns)[:24] == INDICATOR_COLUMNS
    for area in ("north", "south"):
        assert out.loc[area, "numerator"] == "[c]"
        for column in ("value", "lower_95", "upper_99_8", "comparison", "target_status"):
            assert out.loc[area, column] == "[c]", (area, column)
    assert out.loc["icb", "numerator"] == "500"
    assert (tmp_path / "indicators.disclosure.json").is_file()
    parquet = pd.read_parquet(tmp_path / "indicators.parquet")
    assert parquet.equals(pd.read_csv(tmp_path / INDICATORS_CSV, dtype=str, keep_default_na=False))


def test_a_hidden_icb_value_is_hidden_where_places_are_compared_with_it(tmp_path: Path) -> None:
    rows = [
        _row("deaths", "icb", "icb", 20, 5000),
        _row("deaths", "north", "place", 10, 2000),
        _row("deaths", "south", "place", 10, 3000),
    ]
    decided = pd.DataFrame(
        {
            "indicator_id": ["deaths"],
            "area_id": ["icb"],
            "numerator": [True],
            "denominator": [False],
        }
    )
    out = _published(tmp_path, rows, summary_hidden=decided).set_index("area_id")
    assert out.loc["icb", "numerator"] == "[c]" and out.loc["icb", "value"] == "[c]"
    # The places' comparator is the ICB's (hidden) value: not shown, and not compared.
    assert out.loc["north", "comparator_value"] == "[c]"
    assert out.loc["north", "comparison"] == "[c]"


def test_not_applicable_cells_read_z(tmp_path: Path) -> None:
    rows = [
        _row("patients", "icb", "icb", 1_000_000, np.nan, lower_95=np.nan, upper_95=np.nan,
             lower_99_8=np.nan, upper_99_8=np.nan, comparison="not compared",
             target_value=np.nan, target_date=np.nan, target_status=np.nan),
        _row("patients", "england", "england", 60_000_000, np.nan, lower_95=np.nan,
             upper_95=np.nan, lower_99_8=np.nan, upper_99_8=np.nan, comparison="not compared",
             comparator_id=np.nan, target_value=np.nan, target_date=np.nan,
             target_status=np.nan),
    ]  # fmt: skip
    out = _published(tmp_path, rows).set_index("area_id")
    assert out.loc["icb", "denominator"] == "[z]"
    assert out.loc["icb", "lower_95"] == "[z]"
    assert out.loc["icb", "target_status"] == "[z]"
    assert out.loc["england", "comparator_id"] == "[z]"


@pytest.mark.slow
def test_verify_recomputes_the_indicator_files_and_finds_an_edit(tmp_path: Path) -> None:
    from ina.build.verify import rederive_indicators
    from ina.indicators.publish import publish_indicators

    if not (REPO / "data_raw" / "deaths").is_dir():
        pytest.skip("demo extracts are not present")
    outputs = tmp_path / "outputs"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        publish_indicators(REPO / "ina.yml", outputs / "data")
        assert rederive_indicators(outputs, REPO / "ina.yml", tmp_path / "scratch-1") == []
        csv = outputs / "data" / INDICATORS_CSV
        lines = csv.read_text(encoding="utf-8").splitlines()
        lines[2] = lines[2].replace(",computed", ",fingertips")
        csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
        problems = rederive_indicators(outputs, REPO / "ina.yml", tmp_path / "scratch-2")
    assert problems == ["data/indicators.csv: differs from the values re-derived from the extracts"]


def test_an_indicators_own_rule_hides_more_than_the_config(tmp_path: Path) -> None:
    from ina.indicators import load_catalogue

    entry = """indicators:
  - id: suicides
    short_name: Suicides
    phrase: it
    section: population
    definition: Test.
    numerator: {text: d, source: deaths}
    denominator: {text: r, source: resident_population}
    age: All ages
    period: Test
    standardisation: none
    unit: "%"
    multiplier: 100
    decimals: 1
    statistic: proportion_wilson
    polarity: low is good
    sources: [deaths, resident_population]
    suppression: {min_count: 1, max_count: 10}
"""
    path = tmp_path / "feel_well.yml"
    path.write_text(entry, encoding="utf-8")
    catalogue = load_catalogue(path)
    rows = [
        _row("suicides", "icb", "icb", 30, 50000),
        _row("suicides", "north", "place", 9, 20000),  # above ina.yml's 7, within its own 10
        _row("suicides", "south", "place", 21, 30000),
    ]
    folder = tmp_path / "out"
    write_indicator_files(_results(rows), folder, rule=RULE, catalogue=catalogue)
    out = pd.read_csv(folder / INDICATORS_CSV, dtype=str, keep_default_na=False)
    out = out.set_index("area_id")
    assert out.loc["north", "numerator"] == "[c]" and out.loc["north", "value"] == "[c]"
    assert out.loc["south", "numerator"] == "[c]"  # the complement
    assert out.loc["icb", "numerator"] == "30"
