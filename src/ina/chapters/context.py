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

    @cached_property
    def icb_population(self) -> pd.DataFrame:
        """Residents of every small area of the ICB: ``lsoa_code, sex, age, population``."""
        population = self.source("resident_population")
        icb = population[population["lsoa_code"].isin(self.icb_small_areas["lsoa_code"])]
        if icb.empty:
            raise InputError(
                self.settings.source_path("resident_population"),
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
        """Registered patients of the area's practices: ``sex, age, patients``."""
        codes = self.geography.practices_in(self.area.id)["practice_code"]
        frame = self.source("registered_by_age")
        return frame[frame["org_code"].isin(codes)].reset_index(drop=True)

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
