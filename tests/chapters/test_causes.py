"""ICD-10 underlying cause → broad cause groups (Segment Tool style), on hand-made codes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ina.chapters.causes import BROAD_CAUSES, CAUSE_IN_SENTENCE, broad_cause, icd10_position
from ina.errors import StatisticsError

CHD, STROKE, OTHER_CIRC = "Coronary heart disease", "Stroke", "Other circulatory"
CANCER, RESP, DIGEST = "Cancer", "Respiratory disease", "Digestive disease"
EXTERNAL, MENTAL = "External causes", "Mental and behavioural (incl. dementia)"
COVID, OTHER = "COVID-19", "Other causes"

#: Hand-made codes with the group each must land in: every boundary of every range,
#: codes just outside them, and the formats registrations and other extracts use.
CASES = [
    ("I219", CHD),  # acute myocardial infarction
    ("I200", CHD),
    ("I259", CHD),
    ("I64X", STROKE),  # the ONS padding of three-character codes
    ("I600", STROKE),
    ("I698", STROKE),
    ("I10X", OTHER_CIRC),  # hypertension: circulatory but neither CHD nor stroke
    ("I269", OTHER_CIRC),  # just after the CHD range
    ("I500", OTHER_CIRC),
    ("I709", OTHER_CIRC),  # just after the stroke range
    ("I00X", OTHER_CIRC),
    ("I99X", OTHER_CIRC),
    ("C000", CANCER),
    ("C349", CANCER),
    ("D489", CANCER),  # last neoplasm code
    ("D500", OTHER),  # anaemia: chapter III, not a neoplasm
    ("J00X", RESP),
    ("J449", RESP),
    ("J998", RESP),
    ("K000", DIGEST),
    ("K703", DIGEST),  # alcoholic cirrhosis
    ("K938", DIGEST),
    ("L899", OTHER),  # pressure ulcer: after the digestive chapter
    ("V892", EXTERNAL),
    ("V010", EXTERNAL),
    ("X700", EXTERNAL),  # suicide by hanging
    ("Y98X", EXTERNAL),
    ("F03X", MENTAL),  # unspecified dementia
    ("F019", MENTAL),
    ("F99X", MENTAL),
    ("F000", OTHER),  # F00 is an asterisk code, never an underlying cause; not in F01-F99
    ("G309", MENTAL),  # Alzheimer's disease
    ("G20X", OTHER),  # Parkinson's disease
    ("G311", OTHER),
    ("U071", COVID),
    ("U072", COVID),
    ("U070", OTHER),  # vaping-related disorder
    ("U099", OTHER),  # post-COVID condition: not U07.1/U07.2
    ("R54X", OTHER),  # old age
    ("A419", OTHER),
    ("E119", OTHER),
    ("N189", OTHER),
    ("P072", OTHER),
    ("Q249", OTHER),
]


def test_hand_made_codes_land_in_their_groups() -> None:
    codes = pd.Series([code for code, _ in CASES], index=np.arange(len(CASES)) * 10)
    groups = broad_cause(codes)
    expected = [group for _, group in CASES]
    mismatches = [
        (code, got, want)
        for code, got, want in zip(codes, groups.astype(str), expected, strict=True)
        if got != want
    ]
    assert mismatches == []
    assert groups.index.equals(codes.index)


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("I21.9", CHD),
        ("i219", CHD),
        (" I21 ", CHD),
        ("I21", CHD),
        ("U07.1", COVID),
        ("u07.2", COVID),
        ("C34", CANCER),
    ],
)
def test_dotted_lower_case_and_three_character_codes(code: str, group: str) -> None:
    assert broad_cause(pd.Series([code])).iloc[0] == group


def test_result_is_ordered_categorical_with_every_group() -> None:
    groups = broad_cause(pd.Series(["I219", "I219"]))
    assert list(groups.cat.categories) == list(BROAD_CAUSES)
    assert groups.cat.ordered
    counts = groups.value_counts(sort=False)
    assert counts[CHD] == 2 and counts[COVID] == 0
    assert set(CAUSE_IN_SENTENCE) == set(BROAD_CAUSES)


@pytest.mark.parametrize("bad", ["", "123", "I2", "II219", "I21999", None, "COVID"])
def test_missing_or_malformed_codes_raise_naming_one(bad: object) -> None:
    codes = pd.Series(["I219", bad, "C349"], dtype="object")
    with pytest.raises(StatisticsError, match="not ICD-10"):
        broad_cause(codes)


def test_positions_compare_as_icd10_ranges() -> None:
    parsed = icd10_position(pd.Series(["A000", "C00X", "D48", "Z99"]))
    assert parsed["position"].tolist() == [0, 200, 348, 2599]
    assert parsed["detail"].tolist() == ["0", "", "", ""]


def test_demo_generator_causes_map_to_the_expected_groups() -> None:
    """The synthetic deaths' cause groups (ina.demo) fall where a reader would expect."""
    from ina.demo._causes import CAUSE_GROUPS

    expected = {
        "ihd": CHD,
        "stroke": STROKE,
        "lung_cancer": CANCER,
        "breast_cancer": CANCER,
        "copd": RESP,
        "pneumonia": RESP,
        "liver": DIGEST,
        "dementia": MENTAL,
        "suicide": EXTERNAL,
        "drug_poisoning": EXTERNAL,
        "falls": EXTERNAL,
        "diabetes": OTHER,
        "old_age": OTHER,
    }
    for name, group in expected.items():
        codes = pd.Series(CAUSE_GROUPS[name].codes)
        assert set(broad_cause(codes).astype(str)) == {group}, name


def test_large_series_is_mapped_in_one_pass() -> None:
    codes = pd.Series(np.tile(["I219", "C349", "U071", "R54X"], 50_000))
    groups = broad_cause(codes)
    assert groups.value_counts()[CANCER] == 50_000
    assert len(groups) == 200_000
