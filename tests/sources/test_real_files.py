"""Issue 9 item 4: every real published file is read, or refused naming the product expected.

Each file in ``../shared/real-data`` is given as every ``sources:`` key. Where the file is
that source's product it must be read; anywhere else ``load_source`` must raise one
``InputError`` line that names the file and the product the key expects (publisher and
product or file name), never a traceback or a bare pandas/zip message. Keys added later
by other readers are held to "read, or one clear line".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sources_helpers import REAL_DATA, csv_text, write

from ina.errors import InputError
from ina.sources import READERS, Extract, load_source
from ina.sources.products import EXPECTED, explain, identify

#: Every real file and the ``sources:`` keys that read it (all other keys refuse it).
REAL_FILES: dict[str, set[str]] = {
    "census2021_nomis/TS007A_age_by_five_year_age_bands_lsoa11.csv": set(),
    "census2021_nomis/TS021_ethnic_group_lsoa11.csv": set(),
    "fingertips_gp_imd/indicator-data.csv": {"fingertips"},
    "fingertips_heec/dementia_qof_prev.csv": {"fingertips"},
    "fingertips_heec/ed_under5.csv": {"fingertips"},
    "fingertips_heec/ld_qof_prev.csv": {"fingertips"},
    "fingertips_heec/smok_qof_prev.csv": {"fingertips"},
    "fingertips_jargonautical/indicators-CountyUA.data.csv": {"fingertips"},
    "iod2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx": {"deprivation"},
    "iod2025_header_sample/"
    "File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.HEADER_SAMPLE.csv": {
        "deprivation"
    },
    "nhsd_epcn/ePCN.xlsx": set(),
    # CCG-era practice totals (SEX=AGE=ALL): read as one all-ages row per practice.
    "nhsd_gp_reg/gp-reg-pat-prac-all.csv": {"registered_by_age"},
    "nhsd_gp_reg_2026/gp-reg-pat-prac-map.csv": {"practice_map"},
    "nhsd_gp_reg_2026/gp-reg-pat-prac-map.zip": {"practice_map"},
    "nhsd_gp_reg_2026/gp-reg-pat-prac-sing-age-regions.filtered.csv": {"registered_by_age"},
    "nhsd_gp_reg_2026/gp-reg-pat-prac-sing-age-regions.zip": {"registered_by_age"},
    "ods_epraccur/epraccur.csv": set(),
    "ons_lookups/LSOA_(2011)_to_Sub_ICB_Locations_(July_2022)_Lookup_in_England.csv": {
        "small_area_lookup"
    },
    "ons_lookups/Lower_Tier_Local_Authority_to_Upper_Tier_Local_Authority_"
    "(December_2022)_Lookup_in_England_and_Wales.csv": {"district_lookup"},
    "ons_mye/MYEB3_summary_components_of_change_series_UK_(2018_geog19).csv": set(),
    # Totals per LSOA, no age or sex: read for what needs no age.
    "ons_sape/SAPE21DT11-mid-2018-lsoa-population-density.xlsx": {"resident_totals"},
    # Read by the QOF readers without a sources key of its own (practices are mapped
    # through the practice map of the build instead).
    "qof_2223/MAPPING_NHS_GEOGRAPHIES_2223.csv": set(),
    "qof_2223/PREVALENCE_2223.csv": {"qof_prevalence"},
    **{
        f"ons_boundaries/LAD19CD/{code}.geojsonl": set()
        for code in [
            *(f"E070001{n}" for n in range(43, 50)),
            *("E07000200", "E07000202", "E07000203", "E07000244", "E07000245"),
        ]
    },
}


@dataclass
class RealSettings:
    """What ``load_source`` needs: a root and one configured path per key."""

    root: Path
    paths: dict[str, Path] = field(default_factory=dict)

    def source_names(self) -> list[str]:
        return list(self.paths)

    def source_path(self, name: str) -> Path:
        return self.paths[name]


def _load(path: Path, key: str) -> Extract:
    return load_source(RealSettings(path.parent, {key: path}), key, use_cache=False)


def _present() -> None:
    if not REAL_DATA.is_dir():
        pytest.skip("../shared/real-data is not available")


@pytest.mark.real_data
def test_every_real_file_is_in_the_table() -> None:
    """A file added to the shared folder must be added here (so it is tested)."""
    _present()
    on_disk = {
        p.relative_to(REAL_DATA).as_posix()
        for p in REAL_DATA.rglob("*")
        if p.is_file() and p.name != "SOURCES.md"
    }
    assert on_disk == set(REAL_FILES)


@pytest.mark.real_data
@pytest.mark.parametrize("key", sorted(READERS))
@pytest.mark.parametrize("relative", sorted(REAL_FILES))
def test_real_file_is_read_or_refused_naming_the_product(relative: str, key: str) -> None:
    _present()
    path = REAL_DATA / relative
    readers = REAL_FILES[relative]
    if key in readers:
        extract = _load(path, key)
        assert len(extract.frame) > 0
        assert extract.provenance[0].rows > 0
        return
    try:
        _load(path, key)
    except InputError as error:
        message = str(error)
        assert "\n" not in message
        assert path.name in message, message
        for generic in ("File is not a zip file", "Traceback", "Error tokenizing"):
            assert generic not in message, message
        if key in EXPECTED:
            assert EXPECTED[key] in message, message
            product = identify(path)
            if product is not None:
                assert product.description in message, message
        return
    # Only a key this table does not know (a reader added later) may read a file.
    assert key not in EXPECTED, f"{relative} was read as sources: {key}"


@pytest.mark.real_data
@pytest.mark.parametrize(
    ("relative", "key", "words"),
    [
        # The traps issue 9 names, with the product that is expected instead.
        ("nhsd_epcn/ePCN.xlsx", "practice_map", ["ePCN workbook", "gp-reg-pat-prac-map.csv"]),
        (
            "ons_mye/MYEB3_summary_components_of_change_series_UK_(2018_geog19).csv",
            "national_population",
            ["MYEB1/2/3", "'MYE2 - Females'", "ukpopestimatesmid"],
        ),
        ("ods_epraccur/epraccur.csv", "practice_map", ["epraccur", "gp-reg-pat-prac-map.csv"]),
        (
            "qof_2223/MAPPING_NHS_GEOGRAPHIES_2223.csv",
            "practice_map",
            ["QOF mapping", "gp-reg-pat-prac-map.csv"],
        ),
        (
            "ons_sape/SAPE21DT11-mid-2018-lsoa-population-density.xlsx",
            "resident_population",
            ["population density workbook", "single year of age"],
        ),
        (
            "fingertips_heec/ed_under5.csv",
            "registered_by_age",
            ["Fingertips", "give it as sources: fingertips", "sing-age"],
        ),
        (
            "iod2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx",
            "resident_population",
            ["IoD File 1", "give it as sources: deprivation", "SAPE"],
        ),
    ],
)
def test_named_traps_say_what_the_file_is_and_what_to_get(
    relative: str, key: str, words: list[str]
) -> None:
    _present()
    with pytest.raises(InputError) as error:
        _load(REAL_DATA / relative, key)
    for word in words:
        assert word in str(error.value), str(error.value)


@pytest.mark.real_data
def test_regions_file_reads_without_practice_rows() -> None:
    """The regions file is a real registered_by_age layout, but holds no practices."""
    _present()
    extract = _load(
        REAL_DATA / "nhsd_gp_reg_2026/gp-reg-pat-prac-sing-age-regions.filtered.csv",
        "registered_by_age",
    )
    assert "practice" not in set(extract.frame["org_type"])
    assert {"icb", "sub_icb", "pcn", "region"} <= set(extract.frame["org_type"])


@pytest.mark.real_data
def test_practice_totals_read_as_all_ages_rows() -> None:
    _present()
    extract = _load(REAL_DATA / "nhsd_gp_reg/gp-reg-pat-prac-all.csv", "registered_by_age")
    assert extract.frame["age"].isna().all()
    assert set(extract.frame["sex"]) == {"persons"}


# -- without the shared folder: the explanation logic on small written files ----------


def test_a_bad_cell_in_the_right_product_keeps_its_row(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "LTLA24_UTLA24_lookup.csv",
        csv_text(
            ["LTLA24CD", "LTLA24NM", "UTLA24CD", "UTLA24NM", "ObjectId"],
            [["E07000148", "Norwich", "E10000020", "Norfolk", 1], ["X", "Bad", "E10", "Bad", 2]],
        ),
    )
    with pytest.raises(InputError) as error:
        _load(path, "district_lookup")
    assert error.value.row == 3
    assert "Lower Tier" not in str(error.value)  # not rewritten as a wrong product


def test_an_unknown_file_gets_the_expected_product_added(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.csv", "some,notes\nnot,data\n")
    with pytest.raises(InputError) as error:
        _load(path, "practice_map")
    message = str(error.value)
    assert "no header row found" in message
    assert EXPECTED["practice_map"] in message
    assert "EXTRACT_DATE" in message  # the reader's own expectation is kept too


def test_a_csv_given_as_a_workbook_says_it_is_text(tmp_path: Path) -> None:
    path = write(tmp_path, "MYE2.xlsx", "Code,Name\nE92000001,England\n")
    with pytest.raises(InputError) as error:
        _load(path, "national_population")
    assert "not an .xlsx workbook: it looks like a text (CSV) file" in str(error.value)
    assert "zip" not in str(error.value)


def test_explain_leaves_unregistered_keys_alone(tmp_path: Path) -> None:
    original = InputError(tmp_path / "x.csv", "no header row found in the first 50 rows")
    assert explain(original, "a_key_with_no_product", [tmp_path / "x.csv"]) is original
