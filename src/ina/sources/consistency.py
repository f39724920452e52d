"""Checks across extracts: every small area and practice named anywhere is a known one.

Each reader validates its own file (columns, types, code *patterns*). A code can still be
well formed and wrong: a deaths record for ``E01999999``, a registration for a practice
that is not in the practice map. Such a row would silently drop out of every area's
figures, so the build stops instead, naming the file, the line and the column, like the
ScotPHO indicator checks do for unknown geography codes.

The reference lists are the small-area lookup (for small areas) and the practice map
(for practices). National files are fine: a national lookup knows every small area.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ina.errors import ConfigError, InputError
from ina.sources._base import Extract


@dataclass(frozen=True)
class _CodeCheck:
    """One extract's code column that must refer to a known small area or practice."""

    source: str
    frame_column: str
    file_columns: tuple[str, ...]  # the header names this column has in published files
    reference: str  # "small_area" or "practice"
    allowed_unknown: str | None = None  # a publisher's pseudo-code for "not known"


_CHECKS: tuple[_CodeCheck, ...] = (
    _CodeCheck(
        "resident_population", "lsoa_code", ("LSOA 2021 Code", "LSOA 2011 Code"), "small_area"
    ),
    _CodeCheck("deprivation", "lsoa_code", ("LSOA code (2021)", "LSOA code (2011)"), "small_area"),
    _CodeCheck("deaths", "lsoa_code", ("LSOAR",), "small_area"),
    _CodeCheck("births", "lsoa_code", ("LSOAR",), "small_area"),
    _CodeCheck("hospital_activity", "lsoa_code", ("LSOA21",), "small_area"),
    _CodeCheck("hospital_admissions", "lsoa_code", ("LSOA21",), "small_area"),
    _CodeCheck("ae_attendances", "lsoa_code", ("LSOA21",), "small_area"),
    _CodeCheck("stillbirths", "lsoa_code", ("LSOAR",), "small_area"),
    _CodeCheck("smoking_at_delivery", "lsoa_code", ("LSOA21",), "small_area"),
    _CodeCheck("ncmp", "lsoa_code", ("LSOA21",), "small_area"),
    _CodeCheck("cancer_registrations", "lsoa_code", ("LSOA21",), "small_area"),
    _CodeCheck("end_of_life", "lsoa_code", ("LSOAR",), "small_area"),
    _CodeCheck(
        "registered_by_small_area",
        "lsoa_code",
        ("LSOA_CODE",),
        "small_area",
        allowed_unknown=r"NO\d{4}",
    ),
    _CodeCheck("registered_by_small_area", "practice_code", ("PRACTICE_CODE",), "practice"),
)


def check_codes_are_known(extracts: Mapping[str, Extract], root: Path | None = None) -> None:
    """Raise :class:`InputError` for the first small area or practice code no lookup knows.

    ``extracts`` is what :func:`ina.sources.load_all_sources` returns; ``root`` is the
    folder provenance paths are relative to (the config's folder). Sources that are not
    configured are skipped. The error names the file, the line where the code first
    appears, the column, and the lookup it was checked against.
    """
    known: dict[str, tuple[set[str], str]] = {}
    if "small_area_lookup" in extracts:
        lookup = extracts["small_area_lookup"]
        known["small_area"] = (
            set(lookup.frame["lsoa_code"].astype(str)),
            f"a small area in {lookup.provenance[0].path}",
        )
    if "practice_map" in extracts:
        practice_map = extracts["practice_map"]
        known["practice"] = (
            set(practice_map.frame["practice_code"].astype(str)),
            f"a practice in {practice_map.provenance[0].path}",
        )
    for check in _CHECKS:
        extract = extracts.get(check.source)
        if extract is None or check.reference not in known:
            continue
        reference, description = known[check.reference]
        codes = pd.unique(extract.frame[check.frame_column].astype(str))
        unknown = sorted(code for code in codes if code not in reference)
        if check.allowed_unknown is not None:
            pattern = re.compile(check.allowed_unknown)
            unknown = [code for code in unknown if not pattern.fullmatch(code)]
        if unknown:
            _raise_unknown(extract, check, unknown, description, root)


def _raise_unknown(
    extract: Extract,
    check: _CodeCheck,
    unknown: list[str],
    description: str,
    root: Path | None,
) -> None:
    """Find the first file and line holding an unknown code, and raise."""
    wanted = set(unknown)
    for provenance in extract.provenance:
        path = Path(provenance.path)
        if root is not None and not path.is_absolute():
            path = root / path
        located = _first_line_with(path, wanted)
        if located is None:
            continue
        line, code, column = located[0], located[1], _file_column(path, check)
        more = f" ({len(unknown) - 1} other unknown codes)" if len(unknown) > 1 else ""
        raise InputError(
            provenance.path,
            f"code not found in the lookup{more}",
            row=line,
            column=column,
            expected=description,
            found=code,
        )
    # The codes could not be located in the files (e.g. a zipped extract): still stop.
    raise InputError(
        extract.provenance[0].path,
        f"{len(unknown)} codes not found in the lookup",
        column=check.file_columns[0],
        expected=description,
        found=unknown[0],
    )


