"""Deterministic synthetic extracts for ``data_raw/`` (``ina demo-data``).

The demo set lets anyone run the whole INA without access to real data: every extract in
``ina.yml`` ``sources`` is written in its real published format (``docs/data-contract.md``)
for the real Norfolk and Suffolk geography but with synthetic small areas (``X01...``),
practices (``Z9...``) and PCNs (``UZ...``), so demo figures can never be mistaken for
real ones. Same seed, same bytes: the files are committed and the test suite checks that
regenerating them changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from ina.config import load_settings
from ina.demo._extracts import WRITERS
from ina.demo._fingertips import write_fingertips
from ina.demo._readme import README_TEXT
from ina.demo._world import DemoWorld, build_world
from ina.errors import ConfigError

__all__ = ["DEFAULT_SEED", "DEFAULT_SOURCES", "DemoWorld", "build_world", "write_demo_data"]

DEFAULT_SEED = 20260401
#: The optional comparator export, written after the other extracts (it is computed from them).
FINGERTIPS = "fingertips"

# Where the extracts go when there is no ina.yml in ``root`` (the shipped defaults).
DEFAULT_SOURCES: dict[str, str | list[str]] = {
    "small_area_lookup": "data_raw/lookups/LSOA21_SICBL24_LAD24_lookup.csv",
    "district_lookup": "data_raw/lookups/LTLA24_UTLA24_lookup.csv",
    "deprivation": (
        "data_raw/deprivation/File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv"
    ),
    "resident_population": "data_raw/population/sapelsoasyoa2022.csv",
    "national_population": "data_raw/population/MYE2_population_mid2022.xlsx",
    "population_projections": "data_raw/population/SNPP2022_population_by_district.csv",
    "practice_map": "data_raw/gp_registrations/gp-reg-pat-prac-map.csv",
    "registered_by_age": [
        "data_raw/gp_registrations/gp-reg-pat-prac-sing-age-female.csv",
        "data_raw/gp_registrations/gp-reg-pat-prac-sing-age-male.csv",
    ],
    "registered_by_small_area": "data_raw/gp_registrations/gp-reg-pat-prac-lsoa-all.csv",
    "deaths": "data_raw/deaths/deaths_2020_2024.csv",
    "births": "data_raw/births/births_2020_2024.csv",
    "hospital_activity": "data_raw/hospital_activity/activity_2022_2024.csv",
    "qof_prevalence": "data_raw/qof/PREVALENCE_2425.csv",
    "qof_achievement": "data_raw/qof/ACHIEVEMENT_2425.csv",
    "cvdprevent": "data_raw/cvdprevent/CVDPREVENT_practice_2024-25.csv",
    "gp_record_flags": "data_raw/gp_records/gp_record_flags_2025-03.csv",
    "screening": "data_raw/screening/cancer_screening_coverage_practice_2025-03.csv",
    "hospital_admissions": "data_raw/hospital_admissions/apc_admissions_2020_2024.csv",
    "ae_attendances": "data_raw/ae_attendances/ecds_attendances_2020_2024.csv",
    "stillbirths": "data_raw/births/stillbirths_2020_2024.csv",
    "smoking_at_delivery": "data_raw/maternity/msds_smoking_at_delivery_2020_2024.csv",
    "ncmp": "data_raw/ncmp/ncmp_lsoa_2019_2023.csv",
    "cancer_registrations": "data_raw/cancer/ndrs_cancer_registrations_2019_2023.csv",
    "end_of_life": "data_raw/end_of_life/eol_linked_deaths_2020_2024.csv",
}


def _destinations(root: Path) -> dict[str, Path | list[Path]]:
    """Source name -> absolute path(s): from ``root/ina.yml`` when present, else the defaults."""
    config = root / "ina.yml"
    if config.is_file():
        settings = load_settings(config)
        out: dict[str, Path | list[Path]] = {}
        for name in (*WRITERS, FINGERTIPS):
            value = getattr(settings.sources, name)
            if value is None:
                continue  # an optional source this ina.yml does not use: not written
            if isinstance(value, str) and any(ch in value for ch in "*?["):
                raise ConfigError(
                    f"{config.name}: sources.{name}: a demo extract needs a file path, "
                    "not a pattern"
                )
            out[name] = settings.source_path(name)
        return out
    return {
        name: [root / v for v in value] if isinstance(value, list) else root / value
        for name, value in DEFAULT_SOURCES.items()
    }


def write_demo_data(root: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write every demo extract (and ``data_raw/README.md``) under ``root``; return the paths.

    Paths come from ``root/ina.yml`` ``sources`` when it exists (so the demo set follows the
    config), otherwise from :data:`DEFAULT_SOURCES`. Output depends only on ``seed``: the
    same seed gives byte-identical files on every run and machine. Optional sources with
    no demo equivalent are not written, nor is an optional source with a demo equivalent
    (``hospital_activity``, ``ncmp``, ``cancer_registrations``, ``end_of_life``,
    ``fingertips``) that ``root/ina.yml`` does not configure. The
    Fingertips-format export is written last: its ICB and sub-ICB rows are the indicator
    engine's values on the extracts just written (:mod:`ina.demo._fingertips`).
    """
    root = Path(root).resolve()
    destinations = _destinations(root)
    world = build_world(seed)
    written: list[Path] = []
    for name, writer in WRITERS.items():
        if name in destinations:
            written += writer(world, destinations[name])
    if FINGERTIPS in destinations:
        target = destinations[FINGERTIPS]
        written += write_fingertips(
            target[0] if isinstance(target, list) else target, root / "ina.yml"
        )
    readme = root / "data_raw" / "README.md"
    readme.parent.mkdir(parents=True, exist_ok=True)
    readme.write_text(README_TEXT.format(seed=seed), encoding="utf-8", newline="\n")
    written.append(readme)
    return written
