"""Pydantic models for ``ina.yml``.

Why pydantic with hand-written messages: the intelligence team edits ``ina.yml`` once a
year, so a mistake must stop the build with one line that says *where* (the key path),
*what was found* and *what is allowed*. Pydantic gives strict, declarative validation
(unknown keys are errors, ``extra="forbid"``); the ``_expect_*`` validators below replace
its generic messages with ones a non-programmer can act on.

Cross-field rules (the active scheme exists, place ids are unique, a district is split
between places only by sub-ICB, every chapter has a notebook) need the whole document and
the config's folder, so they run in :meth:`Settings._check_consistency` and raise
:class:`ina.errors.ConfigError` directly with the key path (pydantic lets non-``ValueError``
exceptions propagate unchanged).
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ina.errors import ConfigError

# Code patterns (ONS Open Geography code structure; NHS ODS code formats).
ONS_ICB_PATTERN = re.compile(r"E54\d{6}")
ODS_ICB_PATTERN = re.compile(r"[A-Z0-9]{3,5}")
ONS_DISTRICT_PATTERN = re.compile(r"E0[6789]\d{6}")
ODS_SUB_ICB_PATTERN = re.compile(r"[0-9]{2}[A-Z0-9]|[A-Z0-9]{3}")
PLACE_ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SCHEME_KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
CHAPTER_PATTERN = re.compile(r"[a-z][a-z0-9_]*")

GLOB_CHARACTERS = frozenset("*?[")


def _found(value: object) -> str:
    """Render a found value the way a user typed it (strings quoted, others bare)."""
    return repr(value) if isinstance(value, str) else str(value)


def _problem(expected: str, value: object) -> PydanticCustomError:
    return PydanticCustomError(
        "ina_config",
        "must be {expected}, found {found}",
        {"expected": expected, "found": _found(value)},
    )


def _expect_pattern(pattern: re.Pattern[str], expected: str) -> Callable[[object], str]:
    def check(value: object) -> str:
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise _problem(expected, value)
        return value

    return check


def _expect_text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _problem("non-empty text", value)
    return value


def _expect_int(expected: str, minimum: int | None = None, maximum: int | None = None):
    def check(value: object) -> int:
        # bool is an int in Python; a YAML `yes` must not become 1.
        if isinstance(value, bool) or not isinstance(value, int):
            raise _problem(expected, value)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise _problem(expected, value)
        return value

    return check


def _expect_choice(choices: tuple[str, ...]) -> Callable[[object], str]:
    def check(value: object) -> str:
        if value not in choices:
            raise _problem("one of " + ", ".join(choices), value)
        return str(value)

    return check


def _expect_path_or_paths(value: object) -> str | list[str]:
    expected = "a file path relative to ina.yml, or a list of them"
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return list(value)
    raise _problem(expected, value)


OnsIcbCode = Annotated[
    str,
    BeforeValidator(_expect_pattern(ONS_ICB_PATTERN, "a 9-character ONS ICB code like E54000068")),
]
OdsIcbCode = Annotated[
    str, BeforeValidator(_expect_pattern(ODS_ICB_PATTERN, "an ODS ICB code like T6Y0W or QMM"))
]
DistrictCode = Annotated[
    str,
    BeforeValidator(
        _expect_pattern(ONS_DISTRICT_PATTERN, "a 9-character ONS district code like E07000148")
    ),
]
SubIcbCode = Annotated[
    str,
    BeforeValidator(
        _expect_pattern(
            ODS_SUB_ICB_PATTERN,
            "a 3-character ODS sub-ICB code like 26A (quote it if it is all digits)",
        )
    ),
]
PlaceId = Annotated[
    str,
    BeforeValidator(
        _expect_pattern(
            PLACE_ID_PATTERN, "a slug of lower-case letters, digits and hyphens like west-norfolk"
        )
    ),
]
ChapterName = Annotated[
    str,
    BeforeValidator(
        _expect_pattern(
            CHAPTER_PATTERN, "a notebook name of lower-case letters, digits and underscores"
        )
    ),
]
Text = Annotated[str, BeforeValidator(_expect_text)]
SourcePath = Annotated[str | list[str], BeforeValidator(_expect_path_or_paths)]


class _StrictModel(BaseModel):
    """Base: unknown keys are errors that list the allowed keys; models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _reject_unknown_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise PydanticCustomError(
                "ina_config", "must be a mapping of keys, found {found}", {"found": _found(data)}
            )
        allowed = sorted(cls.model_fields)
        unknown = [key for key in data if key not in cls.model_fields]
        if unknown:
            are = "is not a known key" if len(unknown) == 1 else "are not known keys"
            raise PydanticCustomError(
                "ina_config",
                "{key} " + are + "; allowed: {allowed}",
                {"key": ", ".join(_found(key) for key in unknown), "allowed": ", ".join(allowed)},
            )
        return data


