"""Small-number suppression rules (primary, derived, secondary) on hand-made tables."""

from __future__ import annotations

import pandas as pd
import pytest

from ina.errors import ConfigError, StatisticsError
from ina.publishing import SuppressionRule, suppress, suppression_mask

RULE = SuppressionRule(min_count=1, max_count=7, marker="*")


def test_boundary_seven_is_suppressed_and_eight_is_not() -> None:
    frame = pd.DataFrame({"count": [7, 8]})
    result = suppress(frame, ["count"], RULE)
    assert result["count"].tolist() == ["*", 8]


def test_zero_is_not_suppressed_by_default_but_can_be() -> None:
    frame = pd.DataFrame({"count": [0, 1]})
    assert suppress(frame, ["count"], RULE)["count"].tolist() == [0, "*"]
    strict = SuppressionRule(min_count=0, max_count=7, marker="c")
    assert suppress(frame, ["count"], strict)["count"].tolist() == ["c", "c"]


def test_missing_counts_stay_missing() -> None:
    frame = pd.DataFrame({"count": [float("nan"), 100.0]})
    mask = suppression_mask(frame, ["count"], RULE)
    assert not mask["count"].any()


def test_derived_columns_follow_their_count() -> None:
    frame = pd.DataFrame(
        {"deaths": [3, 50], "rate": [1.2, 20.0], "lower": [0.2, 15.0], "label": ["a", "b"]}
    )
    result = suppress(frame, ["deaths"], RULE, ["rate", "lower"])
    assert result.loc[0, ["deaths", "rate", "lower"]].tolist() == ["*", "*", "*"]
    assert result.loc[1, "rate"] == 20.0
    assert result["label"].tolist() == ["a", "b"]  # untouched


def test_derived_mapping_only_follows_named_sources() -> None:
    frame = pd.DataFrame({"births": [5, 100], "deaths": [100, 100], "death_rate": [1.0, 1.0]})
    result = suppress(frame, ["births", "deaths"], RULE, {"death_rate": "deaths"})
    assert result["death_rate"].tolist() == [1.0, 1.0]
    assert result.loc[0, "births"] == "*"


def test_row_total_protects_a_single_suppressed_cell() -> None:
    frame = pd.DataFrame({"female": [5], "male": [40], "other": [12], "persons": [57]})
    result = suppress(frame, ["female", "male", "other", "persons"], RULE, total_column="persons")
    # 5 could be recovered as 57 - 40 - 12: the smallest other cell (12) goes too.
    assert result.loc[0].tolist() == ["*", 40, "*", 57]


def test_column_total_protects_and_iterates_across_rows_and_columns() -> None:
    frame = pd.DataFrame(
        {
            "place": ["a", "b", "c", "Total"],
            "female": [5, 20, 30, 55],
            "male": [10, 12, 0, 22],
            "persons": [15, 32, 30, 77],
        }
    )
    mask = suppression_mask(
        frame, ["female", "male", "persons"], RULE, total_column="persons", total_row=-1
    )
    assert mask["female"].tolist() == [True, True, False, False]
    # male: 10 hides a's female; then 12 protects it in its column (the 0 is not chosen).
    assert mask["male"].tolist() == [True, True, False, False]
    assert not mask["persons"].any()
    # No row or column is left with exactly one hidden cell next to a published total.
    for row in range(3):
        assert mask.loc[row, ["female", "male"]].sum() != 1
    for column in ["female", "male"]:
        assert mask.loc[:2, column].sum() != 1


def test_hidden_total_needs_no_secondary_suppression() -> None:
    frame = pd.DataFrame({"a": [3], "b": [0], "total": [3]})
    result = suppress(frame, ["a", "b", "total"], RULE, total_column="total")
    assert result.loc[0].tolist() == ["*", 0, "*"]


def test_without_a_total_there_is_no_secondary_suppression() -> None:
    frame = pd.DataFrame({"a": [3], "b": [40]})
    assert suppress(frame, ["a", "b"], RULE).loc[0].tolist() == ["*", 40]


def test_input_is_not_modified_and_clean_columns_keep_dtype() -> None:
    frame = pd.DataFrame({"a": [3, 30], "b": [40, 50]})
    result = suppress(frame, ["a", "b"], RULE)
    assert frame["a"].tolist() == [3, 30]
    assert pd.api.types.is_integer_dtype(result["b"])


def test_errors_are_clear() -> None:
    frame = pd.DataFrame({"a": [-1]})
    with pytest.raises(StatisticsError, match="negative"):
        suppress(frame, ["a"], RULE)
    with pytest.raises(StatisticsError, match="not in the table"):
        suppress(frame, ["missing"], RULE)
    with pytest.raises(StatisticsError, match="derived column 'rate'"):
        suppress(pd.DataFrame({"a": [1]}), ["a"], RULE, ["rate"])
    with pytest.raises(ConfigError):
        SuppressionRule(min_count=8, max_count=7)
