"""Which edition and geography vintage each supplied extract is, read from its header.

Why: a team builds from whatever extracts it has, and they rarely share one vintage (an
LSOA 2011 lookup, IoD2019, a mid-2018 population; or IoD2025 on LSOA 2021). Two things
follow. The report's methods must state the vintages actually used, never a hard-coded
one, and small-area sources of different LSOA vintages must not be joined: about 5% of
LSOA codes changed in 2021, so a 2011 lookup joined to 2021 deaths silently drops the
changed areas. :func:`detect` reads only the header (and first data row) of a file, so it
is cheap enough for ``ina validate`` to run before any extract is read in full;
:func:`check_lsoa_vintages` refuses a mix with one line unless the ONS LSOA 2011 to
2021 lookup is supplied, when ``ina.sources.lsoa_best_fit`` converts the odd sources.

LSOA vintage is read from the column names where the publisher states it (``LSOA11CD``,
``LSOA code (2011)``, ``LSOA 2021 Code``), from the mid-year of a SAPE workbook (mid-2011
to mid-2020 estimates are on LSOA 2011 codes), and, for record-level files that do not
state it (deaths, births), from the codes themselves: codes from ``E01033769`` on exist
only in LSOA 2021.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from ina.sources.products import first_records

__all__ = [
    "FIRST_LSOA21_ONLY_CODE",
    "LSOA_SOURCES",
    "Vintage",
    "check_lsoa_vintages",
    "detect",
    "lsoa_vintage_of_codes",
    "lsoa_vintages",
    "reference_lsoa_year",
    "registrations_without_practices",
]

#: The first LSOA code created in 2021 (LSOA 2011 codes end at E01033768).
FIRST_LSOA21_ONLY_CODE = "E01033769"
#: Sources keyed by small area whose LSOA vintage must agree with the lookup's.
LSOA_SOURCES: tuple[str, ...] = (
    "small_area_lookup",
    "deprivation",
    "resident_population",
    "resident_totals",
    "deaths",
    "births",
    "stillbirths",
    "end_of_life",
    "hospital_activity",
    "hospital_admissions",
    "ae_attendances",
    "smoking_at_delivery",
    "ncmp",
    "cancer_registrations",
    "registered_by_small_area",
)
#: IoD editions by the LAD vintage of their district column.
_IOD_BY_LAD_YEAR = {2013: 2015, 2019: 2019, 2024: 2025}
_MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTHS = {month: number for number, month in enumerate(_MONTH_NAMES, 1)}


@dataclass(frozen=True)
class Vintage:
    """What a file says of its edition: LSOA vintage (2011, 2021 or None) and in words."""

    lsoa: int | None
    text: str


def detect(key: str, paths: Sequence[str | Path]) -> Vintage | None:
    """The vintage of the first readable file of ``sources: key``, or None when unknown.

    Never raises: an unreadable file has no vintage here (its reader reports it).
    """
    for path in paths:
        try:
            found = _detect_one(key, Path(path))
        except Exception:  # a damaged file is the reader's to report, not this sniff's
            found = None
        if found is not None:
            return found
    return None


def _detect_one(key: str, path: Path) -> Vintage | None:
    from ina.sources._base import is_xlsx, read_file_bytes

    raw = read_file_bytes(path, csv_only=False)
    if is_xlsx(raw):
        sheets, rows = _workbook_head(raw.data)
        return _from_workbook(key, path, sheets, rows)
    records = _csv_head(raw.data)
    return _from_csv(key, path, records)


def _workbook_head(data: bytes, limit: int = 12) -> tuple[list[str], dict[str, list[list[str]]]]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        rows: dict[str, list[list[str]]] = {}
        for name in book.sheetnames:
            head = []
            for number, row in enumerate(book[name].iter_rows(values_only=True, max_col=60)):
                if number >= limit:
                    break
                head.append(["" if v is None else str(v).strip() for v in row])
            rows[name] = head
        return list(book.sheetnames), rows
    finally:
        book.close()


def _csv_head(data: bytes, count: int = 60) -> list[list[str]]:
    return first_records(data, count, head_bytes=128 * 1024)


def _year(pattern: str, cells: Sequence[str]) -> int | None:
    compiled = re.compile(pattern, re.IGNORECASE)
    for cell in cells:
        match = compiled.fullmatch(cell)
        if match:
            value = int(match.group(1))
            return value + 2000 if value < 100 else value
    return None


def _lsoa_words(year: int | None) -> str:
    return f"LSOA {year}" if year else "LSOA vintage not stated"


def _from_workbook(
    key: str, path: Path, sheets: list[str], rows: Mapping[str, list[list[str]]]
) -> Vintage | None:
    cells = [cell for head in rows.values() for row in head for cell in row if cell]
    if key == "deprivation":
        edition = next(
            (int(m.group(1)) for s in sheets if (m := re.fullmatch(r"IMD(\d{4})", s.strip()))),
            None,
        )
        lsoa = _year(r"LSOA code \((\d{4})\)", cells)
        edition = edition or _IOD_BY_LAD_YEAR.get(
            _year(r"Local Authority District code \((\d{4})\)", cells) or 0
        )
        name = f"IoD{edition}" if edition else "English Indices of Deprivation"
        return Vintage(
            lsoa, f"{name} File 1 (IMD ranks and deciles, no scores), {_lsoa_words(lsoa)}"
        )
    if key in ("resident_population", "resident_totals"):
        mid = _year(r"Mid-(\d{4}).*", cells + sheets)
        lsoa = _year(r"LSOA (\d{4}) Code", cells)
        if lsoa is None and mid is not None:
            lsoa = 2011 if mid <= 2020 else 2021
        what = "population density workbook, totals only" if key == "resident_totals" else "SAPE"
        period = f"mid-{mid}" if mid else "mid-year not stated"
        return Vintage(
            lsoa, f"ONS small area population estimates {period} ({what}), {_lsoa_words(lsoa)}"
        )
    if key == "national_population":
        mid = _year(r"Mid-(\d{4}).*", cells) or _year(r"\D*(20\d\d)\D*", [path.stem])
        return Vintage(
            None, f"ONS mid-year estimates, mid-{mid}" if mid else "ONS mid-year estimates"
        )
    return None


def _from_csv(key: str, path: Path, records: list[list[str]]) -> Vintage | None:
    header_index = next(
        (i for i, row in enumerate(records) if sum(bool(c) for c in row) >= 3), None
    )
    if header_index is None:
        return None
    header = records[header_index]
    first = records[header_index + 1] if header_index + 1 < len(records) else []
    row = dict(zip(header, first, strict=False))
    if key == "small_area_lookup":
        lsoa = _year(r"LSOA(\d\d)CD", header)
        sub_icb = _year(r"SICBL(\d\d)CD", header)
        lad = _year(r"LAD(\d\d)CD", header)
        parts = [_lsoa_words(lsoa), f"sub-ICB locations {sub_icb}" if sub_icb else None]
        parts.append(f"districts (LAD) {lad}" if lad else "no district columns")
        return Vintage(lsoa, "ONS lookup: " + ", ".join(p for p in parts if p))
    if key == "district_lookup":
        year = _year(r"LTLA(\d\d)CD", header)
        return Vintage(None, f"ONS lower to upper tier local authorities {year}" if year else "ONS")
    if key == "deprivation":
        lsoa = _year(r"LSOA code \((\d{4})\)", header)
        lad = _year(r"Local Authority District code \((\d{4})\)", header)
        edition = _IOD_BY_LAD_YEAR.get(lad or 0)
        scores = any(re.fullmatch(r".*\(IMD\) Score", c) for c in header)
        name = f"IoD{edition}" if edition else "English Indices of Deprivation"
        layout = "File 7 (scores, ranks and deciles)" if scores else "(ranks and deciles)"
        return Vintage(lsoa, f"{name} {layout}, {_lsoa_words(lsoa)}")
    if key == "resident_population":
        lsoa = _year(r"LSOA (\d{4}) Code", header)
        mid = _year(r"\D*(20\d\d)\D*", [path.stem])
        period = f"mid-{mid}" if mid else "mid-year not stated"
        return Vintage(lsoa, f"ONS small area population estimates {period}, {_lsoa_words(lsoa)}")
    if key in ("practice_map", "registered_by_age", "registered_by_small_area"):
        when = _extract_date(row.get("EXTRACT_DATE", ""))
        text = f"NHS Digital extract of {when:%-d %B %Y}" if when else "NHS Digital extract"
        return Vintage(None, text)
    if key in ("qof_prevalence", "qof_achievement"):
        found = re.findall(r"(?<!\d)(\d\d)(\d\d)(?!\d)", path.stem)
        year = f"20{found[-1][0]}-{found[-1][1]}" if found else "year not stated"
        return Vintage(None, f"QOF {year}")
    if key in LSOA_SOURCES:
        lsoa = _year(r"LSOA(\d\d)(?:CD)?", header)
        return Vintage(lsoa, _lsoa_words(lsoa)) if lsoa else None
    return None


def _extract_date(text: str) -> date | None:
    """``01Aug2026``, ``01JAN2021`` and ``2026-08-01`` (NHS Digital writes all three)."""
    text = text.strip()
    match = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", text)
    if match:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    match = re.fullmatch(r"(\d\d)([A-Za-z]{3})(\d{4})", text)
    if match and match.group(2).upper() in _MONTHS:
        return date(int(match.group(3)), _MONTHS[match.group(2).upper()], int(match.group(1)))
    return None


def lsoa_vintage_of_codes(codes: pd.Series) -> int | None:
    """2021 when any code exists only in LSOA 2021; None when the codes cannot tell."""
    text = codes.dropna().astype(str)
    english = text[text.str.startswith("E01")]
    if len(english) and (english >= FIRST_LSOA21_ONLY_CODE).any():
        return 2021
    return None


def lsoa_vintages(settings: object, extracts: Mapping[str, object]) -> dict[str, tuple[int, str]]:
    """Each small-area source's LSOA vintage and how it was told (header, or its codes).

    Sources whose vintage cannot be told are left out (they are taken to agree).
    """
    found: dict[str, tuple[int, str]] = {}
    for key in LSOA_SOURCES:
        extract = extracts.get(key)
        if extract is None:
            continue
        vintage = detect(key, _paths(settings, key))
        year = vintage.lsoa if vintage is not None else None
        how = "its header"
        if year is None and "lsoa_code" in extract.frame:  # type: ignore[attr-defined]
            year = lsoa_vintage_of_codes(extract.frame["lsoa_code"])  # type: ignore[attr-defined]
            how = f"codes from {FIRST_LSOA21_ONLY_CODE}"
        if year is not None:
            found[key] = (year, how)
    return found


def reference_lsoa_year(found: Mapping[str, tuple[int, str]]) -> int | None:
    """The vintage every source is put on: the small-area lookup's (it places the areas)."""
    if "small_area_lookup" in found:
        return found["small_area_lookup"][0]
    return next(iter(found.values()))[0] if found else None


