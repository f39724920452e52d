"""Readers for the published source extracts, one module per format (docs/data-contract.md).

Every reader ``read_<format>(path, *, name=None) -> Extract`` reads the file exactly as
its publisher lays it out (ONS, MHCLG, NHS Digital, OHID Fingertips, Nomis, SUS/HES),
validates it (required columns, types, code patterns, counts >= 0, duplicate keys,
published totals against the sum of their parts) and returns a tidy frame with the
contract's column names plus the file's provenance. Any problem raises
:class:`ina.errors.InputError` naming the file, the line a user sees in an editor (or the
sheet row), the column, what was expected and what was found.

:func:`load_source` reads one extract named in ``ina.yml`` ``sources``;
:func:`load_all_sources` reads them all. Results are cached under
``<config folder>/.ina-cache/``, keyed by the SHA-256 of every input file and of the
reader code itself, so neither a changed extract nor a changed reader can be hidden by a
stale cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import pandas as pd

from ina._cache import read_cached, write_cached
from ina.errors import ConfigError, InputError
from ina.sources._base import LOADER_VERSION, Extract, Provenance
from ina.sources.ae_attendances import read_ae_attendances
from ina.sources.cancer_registrations import read_cancer_registrations
from ina.sources.cvdprevent import read_cvdprevent
from ina.sources.deprivation import read_deprivation
from ina.sources.end_of_life import read_end_of_life
from ina.sources.fingertips import read_fingertips
from ina.sources.gp_practice_map import read_practice_map
from ina.sources.gp_record_flags import read_gp_record_flags
from ina.sources.gp_registered_by_age import read_registered_by_age
from ina.sources.gp_registered_by_small_area import read_registered_by_small_area
from ina.sources.hospital_activity import read_hospital_activity
from ina.sources.hospital_admissions import read_hospital_admissions
from ina.sources.lookups import read_district_lookup, read_small_area_lookup
from ina.sources.lsoa_best_fit import read_lsoa_best_fit
from ina.sources.maternity import read_smoking_at_delivery
from ina.sources.mid_year_estimates import read_mid_year_estimates
from ina.sources.ncmp import read_ncmp
from ina.sources.nomis import read_nomis_census
from ina.sources.population_projections import read_population_projections
from ina.sources.products import explain
from ina.sources.qof import read_qof_achievement, read_qof_mapping, read_qof_prevalence
from ina.sources.sape import read_sape_population, read_sape_totals
from ina.sources.screening import read_screening_coverage
from ina.sources.vital_events import read_births, read_deaths, read_stillbirths

__all__ = [
    "READERS",
    "Extract",
    "Provenance",
    "load_all_sources",
    "load_source",
    "read_ae_attendances",
    "read_births",
    "read_cancer_registrations",
    "read_cvdprevent",
    "read_deaths",
    "read_deprivation",
    "read_district_lookup",
    "read_end_of_life",
    "read_fingertips",
    "read_gp_record_flags",
    "read_hospital_activity",
    "read_hospital_admissions",
    "read_lsoa_best_fit",
    "read_mid_year_estimates",
    "read_ncmp",
    "read_nomis_census",
    "read_population_projections",
    "read_practice_map",
    "read_qof_achievement",
    "read_qof_mapping",
    "read_qof_prevalence",
    "read_registered_by_age",
    "read_registered_by_small_area",
    "read_sape_population",
    "read_sape_totals",
    "read_screening_coverage",
    "read_small_area_lookup",
    "read_smoking_at_delivery",
    "read_stillbirths",
]

Reader = Callable[..., Extract]

#: ``ina.yml`` ``sources`` key → reader.
READERS: dict[str, Reader] = {
    "small_area_lookup": read_small_area_lookup,
    "district_lookup": read_district_lookup,
    "deprivation": read_deprivation,
    "resident_population": read_sape_population,
    "resident_totals": read_sape_totals,
    "lsoa_best_fit": read_lsoa_best_fit,
    "national_population": read_mid_year_estimates,
    "population_projections": read_population_projections,
    "practice_map": read_practice_map,
    "registered_by_age": read_registered_by_age,
    "registered_by_small_area": read_registered_by_small_area,
    "deaths": read_deaths,
    "births": read_births,
    "fingertips": read_fingertips,
    "hospital_activity": read_hospital_activity,
    "qof_prevalence": read_qof_prevalence,
    "qof_achievement": read_qof_achievement,
    "cvdprevent": read_cvdprevent,
    "gp_record_flags": read_gp_record_flags,
    "screening": read_screening_coverage,
    "hospital_admissions": read_hospital_admissions,
    "ae_attendances": read_ae_attendances,
    "stillbirths": read_stillbirths,
    "smoking_at_delivery": read_smoking_at_delivery,
    "ncmp": read_ncmp,
    "cancer_registrations": read_cancer_registrations,
    "end_of_life": read_end_of_life,
}
#: Readers that take several files at once (the rest get one file each, concatenated).
_MULTI_FILE = {"registered_by_age"}
CACHE_DIR = ".ina-cache"


class SourceSettings(Protocol):
    """What the loaders need from ``ina.config.Settings``."""

    @property
    def root(self) -> Path: ...

    def source_names(self) -> list[str]: ...

    def source_path(self, name: str) -> Path | list[Path]: ...


def load_source(settings: SourceSettings, name: str, *, use_cache: bool = True) -> Extract:
    """Read and validate the extract configured under ``sources: <name>`` in ``ina.yml``.

    Provenance paths are made relative to the config folder (POSIX style) so the build
    manifest is the same on every machine. A source given as several files (a list or a
    glob) is read file by file and concatenated, except ``registered_by_age`` whose reader
    checks keys across its files.
    """
    reader = READERS.get(name)
    if reader is None:
        raise ConfigError(f"sources: no reader for source {name!r}; known: {', '.join(READERS)}")
    located = settings.source_path(name)
    paths = list(located) if isinstance(located, list) else [located]
    if not paths:
        raise InputError(
            f"sources: {name}",
            "no file matches the configured path or pattern",
            expected="at least one file",
        )
    root = Path(settings.root).resolve()
    cache_file = _cache_file(root, name, paths) if use_cache else None
    if cache_file is not None:
        cached = read_cached(cache_file, Extract)
        if cached is not None:
            return cached
    try:
        extract = _read(reader, name, paths)
    except InputError as error:  # a wrong product is named as such (ina.sources.products)
        raise explain(error, name, paths) from None
    extract = dataclasses.replace(
        extract,
        provenance=tuple(
            dataclasses.replace(p, path=_relative(p.path, root)) for p in extract.provenance
        ),
    )
    if cache_file is not None:
        _write_cache(cache_file, extract)
    return extract


def load_all_sources(settings: SourceSettings, *, use_cache: bool = True) -> dict[str, Extract]:
    """Every configured source, in ``ina.yml`` order (the first invalid one raises).

    Then the checks that need two sources or the config: the small-area sources share one
    LSOA vintage (``ina.sources.vintages``), every place member names a district of the
    small-area lookup, the ICB's geography can be assembled, and hospital
    activity is bounded by the small area's residents (``ina.sources.consistency``).
    They run here because this is what ``ina validate`` and the build's validate step
    call, so such mistakes stop before any notebook runs.
    """
    from ina.sources.consistency import (
        check_counts_within_population,
        check_geography_builds,
        check_places_name_known_districts,
    )

    extracts = {
        name: load_source(settings, name, use_cache=use_cache) for name in settings.source_names()
    }
    # First: a vintage mix breaks every join below, so it is converted or refused here.
    extracts = _on_one_lsoa_vintage(settings, extracts)
    check_places_name_known_districts(settings, extracts)
    check_geography_builds(settings, extracts)
    check_counts_within_population(extracts, Path(settings.root).resolve())
    return extracts


def _on_one_lsoa_vintage(
    settings: SourceSettings, extracts: dict[str, Extract]
) -> dict[str, Extract]:
    """The extracts with every small-area source on the small-area lookup's LSOA vintage."""
    from ina.sources.lsoa_best_fit import BEST_FIT_SOURCE, convert_sources
    from ina.sources.vintages import check_lsoa_vintages, reference_lsoa_year

    convertible = BEST_FIT_SOURCE in extracts
    found = check_lsoa_vintages(settings, extracts, convertible=convertible)
    reference = reference_lsoa_year(found)
    if not convertible or reference is None:
        return extracts
    years = {key: year for key, (year, _) in found.items()}
    converted, _ = convert_sources(extracts, years, reference)
    return converted


