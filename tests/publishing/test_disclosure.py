"""The declarative disclosure control of published tables (ina.publishing.disclosure)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ina.errors import ConfigError, StatisticsError
from ina.publishing import (
    ColumnParts,
    Derived,
    Disclosure,
    Ledger,
    Parts,
    Same,
    SuppressionRule,
    disclosure_mask,
    publication_mask,
    save_table,
)


def _mask(frame: pd.DataFrame, disclosure: Disclosure, **kwargs: object) -> pd.DataFrame:
    return disclosure_mask(frame, disclosure, min_count=1, max_count=7, **kwargs)


def _hidden(mask: pd.DataFrame, column: str) -> list[bool]:
    return mask[column].tolist()


def test_total_row_with_one_small_part_hides_the_smallest_non_zero_other_part() -> None:
    frame = pd.DataFrame({"name": ["A", "B", "C", "D", "Area"], "deaths": [5, 0, 40, 30, 75]})
    mask = _mask(frame, Disclosure(counts=("deaths",), rows=(Parts("name", total="Area"),)))
    # 5 is primary; 75 - 40 - 30 - 0 would give it back, so the smallest non-zero (30) goes.
    assert _hidden(mask, "deaths") == [True, False, False, True, False]


def test_complement_ties_go_to_the_first_row() -> None:
    frame = pd.DataFrame({"name": ["A", "B", "C", "T"], "n": [3, 20, 20, 43]})
    mask = _mask(frame, Disclosure(counts=("n",), rows=(Parts("name", total="T"),)))
    assert _hidden(mask, "n") == [True, True, False, False]


def test_a_total_published_elsewhere_protects_the_parts_too() -> None:
    # Years of a pooled period whose total is in another table (total=None).
    frame = pd.DataFrame({"year": [2020, 2021, 2022], "births": [3, 1500, 1400]})
    mask = _mask(frame, Disclosure(counts=("births",), rows=(Parts("year"),)))
    assert _hidden(mask, "births") == [True, False, True]


def test_two_small_parts_need_no_complement() -> None:
    frame = pd.DataFrame({"name": ["A", "B", "C", "T"], "n": [3, 4, 50, 57]})
    mask = _mask(frame, Disclosure(counts=("n",), rows=(Parts("name", total="T"),)))
    assert _hidden(mask, "n") == [True, True, False, False]


def test_a_hidden_total_with_all_parts_visible_hides_a_part() -> None:
    frame = pd.DataFrame({"sex": ["Males", "Females", "Persons"], "n": [0, 6, 6]})
    mask = _mask(frame, Disclosure(counts=("n",), rows=(Parts("sex", total="Persons"),)))
    # 6 and 6 are primary: nothing is recoverable from the zero alone.
    assert _hidden(mask, "n") == [False, True, True]
    frame = pd.DataFrame({"sex": ["Males", "Females", "Persons"], "n": [9, 12, 21]})
    hide = pd.DataFrame({"n": [False, False, True]})
    mask = _mask(frame, Disclosure(counts=("n",), rows=(Parts("sex", total="Persons"),)), hide=hide)
    assert _hidden(mask, "n") == [True, False, True]


def test_within_makes_one_line_per_group_and_lines_are_revisited() -> None:
    # Quintile x sex: the 4 (Males, q1) forces a second male cell; the table then also
    # has quintile totals (Persons) published elsewhere, so each quintile needs 0 or 2.
    frame = pd.DataFrame(
        {
            "sex": ["Males", "Males", "Males", "Females", "Females", "Females"],
            "q": [1, 2, 3, 1, 2, 3],
            "deaths": [4, 50, 60, 40, 45, 70],
        }
    )
    disclosure = Disclosure(
        counts=("deaths",),
        rows=(Parts("q", within=("sex",)), Parts("sex", within=("q",))),
    )
    mask = _mask(frame, disclosure)
    hidden = frame[mask["deaths"]]
    assert sorted(zip(hidden["sex"], hidden["q"], strict=True)) == [
        ("Females", 1),
        ("Females", 2),
        ("Males", 1),
        ("Males", 2),
    ]
    for _, group in frame.assign(h=mask["deaths"]).groupby("sex"):
        assert group["h"].sum() != 1
    for _, group in frame.assign(h=mask["deaths"]).groupby("q"):
        assert group["h"].sum() != 1


def test_column_parts_hide_a_second_column() -> None:
    frame = pd.DataFrame({"male": [3, 40], "female": [30, 50], "all": [33, 90]})
    mask = _mask(
        frame,
        Disclosure(
            counts=("male", "female", "all"), columns=(ColumnParts("all", ("male", "female")),)
        ),
    )
    assert mask.loc[0].tolist() == [True, True, False]
    assert not mask.loc[1].any()


def test_derived_values_follow_their_counts_and_their_denominator() -> None:
    frame = pd.DataFrame(
        {
            "year": [2020, 2021],
            "deaths": [5, 900],
            "population": [100000, 100000],
            "rate": [0.05, 9.0],
            "share": [0.5, 99.5],
        }
    )
    disclosure = Disclosure(
        counts=("deaths", "population"),
        derived={
            "rate": Derived(("deaths",), denominator="population", per=1000),
            "share": ("deaths",),
        },
    )
    mask = _mask(frame, disclosure)
    assert _hidden(mask, "rate") == [True, False]
    assert _hidden(mask, "share") == [True, False]
    assert not mask["population"].any()


def test_same_quantity_in_two_places_is_hidden_in_both() -> None:
    # Births are the birth rate's numerator and the low birth weight denominator.
    frame = pd.DataFrame(
        {
            "indicator": ["birth_rate", "low_birth_weight"],
            "numerator": [3, 0],
            "numerator_measure": ["births", "lbw births"],
            "denominator": [90000, 3],
            "denominator_measure": ["population", "births"],
        }
    )
    disclosure = Disclosure(
        counts=("numerator", "denominator"),
        same=(Same("numerator", "numerator_measure"), Same("denominator", "denominator_measure")),
    )
    mask = _mask(frame, disclosure)
    assert mask["numerator"].tolist() == [True, False]
    assert mask["denominator"].tolist() == [False, True]


def test_ledger_carries_a_hidden_total_to_a_later_table() -> None:
    ledger = Ledger()
    quintiles = pd.DataFrame({"q": [1, 2, 3], "deaths": [6, 80, 90]})
    first = _mask(quintiles, Disclosure(counts=("deaths",), rows=(Parts("q"),)), ledger=ledger)
    ledger.record("by-quintile", quintiles, first)
    assert first["deaths"].tolist() == [True, True, False]
    by_sex = pd.DataFrame(
        {
            "sex": ["M", "F", "M", "F", "M", "F"],
            "q": [1, 1, 2, 2, 3, 3],
            "deaths": [3, 3, 40, 40, 45, 45],
        }
    )
    disclosure = Disclosure(
        counts=("deaths",), rows=(Parts("sex", within=("q",), total_in="by-quintile"),)
    )
    mask = _mask(by_sex, disclosure, ledger=ledger)
    # q2 is hidden in the first table: publishing both sexes would give it back.
    assert mask["deaths"].tolist() == [True, True, True, False, False, False]


def test_declaration_round_trips_through_json() -> None:
    disclosure = Disclosure(
        counts=("a", "b"),
        derived={"r": Derived(("a",), denominator="b", per=100)},
        key=("name",),
        rows=(Parts("name", parts=("x", "y"), total="t", within=("sex",), total_in="other"),),
        columns=(ColumnParts("b", ("a",)),),
        same=(Same("a", "m", ("name",)),),
    )
    assert Disclosure.from_json(disclosure.to_json()) == disclosure


def test_a_declaration_naming_unknown_columns_is_refused() -> None:
    frame = pd.DataFrame({"n": [1]})
    with pytest.raises(StatisticsError, match="rate"):
        _mask(frame, Disclosure(counts=("n",), derived={"rate": ("n",)}))


def test_rules_that_hide_nothing_are_refused_and_none_hides_nothing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="suppression: none"):
        SuppressionRule(min_count=0, max_count=0)
    frame = pd.DataFrame({"name": ["a", "t"], "n": [3, 3]})
    disclosure = Disclosure(counts=("n",), rows=(Parts("name", total="t"),))
    _, mask = publication_mask(frame, rule=SuppressionRule(disabled=True), disclosure=disclosure)
    assert not mask.to_numpy().any()
    path, _ = save_table(
        frame,
        table_id="t1",
        artefact_dir=tmp_path,
        area="icb",
        chapter="x",
        rule=SuppressionRule(),
        disclosure=disclosure,
    )
    assert path.read_text() == "name,n\na,[c]\nt,[c]\n"
    sidecar = Disclosure.from_json(path.with_name("t1.disclosure.json").read_text())
    assert sidecar == disclosure


def test_suppression_none_still_records_every_table_in_the_ledger(tmp_path: Path) -> None:
    from ina.publishing import Publisher

    publish = Publisher(
        artefact_dir=tmp_path, area="icb", chapter="x", rule=SuppressionRule(disabled=True)
    )
    frame = pd.DataFrame({"name": ["a", "t"], "n": [3, 3]})
    publish.save(frame, table_id="t", disclosure=Disclosure(counts=("n",)))
    assert not publish.ledger.mask("t").to_numpy().any()
    assert (tmp_path / "icb" / "x" / "t.csv").read_text() == "name,n\na,3\nt,3\n"