def _first_line_with(path: Path, codes: set[str]) -> tuple[int, str] | None:
    """The 1-based line number and code of the first line that holds any of ``codes``."""
    if path.suffix.lower() != ".csv" or not path.is_file():
        return None
    token = re.compile(r"[A-Za-z0-9]+")
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            for match in token.findall(line):
                if match in codes:
                    return number, match
    return None


def _file_column(path: Path, check: _CodeCheck) -> str:
    """The header name the code column has in this file (the first that is present)."""
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline()
    for name in check.file_columns:
        if name in header:
            return name
    return check.file_columns[0]


def check_places_name_known_districts(settings: object, extracts: Mapping[str, Extract]) -> None:
    """Every place member in ``ina.yml`` names a district (and sub-ICB) of the lookup.

    A typo in a place's district (``E07000999``) would otherwise pass validation and stop
    the build only when the first notebook assigns small areas to places. It is a
    configuration error, so it is reported as one: the key path of the member and the
    districts the small-area lookup knows. Every scheme is checked, not just the active
    one, so switching ``place_scheme`` never uncovers an old mistake. A lookup without
    district columns (the LSOA → sub-ICB file) takes them from the deprivation file, as
    the geography does. Settings without place schemes (a test's minimal settings), and a
    lookup with no districts from either file (which the geography rejects itself), are
    skipped.
    """
    from ina.geography import with_districts

    schemes = getattr(settings, "place_schemes", None)
    lookup = extracts.get("small_area_lookup")
    if not schemes or lookup is None:
        return
    deprivation = extracts.get("deprivation")
    frame = with_districts(lookup.frame, deprivation.frame if deprivation is not None else None)
    if frame["district_code"].isna().all():
        return
    districts = set(frame["district_code"].dropna().astype(str))
    sub_icbs = frame.dropna(subset=["district_code"]).groupby("district_code")["sub_icb_code"]
    sub_icbs_of = {district: set(codes.astype(str)) for district, codes in sub_icbs}
    config_path = getattr(settings, "config_path", None)
    label = Path(config_path).name if config_path is not None else "ina.yml"
    for key, scheme in schemes.items():
        for place_index, place in enumerate(scheme.places):
            for member_index, member in enumerate(place.members):
                where = f"place_schemes.{key}.places[{place_index}].members[{member_index}]"
                if member.district not in districts:
                    raise ConfigError(
                        f"{label}: {where}.district: {member.district!r} (place {place.id!r}) "
                        f"is not a district of {lookup.provenance[0].path}; known districts: "
                        + _listed(sorted(districts))
                    )
                known = sub_icbs_of.get(member.district, set())
                if member.sub_icb is not None and member.sub_icb not in known:
                    raise ConfigError(
                        f"{label}: {where}.sub_icb: {member.sub_icb!r} (place {place.id!r}) has "
                        f"no small area of district {member.district} in "
                        f"{lookup.provenance[0].path}; sub-ICBs of that district: "
                        + _listed(sorted(known))
                    )


def _listed(values: list[str], limit: int = 20) -> str:
    """``a, b, c`` or ``a, b, ... (and 300 more)`` for a national lookup's long lists."""
    if len(values) <= limit:
        return ", ".join(values)
    return ", ".join(values[:limit]) + f", ... (and {len(values) - limit} more)"


