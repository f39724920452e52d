"""ina.sources.vintages: the editions files state, and LSOA vintages that must agree.

Issue 9: the report's methods state the vintages actually used, and the lookup,
deprivation, population and deaths must be on one LSOA vintage (2011 or 2021), else
``ina validate`` refuses the mix in one line before any join drops the changed areas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from sources_helpers import csv_text, real_file, write

from ina.errors import InputError
from ina.sources import Extract, Provenance, read_deprivation, read_small_area_lookup
from ina.sources.vintages import (
    check_lsoa_vintages,
    detect,
    lsoa_vintage_of_codes,
    registrations_without_practices,
)

LOOKUP11 = "ons_lookups/LSOA_(2011)_to_Sub_ICB_Locations_(July_2022)_Lookup_in_England.csv"
IOD2019 = "iod2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx"
IOD2025 = (
    "iod2025_header_sample/"
    "File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.HEADER_SAMPLE.csv"
)
SAPE_DENSITY = "ons_sape/SAPE21DT11-mid-2018-lsoa-population-density.xlsx"
REGIONS = "nhsd_gp_reg_2026/gp-reg-pat-prac-sing-age-regions.filtered.csv"


@dataclass
class Configured:
    """What the check needs of the settings: one path per source key."""

    paths: dict[str, Path] = field(default_factory=dict)

    def source_path(self, name: str) -> Path:
        return self.paths[name]


def _extract(name: str, frame: pd.DataFrame) -> Extract:
    provenance = Provenance(name, f"{name}.csv", 1, "0" * 64, len(frame), None, "test")
    return Extract(name, frame, (provenance,))


# --- the real files ------------------------------------------------------------------------


@pytest.mark.real_data
@pytest.mark.parametrize(
    ("key", "relative", "lsoa", "words"),
    [
        (
            "small_area_lookup",
            LOOKUP11,
            2011,
            ["LSOA 2011", "sub-ICB locations 2022", "no district"],
        ),
        ("deprivation", IOD2019, 2011, ["IoD2019 File 1", "no scores", "LSOA 2011"]),
        ("deprivation", IOD2025, 2021, ["IoD2025 File 7", "LSOA 2021"]),
        ("resident_totals", SAPE_DENSITY, 2011, ["mid-2018", "totals only", "LSOA 2011"]),
        ("registered_by_age", REGIONS, None, ["extract of 1 August 2026"]),
        ("practice_map", "nhsd_gp_reg_2026/gp-reg-pat-prac-map.csv", None, ["1 August 2026"]),
        ("registered_by_age", "nhsd_gp_reg/gp-reg-pat-prac-all.csv", None, ["1 January 2021"]),
        ("qof_prevalence", "qof_2223/PREVALENCE_2223.csv", None, ["QOF 2022-23"]),
        (
            "district_lookup",
            "ons_lookups/Lower_Tier_Local_Authority_to_Upper_Tier_Local_Authority_"
            "(December_2022)_Lookup_in_England_and_Wales.csv",
            None,
            ["2022"],
        ),
    ],
)
def test_real_files_state_their_vintage(
    key: str, relative: str, lsoa: int | None, words: list[str]
) -> None:
    found = detect(key, [real_file(relative)])
    assert found is not None
    assert found.lsoa == lsoa
    for word in words:
        assert word in found.text, found.text


@pytest.mark.real_data
def test_the_regions_file_has_no_practice_rows_but_the_practice_files_do() -> None:
    assert registrations_without_practices([real_file(REGIONS)])
    assert not registrations_without_practices([real_file("nhsd_gp_reg/gp-reg-pat-prac-all.csv")])


@pytest.mark.real_data
def test_real_lookup_2011_with_iod2025_2021_is_refused_in_one_line() -> None:
    """The files a team may well have side by side: the 2011 lookup, IoD2025 on 2021."""
    lookup_path, iod_path = real_file(LOOKUP11), real_file(IOD2025)
    extracts = {
        "small_area_lookup": read_small_area_lookup(lookup_path),
        "deprivation": read_deprivation(iod_path),
    }
    settings = Configured({"small_area_lookup": lookup_path, "deprivation": iod_path})
    with pytest.raises(InputError) as error:
        check_lsoa_vintages(settings, extracts)
    message = str(error.value)
    assert "\n" not in message
    assert str(iod_path) in message
    assert "small_area_lookup: LSOA 2011" in message and "deprivation: LSOA 2021" in message
    assert "sources: lsoa_best_fit" in message


@pytest.mark.real_data
def test_real_lookup_iod2019_and_sape_2018_agree() -> None:
    paths = {
        "small_area_lookup": real_file(LOOKUP11),
        "deprivation": real_file(IOD2019),
        "resident_totals": real_file(SAPE_DENSITY),
    }
    extracts = {key: _extract(key, pd.DataFrame({"lsoa_code": ["E01026823"]})) for key in paths}
    check_lsoa_vintages(Configured(paths), extracts)  # no error


# --- small written files -------------------------------------------------------------------

LOOKUP21_HEADER = ["LSOA21CD", "LSOA21NM", "SICBL24CD", "SICBL24CDH", "SICBL24NM", "LAD24CD"]


def _lookup21(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        "LSOA21_SICBL24_LAD24.csv",
        csv_text(
            LOOKUP21_HEADER, [["E01033769", "Norwich 001A", "E38000239", "26A", "N", "E07000148"]]
        ),
        bom=True,
    )


def _lookup11(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        "LSOA11.csv",
        csv_text(
            ["LSOA11CD", "LSOA11NM", "SICBL22CD", "SICBL22CDH", "SICBL22NM"],
            [["E01026823", "Norwich 007B", "E38000239", "26A", "N"]],
        ),
    )


def test_lsoa_2021_only_codes_give_the_vintage_of_an_undeclared_file() -> None:
    assert lsoa_vintage_of_codes(pd.Series(["E01026823", "E01033769"])) == 2021
    assert lsoa_vintage_of_codes(pd.Series(["E01026823", "W01000001", None])) is None


def test_deaths_on_2021_codes_with_a_2011_lookup_are_refused(tmp_path: Path) -> None:
    lookup = _lookup11(tmp_path)
    deaths = write(tmp_path, "deaths.csv", "DOR,DOD,SEX,AGEINYRS,LSOAR,ICD10U\n")
    settings = Configured({"small_area_lookup": lookup, "deaths": deaths})
    extracts = {
        "small_area_lookup": _extract(
            "small_area_lookup", pd.DataFrame({"lsoa_code": ["E01026823"]})
        ),
        "deaths": _extract("deaths", pd.DataFrame({"lsoa_code": ["E01026823", "E01035000"]})),
    }
    with pytest.raises(InputError) as error:
        check_lsoa_vintages(settings, extracts)
    message = str(error.value)
    assert str(deaths) in message
    assert "deaths: LSOA 2021 (codes from E01033769)" in message
    assert "every small-area source on LSOA 2011" in message
    assert "sources: lsoa_best_fit" in message
    # With the ONS best-fit lookup supplied the same mix is allowed (and converted later).
    found = check_lsoa_vintages(settings, extracts, convertible=True)
    assert found["small_area_lookup"][0] == 2011 and found["deaths"][0] == 2021


def test_one_vintage_everywhere_passes_and_unknown_vintages_are_not_guessed(
    tmp_path: Path,
) -> None:
    lookup = _lookup21(tmp_path)
    births = write(tmp_path, "births.csv", "DOR,DOB,SEX,BIRTHWGT,LSOAR\n")
    extracts = {
        "small_area_lookup": _extract(
            "small_area_lookup", pd.DataFrame({"lsoa_code": ["E01033769"]})
        ),
        "births": _extract("births", pd.DataFrame({"lsoa_code": ["E01026823"]})),  # no 2021-only
    }
    check_lsoa_vintages(Configured({"small_area_lookup": lookup, "births": births}), extracts)
    assert detect("small_area_lookup", [lookup]).lsoa == 2021  # type: ignore[union-attr]


def test_an_unreadable_file_has_no_vintage(tmp_path: Path) -> None:
    assert detect("deprivation", [tmp_path / "missing.csv"]) is None
    assert (
        detect("deprivation", [write(tmp_path, "x.csv", "not,a,known\nheader,at,all\n")])
        is not None
    )


def test_registrations_by_small_area_on_another_vintage_are_refused_too(tmp_path: Path) -> None:
    lookup = _lookup11(tmp_path)
    registrations = write(
        tmp_path,
        "gp-reg-pat-prac-lsoa-all.csv",
        "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,LSOA_CODE,SEX,NUMBER_OF_PATIENTS\n",
    )
    settings = Configured({"small_area_lookup": lookup, "registered_by_small_area": registrations})
    extracts = {
        "small_area_lookup": _extract(
            "small_area_lookup", pd.DataFrame({"lsoa_code": ["E01026823"]})
        ),
        "registered_by_small_area": _extract(
            "registered_by_small_area",
            pd.DataFrame({"lsoa_code": ["E01026823", "E01035000", "NO2011"]}),
        ),
    }
    with pytest.raises(InputError) as error:
        check_lsoa_vintages(settings, extracts)
    assert "registered_by_small_area: LSOA 2021" in str(error.value)
