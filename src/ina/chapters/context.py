"""What a chapter notebook needs about its area: the area, its comparator, its inputs.

A chapter is run for the ICB (compared with England, broken down by place) or for one
place (compared with the ICB, broken down by the district parts it contains). This module
makes that choice once, so the notebooks stay thin and every chapter makes it the same
way, and it restricts each source extract to the area (small areas of residence, or the
practices of the area for registered-population figures).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from ina.config import Settings, load_settings
from ina.config.locate import locate_config
from ina.errors import InputError
from ina.geography import Area, Geography, load_geography
from ina.sources import load_source

__all__ = ["ENGLAND_CODE", "ChapterContext", "load_context"]

#: ONS code of England in mid-year estimates (the ICB's comparator).
ENGLAND_CODE = "E92000001"


@dataclass
class ChapterContext:
    """One area's view of the sources, shared by every section of a chapter."""

    settings: Settings
    geography: Geography
    area: Area
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    # --- who is compared with whom ------------------------------------------------------

    @property
    def is_icb(self) -> bool:
        """True when the chapter is about the whole ICB."""
        return self.area.kind == "icb"

    @property
    def icb_name(self) -> str:
        return self.settings.icb.name

    @property
    def comparator_name(self) -> str:
        """England for the ICB; the ICB for a place."""
        return "England" if self.is_icb else self.icb_name

    @property
    def part_column(self) -> str:
        """How the area is broken down: by place for the ICB, by district for a place."""
        return "place_name" if self.is_icb else "district_name"

    @property
    def part_label(self) -> str:
        return "place" if self.is_icb else "district (part)"

    # --- sources --------------------------------------------------------------------------

    def source(self, name: str) -> pd.DataFrame:
        """The tidy frame of one source extract (read once per context)."""
        if name not in self._frames:
            self._frames[name] = load_source(self.settings, name).frame
        return self._frames[name]

    def has_source(self, name: str) -> bool:
        return name in self.settings.source_names()

    @cached_property
    def small_areas(self) -> pd.DataFrame:
        """The area's small areas (geography rows)."""
        return self.geography.small_areas_in(self.area.id)

    @cached_property
    def icb_small_areas(self) -> pd.DataFrame:
        return self.geography.small_areas

    @property
    def residents_source(self) -> str:
        """``resident_population`` (by age and sex) when supplied, else ``resident_totals``."""
        if self.has_source("resident_population") or not self.has_source("resident_totals"):
            return "resident_population"
        return "resident_totals"

    @cached_property
    def icb_population(self) -> pd.DataFrame:
        """Residents of every small area of the ICB: ``lsoa_code, sex, age, population``.

        From ``resident_totals`` (no age or sex: ``sex`` "persons", ``age`` NA) when the
        estimates by age are not supplied; only sections that need no age read it then
        (:data:`ina.chapters.sections.SECTIONS` declares which).
        """
        name = self.residents_source
        population = self.source(name)
        if name == "resident_totals":
            population = population.assign(
                sex="persons", age=pd.array([pd.NA] * len(population), dtype="Int64")
            )[["lsoa_code", "sex", "age", "population"]]
        icb = population[population["lsoa_code"].isin(self.icb_small_areas["lsoa_code"])]
        if icb.empty:
            raise InputError(
                self.settings.source_path(name),
                "no small area of the ICB has a population estimate",
                column="lsoa_code",
                expected="the LSOA codes of the small area lookup",
            )
        return icb.reset_index(drop=True)

    @cached_property
    def population(self) -> pd.DataFrame:
        """Residents of the area's small areas."""
        icb = self.icb_population
        return icb[icb["lsoa_code"].isin(self.small_areas["lsoa_code"])].reset_index(drop=True)

    @cached_property
    def comparator_population(self) -> pd.DataFrame:
        """England (ONS MYE2) for the ICB; the ICB's residents for a place."""
        if not self.is_icb:
            return self.icb_population
        national = self.source("national_population")
        england = national[national["area_code"] == ENGLAND_CODE]
        if england.empty:
            raise InputError(
                self.settings.source_path("national_population"),
                "the mid-year estimates have no England row",
                column="Code",
                expected=ENGLAND_CODE,
            )
        return england.reset_index(drop=True)

    def _in_area(self, frame: pd.DataFrame) -> pd.DataFrame:
        codes = self.small_areas["lsoa_code"]
        return frame[frame["lsoa_code"].isin(codes)].reset_index(drop=True)

    @cached_property
    def deaths(self) -> pd.DataFrame:
        """Deaths of the area's residents (by small area of residence)."""
        return self._in_area(self.source("deaths"))

    @cached_property
    def births(self) -> pd.DataFrame:
        """Births to the area's residents (by small area of the mother's residence)."""
        return self._in_area(self.source("births"))

    @cached_property
    def registered(self) -> pd.DataFrame:
        """Registered patients of the area's practices: ``sex, age, patients``.

        From the practice rows when the file has them. The NHS Digital regions file has
        none (ICB, sub-ICB and PCN rows only), so the area's patients are then the rows
        of the coarsest organisation level whose units together hold exactly the area's
        practices (the ICB row for the ICB, a sub-ICB location's row for a place that is
        one), else the PCNs wholly inside the area; :attr:`registered_note` says which.
        """
        return self._registered[0]

    def registered_available(self) -> bool:
        """Whether the area has registered patients to show; else say why, once.

        Without registrations by small area some places get no practice (practices are
        then placed by sub-ICB location), and a table of zeros would read as "nobody is
        registered here": the section shows one sentence instead.
        """
        if not self.registered.empty and self.registered["patients"].sum() > 0:
            return True
        if not getattr(self, "_told_registered", False):
            from ina.publishing import show_markdown

            show_markdown(
                self.registered_note
                or f"No practice is placed in {self.area.name}, so its registered patients "
                "are not available (practices are placed by sub-ICB location when "
                "registered_by_small_area is not supplied)."
            )
            self._told_registered = True
        return False

    @property
    def registered_note(self) -> str | None:
        """How :attr:`registered` was counted when the file has no practice rows."""
        return self._registered[1]

    @cached_property
    def _registered(self) -> tuple[pd.DataFrame, str | None]:
        practices = self.geography.practices_in(self.area.id)
        frame = self.source("registered_by_age")
        if (frame["org_type"] == "practice").any():
            codes = practices["practice_code"]
            return frame[frame["org_code"].isin(codes)].reset_index(drop=True), None
        return registered_from_levels(
            frame, practices, self.geography.practices, icb_code=self.settings.icb.ods_code
        )

    @cached_property
    def registered_population(self) -> pd.DataFrame:
        """The area's registered patients as ``sex, age, population`` (single years, 95+)."""
        frame = self.registered
        frame = frame[frame["sex"].isin(["female", "male"]) & frame["age"].notna()]
        return frame.rename(columns={"patients": "population"})[
            ["sex", "age", "population"]
        ].reset_index(drop=True)

    @cached_property
    def comparator_registered_population(self) -> pd.DataFrame:
        """England's registered patients (the sum of the commissioning regions' rows) for
        the ICB; the ICB's for a place. Same columns as :attr:`registered_population`."""
        if not self.is_icb:
            frame = self.source("registered_by_age")
            if (frame["org_type"] == "practice").any():
                icb = frame[frame["org_code"].isin(self.geography.practices["practice_code"])]
            else:
                icb, _ = registered_from_levels(
                    frame,
                    self.geography.practices,
                    self.geography.practices,
                    icb_code=self.settings.icb.ods_code,
                )
        else:
            frame = self.source("registered_by_age")
            icb = frame[frame["org_type"] == "region"]
            if icb.empty:
                raise InputError(
                    self.settings.source_path("registered_by_age"),
                    "no commissioning region rows, so England's registered population is unknown",
                    column="ORG_TYPE",
                    expected="Comm Region rows (the NHS Digital regions file)",
                )
        icb = icb[icb["sex"].isin(["female", "male"]) & icb["age"].notna()]
        return icb.rename(columns={"patients": "population"})[
            ["sex", "age", "population"]
        ].reset_index(drop=True)

    @cached_property
    def projections(self) -> pd.DataFrame:
        return self.source("population_projections")

    def projection_years(self, horizons: tuple[int, ...] = (2030, 2040)) -> tuple[int, list[int]]:
        """Base year (the reporting year, within the projections) and the later years shown."""
        years = sorted(self.projections["year"].unique())
        base = min(max(self.settings.reporting_year, years[0]), years[-1])
        later = [year for year in horizons if base < year <= years[-1]]
        return int(base), later


