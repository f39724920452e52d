"""The ONS LSOA 2011 → LSOA 2021 lookup, and the best-fit conversion of small-area sources.

Why: a team's extracts rarely share one LSOA vintage. IoD2019 and the mid-2011 to mid-2020
population estimates are on LSOA 2011; IoD2025, SAPE from mid-2021 and recent deaths are
on LSOA 2021. About 5% of LSOAs were split, merged or redrawn in 2021, so joining a 2011
file to a 2021 file by code silently drops those areas. With the ONS lookup supplied as
``sources: lsoa_best_fit``, every small-area source is converted to the vintage of the
``small_area_lookup`` (the file that places small areas in sub-ICBs and districts)
before anything joins; without it a mix is refused (``ina.sources.vintages``).

The lookup is the ONS Open Geography Portal "LSOA (2011) to LSOA (2021) to Local Authority
District (2022) Exact Fit Lookup for EW" (or its best-fit edition): one row per pair of
linked codes, ``LSOA11CD, LSOA11NM, LSOA21CD, LSOA21NM, CHGIND`` (U unchanged, S split,
M merged, X irregular), then district columns that are not needed here.

The rules (the report's coverage page states that a source was converted):

* **Counts** (people, records, events) move whole. Each source code goes to one target:
  the only one linked to it, or, where a code was split (2011 → 2021) or merged
  (2021 → 2011), the first linked target in code order. Merged areas are summed, so place
  and decile totals are exact; the children of a split other than the chosen one are left
  with no counts of their own, because nothing in the lookup says how the counts divide.
* **Deprivation** (a rank per area) is inherited: each target area takes the IoD row of
  the most deprived source area linked to it (lowest rank). A 2021 child of a split 2011
  area takes its parent's rank; a 2021 area merged from several takes the most deprived.
  Ranks are then no longer unique, which is why they are kept as published, not re-ranked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ina.errors import InputError
from ina.sources import _checks as check
from ina.sources._base import (
    Extract,
    has_columns,
    read_csv_table,
    read_file_bytes,
    resolve_columns,
)

__all__ = [
    "BEST_FIT_SOURCE",
    "LsoaConversion",
    "convert_extract",
    "read_lsoa_best_fit",
]

BEST_FIT_SOURCE = "lsoa_best_fit"
BEST_FIT_COLUMNS = {
    "lsoa11_code": r"LSOA11CD|LSOA 2011 Code|LSOA code \(2011\)",
    "lsoa21_code": r"LSOA21CD|LSOA 2021 Code|LSOA code \(2021\)",
    "lsoa21_name": r"LSOA21NM|LSOA 2021 Name|LSOA name \(2021\)",
    "lsoa11_name": r"LSOA11NM|LSOA 2011 Name|LSOA name \(2011\)",
    "change": r"CHGIND|Change indicator",
}
_OPTIONAL = ("lsoa21_name", "lsoa11_name", "change")
_HEADER = has_columns(BEST_FIT_COLUMNS["lsoa11_code"], BEST_FIT_COLUMNS["lsoa21_code"])
_EXPECTED = (
    "the ONS LSOA (2011) to LSOA (2021) lookup csv with columns LSOA11CD and LSOA21CD "
    "(optional LSOA11NM, LSOA21NM, CHGIND)"
)
_CHANGE_CODES = {"U", "S", "M", "X"}
#: Sources holding one rank per small area, inherited rather than summed.
_RANKED_SOURCES = {"deprivation"}
#: Sources holding one row per small area (and sex and age, or practice), summed after
#: recoding: their keys besides ``lsoa_code`` and the column summed.
_SUMMED_SOURCES: dict[str, tuple[tuple[str, ...], str]] = {
    "resident_population": (("sex", "age"), "population"),
    "resident_totals": ((), "population"),
    "registered_by_small_area": (("practice_code",), "patients"),
}


def read_lsoa_best_fit(path: str | Path, *, name: str | None = None) -> Extract:
    """Read the ONS LSOA 2011 ↔ 2021 lookup (``sources: lsoa_best_fit``).

    Tidy columns: ``lsoa11_code, lsoa21_code`` and, when the file has them,
    ``lsoa11_name, lsoa21_name, change`` (U/S/M/X). Checks: both codes on every row
    (E01/W01 and six digits), a known change indicator, and no pair listed twice.
    """
    raw = read_file_bytes(path)
    table = read_csv_table(raw, header=_HEADER, expected=_EXPECTED)
    columns = resolve_columns(table, BEST_FIT_COLUMNS, optional=_OPTIONAL)
    frame = pd.DataFrame(
        {
            "lsoa11_code": check.codes(
                table, columns["lsoa11_code"], check.LSOA, description="LSOA 2011"
            ),
            "lsoa21_code": check.codes(
                table, columns["lsoa21_code"], check.LSOA, description="LSOA 2021"
            ),
        }
    )
    for tidy in ("lsoa11_name", "lsoa21_name"):
        if columns[tidy] is not None:
            frame[tidy] = check.text(table, columns[tidy], allow_blank=True)
    if columns["change"] is not None:
        change = check.text(table, columns["change"], allow_blank=True).str.upper()
        unknown = ~change.isna() & ~change.isin(_CHANGE_CODES)
        if unknown.any():
            raise table.fail(
                f"unknown change indicator {change[unknown].iloc[0]!r}",
                position=int(unknown.to_numpy().argmax()),
                column=columns["change"],
                expected="U (unchanged), S (split), M (merged) or X (irregular)",
            )
        frame["change"] = change
    check.unique(
        table,
        {
            columns["lsoa11_code"]: frame["lsoa11_code"],
            columns["lsoa21_code"]: frame["lsoa21_code"],
        },
        "pair of LSOA 2011 and LSOA 2021 codes",
    )
    provenance = raw.provenance(
        name or BEST_FIT_SOURCE, rows=len(frame), fmt="ons_lsoa11_lsoa21_csv"
    )
    return Extract(name or BEST_FIT_SOURCE, frame, (provenance,))


@dataclass(frozen=True)
class LsoaConversion:
    """One source moved from one LSOA vintage to another, for the coverage page and tests."""

    source: str
    from_year: int
    to_year: int
    areas: int
    areas_by_best_fit: int

    def sentence(self) -> str:
        """What was done, in the words of the coverage page."""
        how = (
            "counts move whole to one area"
            if self.source not in _RANKED_SOURCES
            else "each area takes the rank of the most deprived area linked to it"
        )
        return (
            f"converted from LSOA {self.from_year} to LSOA {self.to_year} with the ONS "
            f"lookup (lsoa_best_fit): {self.areas:,} areas, {self.areas_by_best_fit:,} of "
            f"them split or merged ({how})"
        )


def _columns(from_year: int, to_year: int) -> tuple[str, str]:
    return f"lsoa{from_year % 100}_code", f"lsoa{to_year % 100}_code"


def convert_extract(
    extract: Extract, lookup: Extract, from_year: int, to_year: int
) -> tuple[Extract, LsoaConversion]:
    """``extract`` with its ``lsoa_code`` column on LSOA ``to_year`` (see the module's rules).

    A code the lookup does not list raises InputError naming it, because the area would
    otherwise be lost from every total without a word.
    """
    source_column, target_column = _columns(from_year, to_year)
    pairs = lookup.frame[[source_column, target_column]].astype(str)
    frame = extract.frame
    codes = frame["lsoa_code"].astype("string")
    # Not small-area codes at all (NHS Digital's "NO2011" for patients with no LSOA):
    # kept as they are, there is nothing to convert.
    not_lsoa = ~codes.fillna("").str.fullmatch(check.LSOA)
    unknown = ~codes.isna() & ~not_lsoa & ~codes.isin(set(pairs[source_column]))
    if unknown.any():
        first = str(codes[unknown].iloc[0])
        raise InputError(
            extract.provenance[0].path if extract.provenance else f"sources: {extract.name}",
            f"LSOA {from_year} code {first} is not in the LSOA 2011 to 2021 lookup "
            f"({int(unknown.sum()):,} codes are not), so it cannot be converted",
            column="lsoa_code",
            expected=f"LSOA {from_year} codes listed in sources: {BEST_FIT_SOURCE}",
            found=first,
        )
    used = set(codes[~not_lsoa].dropna())
    if extract.name in _RANKED_SOURCES:
        converted = _inherit_ranks(frame, pairs, source_column, target_column, lookup, to_year)
        linked = pairs[pairs[target_column].isin(set(converted["lsoa_code"]))]
        fanned = linked.groupby(target_column)[source_column].nunique()
    else:
        converted = _move_counts(extract.name, frame, pairs, source_column, target_column)
        linked = pairs[pairs[source_column].isin(used)]
        fanned = linked.groupby(source_column)[target_column].nunique()
    conversion = LsoaConversion(
        extract.name, from_year, to_year, len(used), int((fanned > 1).sum())
    )
    return replace(extract, frame=converted), conversion


def _move_counts(
    name: str, frame: pd.DataFrame, pairs: pd.DataFrame, source_column: str, target_column: str
) -> pd.DataFrame:
    first_target = pairs.sort_values([source_column, target_column]).drop_duplicates(source_column)
    mapping = dict(zip(first_target[source_column], first_target[target_column], strict=True))
    converted = frame.copy()
    original = converted["lsoa_code"].astype("string")
    recoded = original.map(mapping).fillna(original)  # non-LSOA codes stay as they are
    converted["lsoa_code"] = recoded.astype(frame["lsoa_code"].dtype)
    if name not in _SUMMED_SOURCES:
        return converted
    by, value = _SUMMED_SOURCES[name]
    keys = ["lsoa_code", *by]
    summed = converted.groupby(keys, sort=False, dropna=False, observed=True)[value].sum()
    summed = summed.reset_index().sort_values(keys, kind="stable").reset_index(drop=True)
    return summed[[column for column in frame.columns if column in summed.columns]]


def _inherit_ranks(
    frame: pd.DataFrame,
    pairs: pd.DataFrame,
    source_column: str,
    target_column: str,
    lookup: Extract,
    to_year: int,
) -> pd.DataFrame:
    ranked = frame.assign(_source=frame["lsoa_code"].astype(str))
    joined = pairs.merge(ranked, left_on=source_column, right_on="_source", how="inner")
    joined = joined.sort_values([target_column, "imd_rank", source_column], kind="stable")
    chosen = joined.drop_duplicates(target_column, keep="first")
    converted = chosen[list(frame.columns)].copy()
    converted["lsoa_code"] = chosen[target_column].to_numpy()
    name_column = f"lsoa{to_year % 100}_name"
    if "lsoa_name" in converted and name_column in lookup.frame:
        names = lookup.frame.drop_duplicates(f"lsoa{to_year % 100}_code").set_index(
            f"lsoa{to_year % 100}_code"
        )[name_column]
        looked_up = converted["lsoa_code"].map(names)
        converted["lsoa_name"] = looked_up.where(looked_up.notna(), converted["lsoa_name"])
    return converted.sort_values("lsoa_code", kind="stable").reset_index(drop=True)


def convert_sources(
    extracts: Mapping[str, Extract], years: Mapping[str, int], reference: int
) -> tuple[dict[str, Extract], list[LsoaConversion]]:
    """Every extract whose LSOA vintage in ``years`` differs from ``reference``, converted."""
    lookup = extracts[BEST_FIT_SOURCE]
    result = dict(extracts)
    conversions = []
    for key, year in years.items():
        if year == reference or key not in extracts:
            continue
        result[key], conversion = convert_extract(extracts[key], lookup, year, reference)
        conversions.append(conversion)
    return result, conversions