def check_counts_within_population(
    extracts: Mapping[str, Extract], root: Path | None = None
) -> None:
    """Hospital activity of a small area is at most a multiple of its resident population.

    The reader bounds each count by the largest small area's population; with the
    resident population configured, each row (one year, small area, age band, sex and
    point of delivery) must be at most
    :data:`ina.sources.hospital_activity.EVENTS_PER_RESIDENT` times its small area's
    residents of all ages (about 0.4 A&E attendances a resident a year in England, so a
    real row is a small fraction of that). Small areas absent from the population are
    left to the unknown-code check.
    """
    from ina.sources.hospital_activity import EVENTS_PER_RESIDENT

    activity = extracts.get("hospital_activity")
    population = extracts.get("resident_population")
    if activity is None or population is None:
        return
    residents = population.frame.groupby("lsoa_code", observed=True)["population"].sum()
    frame = activity.frame
    ceiling = frame["lsoa_code"].map(residents).to_numpy(dtype=float) * EVENTS_PER_RESIDENT
    with np.errstate(invalid="ignore"):
        too_large = frame["count"].to_numpy(dtype=float) > ceiling
    if not too_large.any():
        return
    position = int(np.argmax(too_large))
    # Locate the row in its file: the frame is the files' rows in order, one for one.
    offset = 0
    for provenance in activity.provenance:
        if position < offset + provenance.rows:
            break
        offset += provenance.rows
    path = Path(provenance.path)
    if root is not None and not path.is_absolute():
        path = root / path
    lsoa = frame["lsoa_code"].iloc[position]
    what = (
        f"{frame['activity'].iloc[position].replace('_', ' ')} exceed {EVENTS_PER_RESIDENT} "
        f"per resident of {lsoa} ({int(residents[lsoa]):,} residents in "
        f"{population.provenance[0].path})"
    )
    row = None
    try:
        from ina.sources._base import read_csv_with_columns
        from ina.sources.hospital_activity import COLUMNS

        _, table = read_csv_with_columns(path, COLUMNS, ["FYEAR", "LSOA21"])
        row = table.line_of(position - offset)
    except (InputError, OSError):
        pass
    raise InputError(
        provenance.path,
        f"count too large: {what}",
        row=row,
        column="ACTIVITY",
        expected=f"at most {int(ceiling[position]):,}",
        found=str(int(frame["count"].iloc[position])),
    )


_GEOGRAPHY_SOURCES = ("small_area_lookup", "district_lookup", "practice_map")
#: Read by the geography when supplied (ina.geography.Geography.from_frames, in order).
_OPTIONAL_GEOGRAPHY_SOURCES = ("registered_by_small_area", "deprivation")


def check_geography_builds(settings: object, extracts: Mapping[str, Extract]) -> None:
    """Assemble the ICB's geography once, so its errors stop ``ina validate``, not a notebook.

    :class:`ina.geography.Geography` finds mistakes no single extract shows: no practice
    of the ICB's ODS code in the practice map, a small area's district missing from the
    district lookup, a place member matching no small area of the ICB. Each chapter
    notebook builds the geography, so these used to surface only during execute (exit 4).
    Its InputErrors name a source (``practice_map``); they are re-labelled with the file.
    Skipped unless the settings are the real ``Settings`` and the three required sources
    are loaded.
    """
    from ina.config import Settings
    from ina.geography import Geography

    if not isinstance(settings, Settings) or not all(n in extracts for n in _GEOGRAPHY_SOURCES):
        return
    optional = [
        extracts[name].frame if name in extracts else None for name in _OPTIONAL_GEOGRAPHY_SOURCES
    ]
    try:
        geography = Geography.from_frames(
            settings, *(extracts[name].frame for name in _GEOGRAPHY_SOURCES), *optional
        )
    except InputError as error:
        source = extracts.get(error.file)
        if source is None:
            raise
        path = source.provenance[0].path
        text = f"{path} (sources: {error.file})" + str(error)[len(error.file) :]
        error.file = path
        error.args = (text,)
        raise
    if "registered_by_small_area" not in extracts:
        _check_every_place_has_practices(settings, geography)


def _check_every_place_has_practices(settings: object, geography: object) -> None:
    """Without registrations by LSOA, a place must get practices or small-area data.

    Practices are then placed by their sub-ICB location (ina.geography), which works only
    for places made of whole sub-ICB locations. A place without practices still has its
    residents' indicators when a small-area source feeds one (deaths, births, activity
    ...), and its practice-based ones are then simply not available. With no such
    source it would have no indicator at all (and the summary cannot compare it), so
    the scheme is refused here, naming the places and what to do, rather than failing in
    a notebook.
    """
    practices = geography.practices  # type: ignore[attr-defined]
    placed = set(practices["place_id"].dropna().astype(str))
    empty = [place.id for place in settings.places if place.id not in placed]  # type: ignore[attr-defined]
    if not empty or _small_area_indicators(settings):
        return
    label = Path(settings.config_path).name  # type: ignore[attr-defined]
    raise ConfigError(
        f"{label}: place_scheme: {settings.place_scheme!r} leaves no practice in place(s) "  # type: ignore[attr-defined]
        f"{', '.join(empty)}: without sources: registered_by_small_area a practice is "
        "placed by its sub-ICB location, no sub-ICB location lies wholly in them, and no "
        "supplied source gives them residents' indicators; use places made of whole "
        "sub-ICB locations or supply registered_by_small_area"
    )


def _small_area_indicators(settings: object) -> bool:
    """Whether a supplied source feeds an indicator counted by small area of residence."""
    from ina.indicators import load_catalogue
    from ina.indicators.measures import SOURCE_KINDS

    supplied = settings.source_names()  # type: ignore[attr-defined]
    for indicator in load_catalogue().supported_by(supplied):
        for name in indicator.sources:
            kind = SOURCE_KINDS.get(name)
            if kind is not None and kind.born_at == "small_area":
                return True
    return False
