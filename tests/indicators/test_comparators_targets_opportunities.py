"""Fingertips comparators (real exports), target status and levelling-up opportunities."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ina.errors import InputError, StatisticsError
from ina.indicators import load_catalogue
from ina.indicators.comparators import fingertips_comparators, same_period
from ina.indicators.opportunities import benchmark_value, levelling_up
from ina.indicators.targets import CANNOT_BE_ASSESSED, MET, NOT_MET, NOT_YET_DUE, target_progress
from ina.sources import read_fingertips

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real-data"

ENTRY = """
  - id: {id}
    short_name: {id}
    phrase: it
    section: population
    definition: Test.
    numerator: {{text: x, source: registered_by_age}}
    denominator: {{text: n, source: registered_by_age}}
    age: All ages
    period: Test
    standardisation: none
    unit: "%"
    multiplier: 100
    decimals: 1
    statistic: proportion_wilson
    polarity: low is good
    sources: [registered_by_age]
{extra}"""


def _catalogue(tmp_path: Path, *entries: str) -> object:
    path = tmp_path / "be_well.yml"
    path.write_text("indicators:\n" + "".join(entries), encoding="utf-8")
    return load_catalogue(path)


# --- Fingertips comparators ------------------------------------------------------------------


def test_periods_match_on_their_digits() -> None:
    assert same_period("2020-24", "2020 - 24")
    assert same_period("2022-23", "2022/23")
    assert not same_period("2022", "2022/23")
    assert not same_period("", "")


@pytest.mark.real_data
def test_england_and_region_from_the_real_smoking_export(tmp_path: Path) -> None:
    path = REAL / "fingertips_heec" / "smok_qof_prev.csv"
    if not path.exists():
        pytest.skip("../shared/real-data is absent")
    export = read_fingertips(path).frame
    catalogue = _catalogue(
        tmp_path,
        ENTRY.format(
            id="smoking",
            extra="    fingertips_id: 91547\n    parameters: {fingertips_age: 15+ yrs}\n",
        ),
    )
    found = fingertips_comparators(catalogue, export, local_periods={"smoking": "2021-22"})
    england = found[found["area_id"] == "england"].iloc[0]
    published = export[
        (export["area_code"] == "E92000001")
        & (export["time_period"] == "2021/22")
        & export["category_type"].isna()
    ].iloc[0]
    assert england["period"] == "2021/22"  # the local period, matched
    assert england["value"] == published["value"]  # taken as published, not recomputed
    assert england["lower_95"] == published["lower_ci_95_0_limit"]
    assert england["numerator"] == published["count"]
    region = found[found["area_id"] == "region"].iloc[0]
    assert region["area_code"] == "E12000006"
    # Without a local period (or one Fingertips lacks), the latest is taken and named.
    latest = fingertips_comparators(catalogue, export, local_periods={"smoking": "1999"})
    newest = export.loc[export["area_code"] == "E92000001", "time_period_sortable"].max()
    chosen = latest[latest["area_id"] == "england"].iloc[0]["period"]
    assert export.loc[export["time_period"] == chosen, "time_period_sortable"].max() == newest


@pytest.mark.real_data
@pytest.mark.parametrize(
    ("folder", "file", "indicator_id"),
    [
        ("fingertips_heec", "dementia_qof_prev.csv", 247),
        ("fingertips_heec", "ed_under5.csv", 93930),
        ("fingertips_heec", "ld_qof_prev.csv", 200),
        ("fingertips_jargonautical", "indicators-CountyUA.data.csv", 93356),
    ],
)
def test_every_real_export_gives_an_england_value(
    tmp_path: Path, folder: str, file: str, indicator_id: int
) -> None:
    path = REAL / folder / file
    if not path.exists():
        pytest.skip("../shared/real-data is absent")
    export = read_fingertips(path).frame
    extra = f"    fingertips_id: {indicator_id}\n"
    if indicator_id == 93356:  # campylobacter: England has 0-9 yrs and All ages rows
        extra += "    parameters: {fingertips_age: All ages}\n"
    catalogue = _catalogue(tmp_path, ENTRY.format(id="x", extra=extra))
    found = fingertips_comparators(catalogue, export)
    england = found[found["area_id"] == "england"]
    assert len(england) == 1 and np.isfinite(england["value"].iloc[0])


def test_an_export_with_several_ages_needs_the_age_named(tmp_path: Path) -> None:
    export = pd.DataFrame(
        {
            "indicator_id": [1, 1],
            "area_code": ["E92000001"] * 2,
            "area_name": ["England"] * 2,
            "sex": ["Persons"] * 2,
            "age": ["0-4 yrs", "All ages"],
            "category_type": [None, None],
            "time_period": ["2023"] * 2,
            "time_period_sortable": [20230000] * 2,
            "value": [1.0, 2.0],
            "count": [1.0, 2.0],
            "denominator": [10.0, 20.0],
        }
    )
    ambiguous = _catalogue(tmp_path, ENTRY.format(id="x", extra="    fingertips_id: 1\n"))
    with pytest.raises(InputError, match="several age groups"):
        fingertips_comparators(ambiguous, export)
    named = _catalogue(
        tmp_path,
        ENTRY.format(
            id="x", extra="    fingertips_id: 1\n    parameters: {fingertips_age: All ages}\n"
        ),
    )
    assert fingertips_comparators(named, export)["value"].tolist() == [2.0]


# --- targets ---------------------------------------------------------------------------------

TARGETS = """    targets:
      - {value: 6, operator: <, plan: PHIP, section: §4.1.1, by: 2026/27, due: 2027-03-31}
      - {value: 5, operator: <, plan: PHIP, section: §4.1.1, by: April 2027, due: 2025-04-01}
      - {value: 9, operator: <=, plan: JFP, area: N&W, section: Obj 1b}