class Icb(_StrictModel):
    """The Integrated Care Board the INA is about."""

    name: Text
    ons_code: OnsIcbCode
    ods_code: OdsIcbCode


class PlaceMember(_StrictModel):
    """A district, or the part of a district inside one sub-ICB location.

    ``sub_icb`` exists because places do not follow district boundaries: East Suffolk is
    split between Great Yarmouth and Waveney (sub-ICB 26A) and Ipswich and East Suffolk
    (06L); the small-area lookup says which LSOA lies in which sub-ICB.
    """

    district: DistrictCode
    sub_icb: SubIcbCode | None = None

    def describe(self) -> str:
        """``E07000244`` or ``E07000244 (sub-ICB 26A)``, for messages."""
        return (
            self.district if self.sub_icb is None else f"{self.district} (sub-ICB {self.sub_icb})"
        )


class Place(_StrictModel):
    """A place (alliance, locality): a named set of district parts."""

    id: PlaceId
    name: Text
    members: list[PlaceMember] = Field(min_length=1)


class PlaceScheme(_StrictModel):
    """A named way of dividing the ICB into places; schemes are data, never code."""

    label: Text
    places: list[Place] = Field(min_length=1)


class Sources(_StrictModel):
    """Where each source extract lives, relative to ``ina.yml``.

    One field per extract in ``docs/data-contract.md`` so that a misspelt source name is
    caught here, not when a chapter fails to find it. Only the three geography extracts are
    required (:data:`REQUIRED_SOURCES`): a team never has every extract, and the build
    computes whatever the supplied ones support. A value is a path, a list of paths,
    or a glob pattern (``data_raw/fingertips/*.csv``) expanded in sorted order.
    """

    # Required: the geography (which small areas and practices make up the ICB and each
    # place) cannot be built without them (ina.geography.load_geography), and every
    # chapter is about those areas. All three are public downloads (ONS, NHS Digital).
    small_area_lookup: SourcePath
    district_lookup: SourcePath
    practice_map: SourcePath
    # Optional: a missing one leaves its indicators "not available (source not supplied:
    # ...)" and its chapter sections say so (ina.sources.coverage lists what each enables).
    # Without registered_by_small_area a practice is given the place its sub-ICB location
    # lies in, where the sub-ICB lies in one place only (ina.geography).
    registered_by_small_area: SourcePath | None = None
    deprivation: SourcePath | None = None
    resident_population: SourcePath | None = None
    # Residents of each small area without age or sex (the ONS SAPE population density
    # workbook): enough for what needs no age (residents by deprivation decile, Core20).
    resident_totals: SourcePath | None = None
    # The ONS LSOA (2011) to LSOA (2021) lookup: with it, small-area sources on another
    # LSOA vintage than the small_area_lookup are converted (ina.sources.lsoa_best_fit);
    # without it such a mix is refused.
    lsoa_best_fit: SourcePath | None = None
    national_population: SourcePath | None = None
    population_projections: SourcePath | None = None
    registered_by_age: SourcePath | None = None
    deaths: SourcePath | None = None
    births: SourcePath | None = None
    fingertips: SourcePath | None = None
    hospital_activity: SourcePath | None = None
    qof_prevalence: SourcePath | None = None
    qof_achievement: SourcePath | None = None
    cvdprevent: SourcePath | None = None
    gp_record_flags: SourcePath | None = None
    screening: SourcePath | None = None
    hospital_admissions: SourcePath | None = None
    ae_attendances: SourcePath | None = None
    stillbirths: SourcePath | None = None
    smoking_at_delivery: SourcePath | None = None
    ncmp: SourcePath | None = None
    cancer_registrations: SourcePath | None = None
    end_of_life: SourcePath | None = None


