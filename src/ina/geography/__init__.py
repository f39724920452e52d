"""Which small areas and GP practices make up the ICB and each place.

The INA reports two kinds of figure: *resident-based* ones built from small areas (LSOAs,
which carry deprivation) and *registered-population* ones built from GP practices. Both
must roll up to the same areas: the ICB and the places of the active place scheme in
``ina.yml``. This module is the one place that decides membership:

- small area -> district (ONS lookup) -> county (ONS LTLA -> UTLA lookup) and
  small area -> sub-ICB location (ONS LSOA -> sub-ICB lookup);
- small area -> place: the place whose member (district, optionally restricted to one
  sub-ICB) matches it; NA when the active scheme does not cover it (the JFP scheme covers
  Norfolk and Waveney only);
- practice -> place: the place where most of its registered patients live (NHS Digital
  "patients registered at a GP practice by LSOA"), the usual way of attributing practices
  to resident geographies; ties go to the place listed first in ``ina.yml``. Without that
  extract (it is optional), a practice takes the place its sub-ICB location lies in when
  every small area of the sub-ICB is in one place; other practices are in no place, and
  :attr:`Geography.notes` says so (the report shows the note);
- a lookup without district columns (the ONS LSOA 2011 -> sub-ICB July 2022 file) takes
  each small area's district from the deprivation file (the IoD gives the LAD of every
  LSOA), and its name from the district lookup.

The ICB's small areas are those in the sub-ICB locations of the ICB's practices (NHS
Digital practice map, ``icb_code`` = ``icb.ods_code``), so national lookups can be used
unfiltered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from ina.config import Settings
from ina.errors import ConfigError, InputError

__all__ = ["ICB_AREA_ID", "Area", "Geography", "load_geography"]

ICB_AREA_ID = "icb"

SMALL_AREA_COLUMNS = [
    "lsoa_code",
    "lsoa_name",
    "district_code",
    "district_name",
    "county_code",
    "county_name",
    "sub_icb_code",
    "place_id",
    "place_name",
]
PRACTICE_COLUMNS = [
    "practice_code",
    "practice_name",
    "pcn_code",
    "pcn_name",
    "sub_icb_code",
    "place_id",
    "registered_patients",
]


@dataclass(frozen=True)
class Area:
    """An area the INA reports on: the ICB itself or one place of the active scheme."""

    id: str
    name: str
    kind: Literal["icb", "place"]


@dataclass(frozen=True)
class Geography:
    """Small areas and practices of the ICB, each assigned to at most one place.

    Build with :func:`load_geography` (from the source extracts) or
    :meth:`Geography.from_frames` (from tidy frames, e.g. in tests).
    """

    settings: Settings = field(repr=False)
    small_areas: pd.DataFrame = field(repr=False)
    practices: pd.DataFrame = field(repr=False)
    areas: list[Area]
    #: How the geography was made where an extract was missing, in words for the report.
    notes: tuple[str, ...] = ()

    # --- construction -----------------------------------------------------------------

    @classmethod
    def from_frames(
        cls,
        settings: Settings,
        lookup: pd.DataFrame,
        districts: pd.DataFrame,
        practice_map: pd.DataFrame,
        registered_by_small_area: pd.DataFrame | None = None,
        deprivation: pd.DataFrame | None = None,
    ) -> Geography:
        """Assemble the geography from the tidy frames of ``docs/data-contract.md``.

        ``lookup``: small area lookup (``lsoa_code, lsoa_name, sub_icb_code, district_code,
        district_name``); ``districts``: district -> county lookup; ``practice_map``: NHS
        Digital practice map (``practice_code, practice_name, pcn_code, pcn_name,
        sub_icb_code, icb_code``); ``registered_by_small_area`` (optional):
        ``practice_code, lsoa_code, patients``; ``deprivation`` (optional): the IoD
        (``lsoa_code, district_code``), used only for a lookup without districts.
        """
        _require(lookup, "small_area_lookup", ["lsoa_code", "lsoa_name", "sub_icb_code"])
        _require(districts, "district_lookup", ["district_code", "county_code", "county_name"])
        _require(
            practice_map,
            "practice_map",
            ["practice_code", "practice_name", "pcn_code", "pcn_name", "sub_icb_code", "icb_code"],
        )
        if registered_by_small_area is not None:
            _require(
                registered_by_small_area,
                "registered_by_small_area",
                ["practice_code", "lsoa_code", "patients"],
            )
        lookup = with_districts(lookup, deprivation)

        icb_practices = practice_map.loc[practice_map["icb_code"] == settings.icb.ods_code]
        if icb_practices.empty:
            found = sorted(practice_map["icb_code"].dropna().unique().tolist())[:10]
            raise InputError(
                "practice_map",
                f"no practice belongs to the ICB {settings.icb.ods_code} set in ina.yml",
                column="icb_code",
                expected=settings.icb.ods_code,
                found=", ".join(found),
            )
        icb_sub_icbs = set(icb_practices["sub_icb_code"].dropna())
        small_areas = _icb_small_areas(lookup, districts, icb_sub_icbs)
        small_areas = _assign_places(settings, small_areas)
        notes: list[str] = []
        if registered_by_small_area is not None:
            practices = _assign_practices(
                settings, icb_practices, small_areas, registered_by_small_area
            )
        else:
            practices, note = _assign_practices_by_sub_icb(settings, icb_practices, small_areas)
            notes.append(note)
        areas = [Area(ICB_AREA_ID, settings.icb.name, "icb")] + [
            Area(place.id, place.name, "place") for place in settings.places
        ]
        return cls(
            settings=settings,
            small_areas=small_areas,
            practices=practices,
            areas=areas,
            notes=tuple(notes),
        )

    # --- queries ----------------------------------------------------------------------

    def area(self, area_id: str) -> Area:
        """The ICB (``"icb"``) or a place of the active scheme, by id."""
        for area in self.areas:
            if area.id == area_id:
                return area
        allowed = ", ".join(a.id for a in self.areas)
        raise ConfigError(
            f"no area {area_id!r} in place scheme {self.settings.place_scheme}; allowed: {allowed}"
        )

    def small_areas_in(self, area_id: str) -> pd.DataFrame:
        """Small areas of the ICB or of one place (rows of :attr:`small_areas`)."""
        area = self.area(area_id)
        if area.kind == "icb":
            return self.small_areas
        return self.small_areas.loc[self.small_areas["place_id"] == area.id].reset_index(drop=True)

    def practices_in(self, area_id: str) -> pd.DataFrame:
        """Practices of the ICB or of one place (rows of :attr:`practices`)."""
        area = self.area(area_id)
        if area.kind == "icb":
            return self.practices
        return self.practices.loc[self.practices["place_id"] == area.id].reset_index(drop=True)

    def places_frame(self) -> pd.DataFrame:
        """One row per place in config order: id, name, scheme, and how many small areas
        and practices (and registered patients) it has; for tables and for QA."""
        order = pd.DataFrame(
            {
                "place_id": [p.id for p in self.settings.places],
                "place_name": [p.name for p in self.settings.places],
                "scheme": self.settings.place_scheme,
                "members": [
                    "; ".join(m.describe() for m in p.members) for p in self.settings.places
                ],
            }
        )
        small = self.small_areas.groupby("place_id", observed=True).size().rename("small_areas")
        pract = self.practices.groupby("place_id", observed=True).agg(
            practices=("practice_code", "size"), registered_patients=("registered_patients", "sum")
        )
        frame = order.join(small, on="place_id").join(pract, on="place_id")
        for column in ("small_areas", "practices", "registered_patients"):
            frame[column] = frame[column].fillna(0).astype("int64")
        return frame


def load_geography(settings: Settings) -> Geography:
    """Read the geography extracts named in ``ina.yml`` and build the geography.

    ``registered_by_small_area`` is read when supplied; ``deprivation`` only when the
    lookup has no districts (the IoD then gives them).
    """
    from ina.sources import load_source  # imported here: sources depends on config only

    supplied = settings.source_names()
    lookup = load_source(settings, "small_area_lookup").frame
    deprivation = None
    if lookup["district_code"].isna().any() and "deprivation" in supplied:
        deprivation = load_source(settings, "deprivation").frame
    registered = None
    if "registered_by_small_area" in supplied:
        registered = load_source(settings, "registered_by_small_area").frame
    return Geography.from_frames(
        settings,
        lookup,
        load_source(settings, "district_lookup").frame,
        load_source(settings, "practice_map").frame,
        registered,
        deprivation,
    )


def with_districts(lookup: pd.DataFrame, deprivation: pd.DataFrame | None) -> pd.DataFrame:
    """The lookup with every small area's district: its own, else the IoD's LAD code.

    The ONS LSOA (2011) -> sub-ICB (July 2022) lookup has no LAD columns, but every IoD
    edition gives the district of each of its LSOAs (LAD 2019 for IoD2019), so a team
    with those two files has everything the places need. The IoD's district is taken only
    where the lookup has none; names are filled from the district lookup later.
    """
    if "district_code" not in lookup.columns:
        lookup = lookup.assign(district_code=pd.Series(pd.NA, index=lookup.index, dtype="str"))
    if "district_name" not in lookup.columns:
        lookup = lookup.assign(district_name=pd.Series(pd.NA, index=lookup.index, dtype="str"))
    missing = lookup["district_code"].isna()
    if not missing.any() or deprivation is None or "district_code" not in deprivation:
        return lookup
    district_of = deprivation.drop_duplicates("lsoa_code").set_index("lsoa_code")["district_code"]
    filled = lookup["district_code"].where(~missing, lookup["lsoa_code"].map(district_of))
    return lookup.assign(district_code=filled.astype("str").where(filled.notna(), pd.NA))


# --- helpers ------------------------------------------------------------------------------


def _require(frame: pd.DataFrame, name: str, columns: list[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            name,
            "missing columns needed for the geography",
            column=missing[0],
            expected=", ".join(columns),
        )


def _icb_small_areas(
    lookup: pd.DataFrame, districts: pd.DataFrame, icb_sub_icbs: set[str]
) -> pd.DataFrame:
    frame = lookup.loc[lookup["sub_icb_code"].isin(icb_sub_icbs)].copy()
    if frame.empty:
        raise InputError(
            "small_area_lookup",
            "no small area lies in the ICB's sub-ICB locations",
            column="sub_icb_code",
            expected=", ".join(sorted(icb_sub_icbs)),
        )
    if frame["district_code"].isna().any():
        first = frame.loc[frame["district_code"].isna(), "lsoa_code"].iloc[0]
        raise InputError(
            "small_area_lookup",
            "the lookup has no district for some small areas, so places cannot be assigned "
            "(supply sources: deprivation, whose IoD file gives each LSOA's district, in the "
            "lookup's LSOA vintage, or use an LSOA -> sub-ICB -> LAD lookup)",
            column="district_code",
            found=str(first),
        )
    duplicated = frame["lsoa_code"].duplicated()
    if duplicated.any():
        raise InputError(
            "small_area_lookup",
            "small area listed twice",
            column="lsoa_code",
            found=frame.loc[duplicated, "lsoa_code"].iloc[0],
        )
    county = districts.drop_duplicates("district_code").set_index("district_code")
    frame["county_code"] = frame["district_code"].map(county["county_code"])
    frame["county_name"] = frame["district_code"].map(county["county_name"])
    if "district_name" not in frame.columns or frame["district_name"].isna().any():
        frame["district_name"] = frame["district_code"].map(
            county.get("district_name", pd.Series(dtype="string"))
        )
    no_county = frame["county_code"].isna()
    if no_county.any():
        raise InputError(
            "district_lookup",
            "district of an ICB small area is not in the district lookup",
            column="district_code",
            found=frame.loc[no_county, "district_code"].iloc[0],
        )
    return frame.sort_values("lsoa_code").reset_index(drop=True)


def _assign_places(settings: Settings, small_areas: pd.DataFrame) -> pd.DataFrame:
    """Give each small area the place whose member matches it; NA outside the scheme.

    Vectorised: one boolean mask per place member. A member matching nothing is a config
    error (a typo or a district outside the ICB); a small area matching two places is one
    too (the config check prevents it for well-formed schemes, this catches lookups that
    disagree with the scheme).
    """
    place_id = pd.Series(pd.NA, index=small_areas.index, dtype="string")
    place_name = pd.Series(pd.NA, index=small_areas.index, dtype="string")
    for place_index, place in enumerate(settings.places):
        for member_index, member in enumerate(place.members):
            mask = small_areas["district_code"] == member.district
            if member.sub_icb is not None:
                mask &= small_areas["sub_icb_code"] == member.sub_icb
            where = (
                f"place_schemes.{settings.place_scheme}"
                f".places[{place_index}].members[{member_index}]"
            )
            if not mask.any():
                raise ConfigError(
                    f"{settings.config_path.name}: {where}: place {place.id!r} member "
                    f"{member.describe()} matches no small area of the ICB"
                )
            clash = mask & place_id.notna() & (place_id != place.id)
            if clash.any():
                first = small_areas.loc[clash].index[0]
                raise ConfigError(
                    f"{settings.config_path.name}: {where}: small area "
                    f"{small_areas.at[first, 'lsoa_code']} matches two places, "
                    f"{place_id.at[first]!r} and {place.id!r}"
                )
            place_id[mask] = place.id
            place_name[mask] = place.name
    frame = small_areas.assign(place_id=place_id, place_name=place_name)
    return frame[SMALL_AREA_COLUMNS].astype({"place_id": "string", "place_name": "string"})


def _assign_practices(
    settings: Settings,
    practices: pd.DataFrame,
    small_areas: pd.DataFrame,
    registered: pd.DataFrame,
) -> pd.DataFrame:
    """Registered patients per practice and the place where most of them live."""
    registered = registered.loc[registered["practice_code"].isin(practices["practice_code"])]
    list_size = registered.groupby("practice_code")["patients"].sum()
    by_place = registered.merge(small_areas[["lsoa_code", "place_id"]], on="lsoa_code", how="inner")
    by_place = by_place.loc[by_place["place_id"].notna()]
    totals = by_place.groupby(["practice_code", "place_id"], as_index=False)["patients"].sum()
    order = {place.id: index for index, place in enumerate(settings.places)}
    totals["place_order"] = totals["place_id"].map(order)
    totals = totals.sort_values(
        ["practice_code", "patients", "place_order"], ascending=[True, False, True]
    )
    main_place = totals.drop_duplicates("practice_code").set_index("practice_code")["place_id"]

    frame = practices.drop_duplicates("practice_code").copy()
    frame["place_id"] = frame["practice_code"].map(main_place).astype("string")
    frame["registered_patients"] = frame["practice_code"].map(list_size).fillna(0).astype("int64")
    return frame[PRACTICE_COLUMNS].sort_values("practice_code").reset_index(drop=True)


def _assign_practices_by_sub_icb(
    settings: Settings, practices: pd.DataFrame, small_areas: pd.DataFrame
) -> tuple[pd.DataFrame, str]:
    """Each practice in the place of its sub-ICB location, where that is one place.

    Used without ``registered_by_small_area`` (the practice x LSOA file): where every small
    area of a sub-ICB location is in the same place, its practices' patients mostly live
    there too, so the practice goes to that place. A sub-ICB split between places (or
    partly outside the scheme) leaves its practices in no place, because nothing in the
    other extracts says where their patients live. ``registered_patients`` is 0 here
    (the list sizes come from the registrations by age, when supplied). Returns the
    practices and the note the report shows.
    """
    places_of = small_areas.groupby("sub_icb_code", observed=True)["place_id"].agg(
        lambda ids: ids.iloc[0] if ids.notna().all() and ids.nunique() == 1 else pd.NA
    )
    frame = practices.drop_duplicates("practice_code").copy()
    frame["place_id"] = frame["sub_icb_code"].map(places_of).astype("string")
    frame["registered_patients"] = 0
    frame = frame[PRACTICE_COLUMNS].sort_values("practice_code").reset_index(drop=True)
    unplaced = frame.loc[frame["place_id"].isna(), "sub_icb_code"].dropna().unique().tolist()
    placed = int(frame["place_id"].notna().sum())
    note = (
        "Practices are placed by their sub-ICB location (registrations by small area, "
        "registered_by_small_area, were not supplied): "
        f"{placed} of {len(frame)} practices are in a place"
    )
    if unplaced:
        note += (
            "; the practices of sub-ICB location(s) "
            + ", ".join(sorted(str(code) for code in unplaced))
            + ", which lie in more than one place, count for the whole ICB and their "
            "sub-ICB only"
        )
    return frame, note + "."
