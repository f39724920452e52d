"""Broad causes of death from ICD-10 underlying-cause codes, as OHID's Segment Tool groups them.

Why: the gap in life expectancy between the most and least deprived is explained to
readers by cause (the Joint Forward Plan's figure 6 is the Segment Tool breakdown: "heart
attacks, strokes, cancer, respiratory disease and COVID-19"). The groups follow the
Segment Tool's broad causes (OHID, *Segment Tool: technical document*, cause
definitions by ICD-10 chapter), with circulatory disease split into coronary heart
disease and stroke because those are what the plan names:

=======================================  =============================================
Group                                    ICD-10 underlying cause
=======================================  =============================================
Coronary heart disease                   I20-I25 (ischaemic heart disease)
Stroke                                   I60-I69 (cerebrovascular disease)
Other circulatory                        the rest of I00-I99
Cancer                                   C00-D48 (neoplasms, incl. in situ/benign)
Respiratory disease                      J00-J99
Digestive disease                        K00-K93 (incl. alcohol-related liver disease)
External causes                          V01-Y98 (accidents, suicide, poisoning)
Mental and behavioural (incl. dementia)  F01-F99 and G30 (Alzheimer's disease)
COVID-19                                 U07.1 (virus identified), U07.2 (not
                                         identified)
Other causes                             every other valid code (infections,
                                         diabetes, kidney, "old age" R54, perinatal)
=======================================  =============================================

The Segment Tool also has "deaths under 28 days"; registrations give age in completed
years, not days, so neonatal deaths stay with their cause (mostly "Other causes": P and Q codes).

Codes are accepted as registrations carry them (``I219``, ``I64X``, ``U071``) and also with
a dot, in lower case or with spaces (``i21.9``, ``U07.1``). The mapping is vectorised
(pandas string operations and :func:`numpy.select`), so a million deaths cost one pass. A
missing or malformed code raises :class:`~ina.errors.StatisticsError`: silently putting
it in "Other" would bias the breakdown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ina.errors import StatisticsError

__all__ = [
    "BROAD_CAUSES",
    "CAUSE_IN_SENTENCE",
    "CIRCULATORY_CAUSES",
    "broad_cause",
    "icd10_position",
]

CORONARY_HEART_DISEASE = "Coronary heart disease"
STROKE = "Stroke"
OTHER_CIRCULATORY = "Other circulatory"
CANCER = "Cancer"
RESPIRATORY = "Respiratory disease"
DIGESTIVE = "Digestive disease"
EXTERNAL = "External causes"
MENTAL = "Mental and behavioural (incl. dementia)"
COVID = "COVID-19"
OTHER = "Other causes"

#: The groups in report order (circulatory first, as the Segment Tool lists them).
BROAD_CAUSES: tuple[str, ...] = (
    CORONARY_HEART_DISEASE,
    STROKE,
    OTHER_CIRCULATORY,
    CANCER,
    RESPIRATORY,
    DIGESTIVE,
    EXTERNAL,
    MENTAL,
    COVID,
    OTHER,
)
#: How each group reads inside a sentence ("more deaths from ...").
CAUSE_IN_SENTENCE: dict[str, str] = {
    CORONARY_HEART_DISEASE: "coronary heart disease, including heart attacks",
    STROKE: "stroke",
    OTHER_CIRCULATORY: "other circulatory disease",
    CANCER: "cancer",
    RESPIRATORY: "respiratory disease",
    DIGESTIVE: "digestive disease, including liver disease",
    EXTERNAL: "external causes such as accidents, suicide and poisoning",
    MENTAL: "mental and behavioural conditions including dementia",
    COVID: "COVID-19",
    OTHER: "other causes",
}
#: The groups that together make up circulatory disease (ICD-10 chapter IX, I00-I99).
CIRCULATORY_CAUSES: tuple[str, ...] = (CORONARY_HEART_DISEASE, STROKE, OTHER_CIRCULATORY)

_CODE = r"^([A-Z])(\d{2})([0-9X]?)$"


def icd10_position(codes: pd.Series) -> pd.DataFrame:
    """Parse ICD-10 codes into a sortable three-character position and the fourth character.

    Returns ``position`` (letter index × 100 + the two digits, so ``C00`` = 200 and
    ``D48`` = 348 compare as ranges do) and ``detail`` (the fourth character, ``""`` when
    absent or ``X``). Raises :class:`~ina.errors.StatisticsError` naming the first code
    that is missing or not ICD-10 shaped (a letter, two digits, an optional fourth
    character).
    """
    text = codes.astype("string").str.upper().str.replace(r"[.\s]", "", regex=True)
    parts = text.str.extract(_CODE)
    bad = parts[0].isna()
    if bad.any():
        first = codes[bad.to_numpy()].iloc[0]
        raise StatisticsError(
            f"{int(bad.sum())} underlying cause(s) are not ICD-10 codes, e.g. {first!r}: "
            "expected a letter, two digits and an optional fourth character (e.g. I219)"
        )
    # One-character unicode strings viewed as their code points: vectorised ord().
    letter = np.asarray(parts[0].to_numpy(dtype=str), dtype="U1").view(np.uint32).astype(int)
    letter = letter - ord("A")
    digits = parts[1].astype(int).to_numpy()
    detail = parts[2].fillna("").replace("X", "").to_numpy(dtype=object)
    return pd.DataFrame({"position": letter * 100 + digits, "detail": detail}, index=codes.index)


def _code(three: str) -> int:
    return (ord(three[0]) - ord("A")) * 100 + int(three[1:3])


def broad_cause(codes: pd.Series) -> pd.Series:
    """Map ICD-10 underlying causes to the broad groups of :data:`BROAD_CAUSES`.

    Returns an ordered categorical (categories :data:`BROAD_CAUSES`, so every group is
    present when counting, even with no deaths) with the index of ``codes``. Raises
    :class:`~ina.errors.StatisticsError` for a missing or malformed code.
    """
    parsed = icd10_position(codes)
    position = parsed["position"].to_numpy()
    detail = parsed["detail"].to_numpy()

    def between(first: str, last: str) -> np.ndarray:
        return (position >= _code(first)) & (position <= _code(last))

    covid = (position == _code("U07")) & np.isin(detail, ["1", "2"])
    conditions = [
        between("I20", "I25"),
        between("I60", "I69"),
        between("I00", "I99"),
        between("C00", "D48"),
        between("J00", "J99"),
        between("K00", "K93"),
        between("V01", "Y98"),
        between("F01", "F99") | (position == _code("G30")),
        covid,
    ]
    groups = np.select(conditions, list(range(len(conditions))), default=len(BROAD_CAUSES) - 1)
    return pd.Series(
        pd.Categorical.from_codes(groups, categories=list(BROAD_CAUSES), ordered=True),
        index=codes.index,
        name="cause",
    )