#: Sources without which no area can be defined (the rest are optional).
REQUIRED_SOURCES: tuple[str, ...] = tuple(
    name for name, field in Sources.model_fields.items() if field.is_required()
)

#: The GSS symbol for a value hidden to protect confidentiality, and the symbols a marker
#: must not collide with ([x] not available, [z] not applicable).
SUPPRESSED_SYMBOL = "[c]"
RESERVED_SYMBOLS = frozenset({"[x]", "[z]"})
_USER_SUPPRESSION_KEYS = ("marker", "max_count", "min_count")


class Suppression(_StrictModel):
    """Small-number suppression: published counts from min_count to max_count are hidden.

    Why ``suppression: none`` and not ``max_count: 0``: turning disclosure control off must
    be a visible decision (the build then stamps every page "UNSUPPRESSED — NOT FOR
    PUBLICATION"), so a rule that would hide nothing is refused instead of silently
    accepted. ``disabled`` is set only by ``suppression: none``; it is not a key of the file.
    """

    min_count: Annotated[int, BeforeValidator(_expect_int("an integer >= 0", minimum=0))] = 1
    max_count: Annotated[int, BeforeValidator(_expect_int("an integer >= min_count"))] = 7
    marker: Text = SUPPRESSED_SYMBOL
    disabled: bool = False

    @model_validator(mode="before")
    @classmethod
    def _reject_unknown_keys(cls, data: Any) -> Any:
        if isinstance(data, str) and data.strip().lower() == "none":
            return {"disabled": True}
        if not isinstance(data, dict):
            raise PydanticCustomError(
                "ina_config",
                "must be a mapping of keys or `none`, found {found}",
                {"found": _found(data)},
            )
        unknown = [key for key in data if key not in _USER_SUPPRESSION_KEYS]
        if unknown:
            raise PydanticCustomError(
                "ina_config",
                "{key} is not a known key; allowed: {allowed}",
                {"key": _found(unknown[0]), "allowed": ", ".join(_USER_SUPPRESSION_KEYS)},
            )
        return data

    @model_validator(mode="after")
    def _max_not_below_min(self) -> Suppression:
        if self.disabled:
            return self
        if self.max_count < self.min_count:
            raise PydanticCustomError(
                "ina_config_at",
                "must be an integer >= min_count, found {found}",
                {"found": self.max_count, "at": "max_count"},
            )
        if self.max_count < 1:
            raise PydanticCustomError(
                "ina_config_at",
                "must be at least 1, found {found}: this rule would hide nothing (to turn "
                "suppression off, write `suppression: none`)",
                {"found": self.max_count, "at": "max_count"},
            )
        marker = self.marker.strip()
        if marker in RESERVED_SYMBOLS or _looks_numeric(marker):
            raise PydanticCustomError(
                "ina_config_at",
                "must be a symbol that is not a number, [x] or [z] (GSS: [c]), found {found}",
                {"found": _found(self.marker), "at": "marker"},
            )
        return self


