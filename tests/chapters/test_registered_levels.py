"""ina.chapters.context.registered_from_levels: registered patients without practice rows.

The NHS Digital regions file (issue 9) has ICB, sub-ICB and PCN rows only. An area's
patients must then come from the coarsest level whose units hold exactly its practices,
never be published as 0 because no practice row matched.
"""

from __future__ import annotations

import pandas as pd

from ina.chapters.context import registered_from_levels

PRACTICES = pd.DataFrame(
    {
        "practice_code": ["A00001", "A00002", "A00003", "A00004"],
        "pcn_code": ["U00001", "U00001", "U00002", "U00003"],
        "sub_icb_code": ["26A", "26A", "06L", "06L"],
    }
)


def _rows(level: str, code: str, patients: int) -> list[dict]:
    return [
        {"org_type": level, "org_code": code, "sex": sex, "age": 40, "patients": patients}
        for sex in ("female", "male")
    ]


REGIONS = pd.DataFrame(
    _rows("icb", "T6Y0W", 500)
    + _rows("sub_icb", "26A", 300)
    + _rows("sub_icb", "06L", 200)
    + _rows("pcn", "U00001", 300)
    + _rows("pcn", "U00002", 120)
    + _rows("pcn", "U00003", 80)
    + _rows("region", "Y56", 9000)
)


def _area(*codes: str) -> pd.DataFrame:
    return PRACTICES[PRACTICES["practice_code"].isin(codes)]


def test_the_icb_uses_its_own_row() -> None:
    rows, note = registered_from_levels(REGIONS, PRACTICES, PRACTICES, icb_code="T6Y0W")
    assert rows["patients"].sum() == 1000
    assert set(rows["org_type"]) == {"icb"}
    assert note is not None and "ICB row of T6Y0W" in note


def test_a_place_that_is_a_sub_icb_uses_the_sub_icb_row() -> None:
    rows, note = registered_from_levels(
        REGIONS, _area("A00003", "A00004"), PRACTICES, icb_code="T6Y0W"
    )
    assert rows["patients"].sum() == 400
    assert note is not None and "sub-ICB location row of 06L" in note


def test_a_place_inside_a_sub_icb_uses_its_pcns() -> None:
    rows, note = registered_from_levels(REGIONS, _area("A00001", "A00002", "A00003"),
                                        PRACTICES, icb_code="T6Y0W")  # fmt: skip
    assert rows["patients"].sum() == 600 + 240
    assert set(rows["org_code"]) == {"U00001", "U00002"}
    assert note is not None and "PCN rows of U00001, U00002" in note
    assert "practices)" not in note  # they hold exactly the area's practices


def test_a_place_splitting_a_pcn_uses_the_pcns_wholly_inside_and_says_so() -> None:
    rows, note = registered_from_levels(
        REGIONS, _area("A00001", "A00003"), PRACTICES, icb_code="T6Y0W"
    )
    assert set(rows["org_code"]) == {"U00002"}
    assert note is not None and "(1 of the area's 2 practices)" in note


def test_an_area_without_practices_is_not_available_not_zero() -> None:
    rows, note = registered_from_levels(REGIONS, _area(), PRACTICES, icb_code="T6Y0W")
    assert rows.empty
    assert note is not None and "not available" in note