def check_lsoa_vintages(
    settings: object, extracts: Mapping[str, object], *, convertible: bool = False
) -> dict[str, tuple[int, str]]:
    """The sources' LSOA vintages; refuse, in one line, a mix that cannot be converted.

    The lookup, deprivation, population and record-level files are joined by LSOA code;
    a 2011 lookup with 2021 deaths would silently lose the areas whose codes changed.
    Each source's vintage is what its header states, else what its codes show. A mix is
    allowed only when ``convertible`` (the ONS LSOA 2011 to 2021 lookup is supplied as
    ``sources: lsoa_best_fit``; ``ina.sources.lsoa_best_fit`` converts); otherwise the
    line names every source's vintage and the lookup to supply.
    """
    from ina.errors import InputError

    found = lsoa_vintages(settings, extracts)
    years = {year for year, _ in found.values()}
    if len(years) <= 1 or convertible:
        return found
    reference = reference_lsoa_year(found)
    odd = [key for key, (year, _) in found.items() if year != reference]
    listed = "; ".join(f"{key}: LSOA {year} ({how})" for key, (year, how) in found.items())
    first = odd[0]
    raise InputError(
        str(_paths(settings, first)[0]) if _paths(settings, first) else f"sources: {first}",
        f"LSOA vintages disagree ({listed}), so small areas would not join",
        expected=f"every small-area source on LSOA {reference} like the small_area_lookup, "
        "or the ONS LSOA (2011) to LSOA (2021) lookup as sources: lsoa_best_fit to convert "
        "them (ONS Open Geography Portal)",
        found=f"LSOA {found[first][0]}",
    )


def _paths(settings: object, key: str) -> list[Path]:
    try:
        located = settings.source_path(key)  # type: ignore[attr-defined]
    except Exception:
        return []
    return list(located) if isinstance(located, list) else [Path(located)]


def registrations_without_practices(paths: Sequence[str | Path]) -> bool:
    """True when every registrations-by-age file is the regions layout without GP rows.

    The regions file (``ORG_TYPE, ORG_CODE, ONS_CODE``) holds Comm Region, ICB, sub-ICB
    and PCN rows only; the practice files (``TYPE=GP``) hold practices. Decided from the
    header and the organisation types of the first 128 KiB (cheap, before any full read).
    """
    from ina.sources._base import read_file_bytes

    if not paths:
        return False
    for path in paths:
        try:
            records = _csv_head(read_file_bytes(path).data, count=2000)
        except Exception:
            return False
        header = records[0] if records else []
        if "ORG_TYPE" not in header:
            return False
        column = header.index("ORG_TYPE")
        if any(len(row) > column and row[column] == "GP" for row in records[1:]):
            return False
    return True