def _looks_numeric(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def _expect_percent(value: object) -> float:
    """A share in percent, 0 < x <= 100 (a YAML ``yes`` or a string is refused)."""
    expected = "a number of percent above 0 and at most 100"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _problem(expected, value)
    if not 0 < float(value) <= 100:
        raise _problem(expected, value)
    return float(value)


class QualityChecks(_StrictModel):
    """ScotPHO-style checks between releases: how far a published value may move unflagged."""

    move_threshold_percent: Annotated[float, BeforeValidator(_expect_percent)] = 5.0

    @property
    def move_threshold(self) -> float:
        """The threshold as a fraction (5% -> 0.05), as :mod:`ina.quality` takes it."""
        return self.move_threshold_percent / 100


#: ``demo``: the synthetic data of data_raw/ (stamped "demonstration" everywhere);
#: ``real``: real published extracts, not (yet) a provisional or final edition (stamped
#: "real data"); ``provisional`` and ``final``: an edition of the INA.
DataStatus = Literal["demo", "real", "provisional", "final"]
DATA_STATUSES: tuple[str, ...] = ("demo", "real", "provisional", "final")


class Settings(_StrictModel):
    """The validated ``ina.yml``; build one with :func:`ina.config.load_settings`.

    Paths in the file are relative to the file's folder (``root``); the accessors here
    return absolute paths so that notebooks run by Papermill from any working directory
    read the same files.
    """

    icb: Icb
    reporting_year: Annotated[
        int, BeforeValidator(_expect_int("a year like 2026", minimum=2000, maximum=2100))
    ]
    data_status: Annotated[DataStatus, BeforeValidator(_expect_choice(DATA_STATUSES))]
    place_scheme: Annotated[str, BeforeValidator(_expect_text)]
    place_schemes: dict[str, PlaceScheme] = Field(min_length=1)
    chapters: list[ChapterName] = Field(min_length=1)
    sources: Sources
    suppression: Suppression
    qa: QualityChecks = Field(default_factory=QualityChecks)
    output_dir: Annotated[Path, BeforeValidator(_expect_text)]

    _config_path: Path
    NOTEBOOK_DIR: ClassVar[str] = "notebooks"

    @model_validator(mode="after")
    def _check_consistency(self, info: ValidationInfo) -> Settings:
        context = info.context or {}
        label = str(context.get("label", "ina.yml"))
        config_path = Path(context.get("config_path", Path.cwd() / "ina.yml")).resolve()
        self._config_path = config_path  # a private attribute: allowed on a frozen model
        # Resolved once here so every reader of settings.output_dir gets the same folder.
        object.__setattr__(self, "output_dir", self.resolve(self.output_dir))

        problems: list[str] = []

        def fail(where: str, message: str) -> None:
            problems.append(f"{label}: {where}: {message}")

        for key in self.place_schemes:
            if not SCHEME_KEY_PATTERN.fullmatch(key):
                fail(
                    f"place_schemes.{key}",
                    "scheme names must be lower-case letters, digits and underscores",
                )
        if self.place_scheme not in self.place_schemes:
            fail(
                "place_scheme",
                f"{_found(self.place_scheme)} is not a defined scheme; allowed: "
                + ", ".join(sorted(self.place_schemes)),
            )
        for key, scheme in self.place_schemes.items():
            _check_scheme(key, scheme, fail)

        seen: set[str] = set()
        for index, chapter in enumerate(self.chapters):
            if chapter in seen:
                fail(f"chapters[{index}]", f"{_found(chapter)} is listed twice")
            seen.add(chapter)
        available = self.available_notebooks()
        if available:
            for index, chapter in enumerate(self.chapters):
                if chapter not in available:
                    fail(
                        f"chapters[{index}]",
                        f"{_found(chapter)} has no notebook; allowed: " + ", ".join(available),
                    )
        if problems:
            # Every cross-field problem at once (ina.config.load_settings adds line numbers).
            raise ConfigError(problems=problems)
        return self

    # --- paths -----------------------------------------------------------------------

    @property
    def config_path(self) -> Path:
        """Absolute path of the config file."""
        return self._config_path

    @property
    def root(self) -> Path:
        """The folder holding the config; relative paths in it are resolved against this."""
        return self._config_path.parent

    def resolve(self, relative: str | Path) -> Path:
        """An absolute path for a path written relative to the config file."""
        path = Path(relative)
        return path if path.is_absolute() else (self.root / path).resolve()

    def available_notebooks(self) -> list[str]:
        """Chapter names that have ``notebooks/<name>.ipynb`` next to the config, sorted.

        Empty when the folder is absent or holds no notebook (a data-only checkout, e.g.
        ``ina demo-data`` in a fresh folder): the chapter check is then skipped and the
        build reports the missing notebook itself.
        """
        folder = self.root / self.NOTEBOOK_DIR
        if not folder.is_dir():
            return []
        return sorted(path.stem for path in folder.glob("*.ipynb"))

    # --- places ----------------------------------------------------------------------

    @property
    def active_scheme(self) -> PlaceScheme:
        """The place scheme named by ``place_scheme``."""
        return self.place_schemes[self.place_scheme]

    @property
    def places(self) -> list[Place]:
        """Places of the active scheme, in config order."""
        return list(self.active_scheme.places)

    def place(self, place_id: str) -> Place:
        """The active scheme's place with this id (ConfigError listing the ids otherwise)."""
        for place in self.active_scheme.places:
            if place.id == place_id:
                return place
        allowed = ", ".join(p.id for p in self.active_scheme.places)
        raise ConfigError(
            f"{self.config_path.name}: no place {place_id!r} in scheme {self.place_scheme}; "
            f"allowed: {allowed}"
        )

    # --- sources ---------------------------------------------------------------------

    def source_names(self) -> list[str]:
        """Names of the configured sources, in config-model order (unset optional ones left out)."""
        return [name for name in Sources.model_fields if getattr(self.sources, name) is not None]

    def source_path(self, name: str) -> Path | list[Path]:
        """Absolute path(s) of a source extract.

        A list in the config gives a list; a glob pattern gives the sorted list of files
        matching it now (possibly empty); a plain path gives one ``Path`` (whether or not
        the file exists: the loaders report a missing file with its name).
        """
        if name not in self.source_names():
            raise ConfigError(
                f"{self.config_path.name}: sources: no source named {name!r}; configured: "
                + ", ".join(self.source_names())
            )
        value = getattr(self.sources, name)
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if GLOB_CHARACTERS & set(value):
            pattern = str(self.resolve(value))
            return sorted(Path(match) for match in glob.glob(pattern))
        return self.resolve(value)

    # --- manifest --------------------------------------------------------------------

    def model_dump_for_manifest(self) -> dict[str, Any]:
        """The settings as plain JSON types, paths relative to the config folder.

        Deterministic (key order follows the models; paths are POSIX strings as written,
        never absolute), so two builds from the same ``ina.yml`` in different folders write
        identical manifests.
        """
        data = self.model_dump(mode="json", exclude_none=True)
        data["config_file"] = self.config_path.name
        data["active_places"] = [place.id for place in self.places]
        data["sources"] = {name: _posix(value) for name, value in data["sources"].items()}
        data["output_dir"] = Path(os.path.relpath(self.output_dir, self.root)).as_posix()
        return data


def _posix(value: str | list[str]) -> str | list[str]:
    if isinstance(value, list):
        return [Path(item).as_posix() for item in value]
    return Path(value).as_posix()


def _check_scheme(key: str, scheme: PlaceScheme, fail: Callable[[str, str], None]) -> None:
    """Place ids unique; each district wholly in one place or split only by distinct sub-ICBs.

    Each broken rule is passed to ``fail`` (which collects it) so that all are listed.
    """
    ids: dict[str, int] = {}
    # district -> list of (place index, member index, sub_icb)
    uses: dict[str, list[tuple[int, int, str | None]]] = {}
    for place_index, place in enumerate(scheme.places):
        where = f"place_schemes.{key}.places[{place_index}]"
        if place.id in ids:
            fail(f"{where}.id", f"{place.id!r} is already used by places[{ids[place.id]}]")
        else:
            ids[place.id] = place_index
        for member_index, member in enumerate(place.members):
            uses.setdefault(member.district, []).append((place_index, member_index, member.sub_icb))
    for district, members in uses.items():
        if len(members) < 2:
            continue
        filters = [sub_icb for _, _, sub_icb in members]
        place_index, member_index, _ = members[1]
        where = f"place_schemes.{key}.places[{place_index}].members[{member_index}]"
        if None in filters:
            fail(
                where,
                f"district {district} appears more than once, so every use needs a sub_icb "
                "filter (a district without one is wholly in one place)",
            )
            continue
        duplicates = {f for f in filters if filters.count(f) > 1}
        if duplicates:
            fail(
                where,
                f"district {district} with sub_icb {sorted(duplicates)[0]} appears more than once",
            )