def _read(reader: Reader, name: str, paths: list[Path]) -> Extract:
    if name in _MULTI_FILE:
        return reader(paths if len(paths) > 1 else paths[0], name=name)
    if len(paths) == 1:
        return reader(paths[0], name=name)
    parts = [reader(path, name=name) for path in paths]
    return Extract(
        name,
        pd.concat([part.frame for part in parts], ignore_index=True),
        tuple(p for part in parts for p in part.provenance),
    )


def _relative(path: str, root: Path) -> str:
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(absolute, root)).as_posix()


_CODE_DIGEST: str | None = None


def _code_digest() -> str:
    """SHA-256 of this package's source: any change to a reader invalidates the cache."""
    global _CODE_DIGEST
    if _CODE_DIGEST is None:
        digest = hashlib.sha256(LOADER_VERSION.encode())
        for file in sorted(Path(__file__).parent.glob("*.py")):
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
        _CODE_DIGEST = digest.hexdigest()
    return _CODE_DIGEST


def _cache_file(root: Path, name: str, paths: list[Path]) -> Path | None:
    """The cache entry for these exact bytes and this exact reader code (None if unreadable)."""
    digest = hashlib.sha256(f"{name}\0{_code_digest()}\0{pd.__version__}".encode())
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None  # let the reader report the missing file
        digest.update(_relative(str(path), root).encode() + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return root / CACHE_DIR / f"{name}-{digest.hexdigest()[:32]}.pickle"


def _write_cache(cache_file: Path, extract: Extract) -> None:
    write_cached(cache_file, extract, stale=f"{extract.name}-*.pickle")
