"""Every area an indicator is reported for, and the small areas or practices in each.

Why one registry: Fingertips reports an indicator at every level where it makes sense
(England, region, ICB, sub-ICB, PCN, practice) and the INA's readers need the same —
a place lead wants their place, a practice manager their practice, the ICB its sub-ICBs.
Building the membership once (small area → every area it belongs to, practice → every area
it belongs to) lets the engine aggregate each numerator and denominator to all areas with
one merge, instead of once per notebook and area.

Area ids: ``england``, ``icb``, the place ids of the active scheme, the sub-ICB codes
(``26A``), the PCN codes and the practice codes. ``area_type`` tells them apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ina.geography import ICB_AREA_ID, Geography

__all__ = ["AREA_TYPES", "ENGLAND_AREA_ID", "AreaRegistry", "build_registry"]

ENGLAND_AREA_ID = "england"
#: Area types in report order: where each kind of data can be reported.
AREA_TYPES = ("england", "icb", "sub_icb", "place", "pcn", "practice")
#: Area types small-area-born data reach (PCNs and practices are registered lists).
SMALL_AREA_TYPES = ("icb", "sub_icb", "place")


@dataclass(frozen=True)
class AreaRegistry:
    """``areas``: ``area_id, area_name, area_type`` in report order; ``small_areas``:
    ``lsoa_code, area_id`` (each small area once per area containing it); ``practices``:
    ``practice_code, area_id`` (each practice once per area containing it)."""

    areas: pd.DataFrame
    small_areas: pd.DataFrame
    practices: pd.DataFrame

    def names(self) -> dict[str, str]:
        return dict(zip(self.areas["area_id"], self.areas["area_name"], strict=True))

    def types(self) -> dict[str, str]:
        return dict(zip(self.areas["area_id"], self.areas["area_type"], strict=True))

    def order(self) -> dict[str, int]:
        return {area: i for i, area in enumerate(self.areas["area_id"])}

    def membership(self, born_at: str) -> tuple[str, pd.DataFrame]:
        """The unit column and the unit → area pairs for data born at ``born_at``."""
        if born_at == "practice":
            return "practice_code", self.practices
        return "lsoa_code", self.small_areas


def _pairs(frame: pd.DataFrame, unit: str, area: str) -> pd.DataFrame:
    kept = pd.DataFrame({unit: frame[unit].to_numpy(), "area_id": frame[area].to_numpy()}).dropna()
    return kept.astype({unit: str, "area_id": str}).reset_index(drop=True)


def build_registry(geography: Geography, *, sub_icb_names: dict[str, str]) -> AreaRegistry:
    """The areas and memberships of the ICB's geography (England is added as a name only:
    its values come from national extracts or a Fingertips export, not from members)."""
    settings = geography.settings
    small = geography.small_areas.assign(_icb=ICB_AREA_ID)
    practices = geography.practices.assign(_icb=ICB_AREA_ID)
    sub_icbs = sorted(
        set(small["sub_icb_code"].dropna().astype(str))
        | set(practices["sub_icb_code"].dropna().astype(str))
    )
    pcns = (
        practices[["pcn_code", "pcn_name"]]
        .dropna()
        .drop_duplicates("pcn_code")
        .sort_values("pcn_code")
    )
    listed = practices[["practice_code", "practice_name"]].sort_values("practice_code")
    areas = pd.concat(
        [
            pd.DataFrame(
                {
                    "area_id": [ENGLAND_AREA_ID, ICB_AREA_ID],
                    "area_name": ["England", settings.icb.name],
                    "area_type": ["england", "icb"],
                }
            ),
            pd.DataFrame(
                {
                    "area_id": sub_icbs,
                    "area_name": [sub_icb_names.get(code, f"Sub-ICB {code}") for code in sub_icbs],
                    "area_type": "sub_icb",
                }
            ),
            pd.DataFrame(
                {
                    "area_id": [place.id for place in settings.places],
                    "area_name": [place.name for place in settings.places],
                    "area_type": "place",
                }
            ),
            pd.DataFrame(
                {
                    "area_id": pcns["pcn_code"].astype(str).to_numpy(),
                    "area_name": pcns["pcn_name"].astype(str).to_numpy(),
                    "area_type": "pcn",
                }
            ),
            pd.DataFrame(
                {
                    "area_id": listed["practice_code"].astype(str).to_numpy(),
                    "area_name": listed["practice_name"].astype(str).to_numpy(),
                    "area_type": "practice",
                }
            ),
        ],
        ignore_index=True,
    )
    small_members = pd.concat(
        [_pairs(small, "lsoa_code", column) for column in ("_icb", "sub_icb_code", "place_id")],
        ignore_index=True,
    )
    practice_members = pd.concat(
        [
            _pairs(practices, "practice_code", column)
            for column in ("_icb", "sub_icb_code", "place_id", "pcn_code", "practice_code")
        ],
        ignore_index=True,
    )
    known = set(areas["area_id"])
    return AreaRegistry(
        areas=areas,
        small_areas=small_members[small_members["area_id"].isin(known)].reset_index(drop=True),
        practices=practice_members[practice_members["area_id"].isin(known)].reset_index(drop=True),
    )