def load_context(config_path: str | Path, area_id: str) -> ChapterContext:
    """Read ``ina.yml`` and the geography, and return the context of one area.

    ``config_path`` is usually the bare name a build injects (``ina.config.locate``).
    """
    settings = load_settings(locate_config(config_path))
    geography = load_geography(settings)
    return ChapterContext(settings=settings, geography=geography, area=geography.area(area_id))


#: Organisation levels of the regions file, coarsest first, and the practice map column
#: naming each practice's unit at that level (None: the ICB itself).
_LEVELS: tuple[tuple[str, str | None], ...] = (
    ("icb", None),
    ("sub_icb", "sub_icb_code"),
    ("pcn", "pcn_code"),
)


def registered_from_levels(
    frame: pd.DataFrame, practices: pd.DataFrame, icb_practices: pd.DataFrame, *, icb_code: str
) -> tuple[pd.DataFrame, str | None]:
    """An area's registered patients from organisation rows, when there are no practice rows.

    ``practices``: the area's practices; ``icb_practices``: all of the ICB's. A unit (the
    ICB, a sub-ICB location, a PCN) counts for the area when every ICB practice in it is
    one of the area's. The coarsest level whose units hold all the area's practices is
    used (fewest rows summed, and PCN rows can include practices of other ICBs); else the
    PCNs wholly inside the area, with a note saying how many practices they hold.
    Returns the rows and the note for the report.
    """
    wanted = set(practices["practice_code"].astype(str))
    if not wanted:
        return frame.iloc[0:0].reset_index(drop=True), (
            "No practice is placed in this area, so its registered population is not available."
        )
    all_codes = icb_practices["practice_code"].astype(str)
    best: tuple[pd.DataFrame, str] | None = None
    for level, column in _LEVELS:
        units_of = (
            pd.Series(icb_code, index=all_codes.index)
            if column is None
            else icb_practices[column].astype(str)
        )
        members = pd.DataFrame({"unit": units_of.to_numpy(), "practice": all_codes.to_numpy()})
        inside = members.groupby("unit")["practice"].agg(lambda p: set(p) <= wanted)
        units = sorted(inside.index[inside])
        rows = frame[(frame["org_type"] == level) & frame["org_code"].isin(units)]
        present = sorted(set(rows["org_code"]))
        if not present:
            continue
        covered = set(members.loc[members["unit"].isin(present), "practice"])
        words = {"icb": "ICB", "sub_icb": "sub-ICB location", "pcn": "PCN"}[level]
        note = (
            f"The registrations file has no practice rows, so registered patients are the "
            f"{words} row{'s' if len(present) > 1 else ''} of {', '.join(present)}"
        )
        if covered == wanted:
            return rows.reset_index(drop=True), note + "."
        if best is None:
            best = (
                rows.reset_index(drop=True),
                note + f" ({len(covered)} of the area's {len(wanted)} practices).",
            )
    if best is not None:
        return best
    return frame.iloc[0:0].reset_index(drop=True), (
        "The registrations file has no rows for this area's practices or their PCNs, "
        "sub-ICB locations or ICB, so its registered population is not available."
    )