"""


def test_target_status_and_gap_in_people(tmp_path: Path) -> None:
    catalogue = _catalogue(tmp_path, ENTRY.format(id="satod", extra=TARGETS))
    results = pd.DataFrame(
        {
            "indicator_id": ["satod"] * 2,
            "area_id": ["icb", "north"],
            "period": ["2024"] * 2,
            "numerator": [80.0, np.nan],
            "denominator": [1000.0, np.nan],
            "value": [8.0, np.nan],
        }
    )
    progress = target_progress(
        results, catalogue, as_of=dt.date(2026, 12, 1), area_ids=["icb", "north", "south"]
    )
    icb = progress[progress["area_id"] == "icb"].set_index("target_number")
    assert icb.loc[1, "status"] == NOT_YET_DUE  # 8% is not below 6%, due March 2027
    assert icb.loc[2, "status"] == NOT_MET  # below 5% was due in April 2025
    assert icb.loc[3, "status"] == MET  # at most 9%
    # Smokers above the target: 80 − 6% × 1,000 = 20.
    assert icb.loc[1, "gap_people"] == pytest.approx(20)
    assert icb.loc[2, "gap_people"] == pytest.approx(30)
    assert icb.loc[3, "gap_people"] == 0
    for area in ("north", "south"):  # suppressed / not computed
        assert set(progress.loc[progress["area_id"] == area, "status"]) == {CANNOT_BE_ASSESSED}
    assert icb.loc[3, "plan_area"] == "N&W" and icb.loc[1, "plan_area"] == "ICB"


def test_higher_is_the_aim_targets_count_people_still_to_reach(tmp_path: Path) -> None:
    extra = "    targets:\n      - {value: 85, operator: '>=', plan: PHIP, section: §4.3.1}\n"
    catalogue = _catalogue(tmp_path, ENTRY.format(id="ld_checks", extra=extra))
    results = pd.DataFrame(
        {"indicator_id": ["ld_checks"], "area_id": ["icb"], "period": ["2025"],
         "numerator": [700.0], "denominator": [1000.0], "value": [70.0]}
    )  # fmt: skip
    row = target_progress(results, catalogue, as_of=dt.date(2026, 12, 1), area_ids=["icb"]).iloc[0]
    assert row["status"] == NOT_MET and row["gap_people"] == pytest.approx(150)


# --- opportunities ---------------------------------------------------------------------------


def _practices() -> pd.DataFrame:
    """Five practices: three below the pooled 60% (A, B, C), two above (D, E)."""
    return pd.DataFrame(
        {
            "unit": ["A", "B", "C", "D", "E"],
            "numerator": [40, 100, 55, 400, 305],
            "denominator": [100, 200, 100, 500, 400],
            "core20": [True, False, True, False, False],
        }
    )


def test_three_practices_below_the_icb_value_give_a_known_number_of_people() -> None:
    units = _practices()
    assert benchmark_value(units, "icb_weighted") == pytest.approx(900 / 1300)
    found = levelling_up(units, "target", given=0.60)
    # A: 60 − 40 = 20; B: 120 − 100 = 20; C: 60 − 55 = 5. D and E are above: not netted off.
    assert found.units_below == 3
    assert found.gained == pytest.approx(45)
    assert found.core20_units_below == 2
    assert found.core20_gained == pytest.approx(25)
    assert found.core20_share == pytest.approx(25 / 45)
    assert "not netted off" in found.method and "60.0%" in found.method


def test_lower_is_better_and_the_other_benchmarks() -> None:
    units = _practices()
    fewer = levelling_up(units, "target", given=0.5, higher_is_better=False)
    # Above 50%: D 400 − 250 = 150, E 305 − 200 = 105, C 55 − 50 = 5.
    assert fewer.gained == pytest.approx(260) and fewer.units_below == 3
    assert benchmark_value(units, "icb_mean") == pytest.approx(
        np.mean([0.4, 0.5, 0.55, 0.8, 0.7625])
    )
    assert benchmark_value(units, "upper_quartile") == pytest.approx(0.7625)
    with pytest.raises(StatisticsError, match="needs a proportion"):
        benchmark_value(units, "england")
    with pytest.raises(StatisticsError, match="unknown benchmark"):
        benchmark_value(units, "best")
