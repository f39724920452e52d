"""Indicators taken as published from a Fingertips export (``statistic: published``)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ina.errors import InputError
from ina.indicators import load_catalogue
from ina.indicators.published import fingertips_published, published_area_codes

ENTRY = """indicators:
  - id: low_satisfaction
    short_name: Low life satisfaction
    phrase: it
    section: wellbeing
    definition: Test.
    numerator: {text: As published}
    denominator: {text: As published}
    age: 16+
    period: Latest
    standardisation: none
    unit: '%'
    multiplier: 100
    decimals: 1
    statistic: published
    polarity: low is good
    sources: [fingertips]
    fingertips_id: 22301
    trend: true
"""


def _indicator(tmp_path: Path):
    path = tmp_path / "feel_well.yml"
    path.write_text(ENTRY, encoding="utf-8")
    return load_catalogue(path)["low_satisfaction"]


def _export() -> pd.DataFrame:
    rows = []
    for code, year, value in [
        ("E54000068", 2022, 5.0),
        ("E54000068", 2023, 6.0),
        ("E38000239", 2023, 7.0),
        ("E07000146", 2023, 8.0),  # a one-district place
        ("E07000148", 2023, 9.0),  # a district of a multi-district place: never used
        ("E92000001", 2023, 5.6),  # England: a comparator, not a local area
    ]:
        rows.append(
            {
                "indicator_id": 22301,
                "sex": "Persons",
                "age": "16+ yrs",
                "category_type": "",
                "area_code": code,
                "time_period": f"{year}/{str(year + 1)[-2:]}",
                "time_period_sortable": year * 10000,
                "value": value,
                "count": np.nan,
                "denominator": 500.0,
                "lower_ci_95_0_limit": value - 1,
                "upper_ci_95_0_limit": value + 1,
                "lower_ci_99_8_limit": value - 2,
                "upper_ci_99_8_limit": value + 2,
            }
        )
    return pd.DataFrame(rows)


def _inputs(export: pd.DataFrame) -> SimpleNamespace:
    member = SimpleNamespace
    places = [
        member(id="west", members=[member(district="E07000146", sub_icb=None)]),
        member(
            id="central",
            members=[
                member(district="E07000148", sub_icb=None),
                member(district="E07000149", sub_icb=None),
            ],
        ),
    ]
    settings = SimpleNamespace(
        icb=SimpleNamespace(ons_code="E54000068"),
        places=places,
        source_names=lambda: ["practice_map", "fingertips"],
    )
    frames = {
        "fingertips": export,
        "practice_map": pd.DataFrame(
            {"sub_icb_ons_code": ["E38000239", "E38000086"], "sub_icb_code": ["26A", "06L"]}
        ),
    }
    registry = SimpleNamespace(areas=pd.DataFrame({"area_id": ["icb", "26A", "06L", "west"]}))
    return SimpleNamespace(settings=settings, frame=frames.__getitem__, registry=registry)


def test_the_areas_fingertips_publishes_for() -> None:
    codes = published_area_codes(_inputs(_export()))
    assert codes == {
        "E54000068": "icb",
        "E38000239": "26A",
        "E38000086": "06L",
        "E07000146": "west",
    }


def test_latest_published_values_with_their_limits(tmp_path: Path) -> None:
    out = fingertips_published(_indicator(tmp_path), _inputs(_export())).set_index("area_id")
    assert set(out.index) == {"icb", "26A", "west"}  # no row for the multi-district place
    assert out.loc["icb", "value"] == 6.0  # the latest period, not 2022
    assert out.loc["icb", "period"] == "2023/24"
    assert out.loc["west", "lower_95"] == 7.0
    assert out.loc["26A", "upper_99_8"] == 9.0


def test_every_period_for_the_recent_trend(tmp_path: Path) -> None:
    out = fingertips_published(_indicator(tmp_path), _inputs(_export()), annual=True)
    icb = out[out["area_id"] == "icb"]
    assert icb["year"].tolist() == [2022, 2023]
    assert icb["value"].tolist() == [5.0, 6.0]


def test_no_export_means_no_values(tmp_path: Path) -> None:
    inputs = _inputs(_export())
    inputs.settings.source_names = lambda: ["practice_map"]
    assert fingertips_published(_indicator(tmp_path), inputs).empty


def test_published_needs_a_fingertips_id(tmp_path: Path) -> None:
    path = tmp_path / "feel_well.yml"
    path.write_text(ENTRY.replace("    fingertips_id: 22301\n", ""), encoding="utf-8")
    with pytest.raises(InputError, match="published values need a fingertips_id"):
        load_catalogue(path)
