"""The ONS LSOA 2011 → 2021 lookup and the conversion of small-area sources to one vintage.

The frames are hand-made so each rule can be seen: an unchanged area, a 2011 area split in
two in 2021 (E01000002 → E01033770, E01033771) and two 2011 areas merged into one
(E01000003 + E01000004 → E01033772).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sources_helpers import assert_error, csv_text, write

from ina.errors import InputError
from ina.sources import Extract, Provenance
from ina.sources.lsoa_best_fit import convert_extract, read_lsoa_best_fit
from ina.sources.products import identify

HEADER = ["LSOA11CD", "LSOA11NM", "LSOA21CD", "LSOA21NM", "CHGIND", "LAD22CD"]
PAIRS = [
    ["E01000001", "Norwich 001A", "E01000001", "Norwich 001A", "U", "E07000148"],
    ["E01000002", "Norwich 001B", "E01033770", "Norwich 001F", "S", "E07000148"],
    ["E01000002", "Norwich 001B", "E01033771", "Norwich 001G", "S", "E07000148"],
    ["E01000003", "Norwich 002A", "E01033772", "Norwich 002E", "M", "E07000148"],
    ["E01000004", "Norwich 002B", "E01033772", "Norwich 002E", "M", "E07000148"],
]


def _extract(name: str, frame: pd.DataFrame) -> Extract:
    provenance = Provenance(name, f"{name}.csv", 1, "0" * 64, len(frame), None, "test")
    return Extract(name, frame, (provenance,))


@pytest.fixture
def lookup(tmp_path: Path) -> Extract:
    return read_lsoa_best_fit(write(tmp_path, "LSOA11_LSOA21.csv", csv_text(HEADER, PAIRS)))


def test_the_lookup_is_read_with_its_change_indicator(lookup: Extract) -> None:
    assert list(lookup.frame.columns) == [
        "lsoa11_code",
        "lsoa21_code",
        "lsoa11_name",
        "lsoa21_name",
        "change",
    ]
    assert lookup.frame["change"].tolist() == ["U", "S", "S", "M", "M"]
    assert lookup.provenance[0].rows == 5


def test_a_bad_change_indicator_names_its_row_and_column(tmp_path: Path) -> None:
    rows = [*PAIRS[:2], ["E01000003", "N", "E01033772", "N", "Q", "E07000148"]]
    path = write(tmp_path, "lookup.csv", csv_text(HEADER, rows))
    with pytest.raises(InputError) as error:
        read_lsoa_best_fit(path)
    assert_error(error, path, row=4, column="CHGIND")
    assert "U (unchanged)" in str(error.value)


def test_a_pair_listed_twice_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "lookup.csv", csv_text(HEADER, [PAIRS[0], PAIRS[1], PAIRS[1]]))
    with pytest.raises(InputError) as error:
        read_lsoa_best_fit(path)
    assert_error(error, path, row=4, column=None)
    assert "duplicate pair" in str(error.value)


def test_the_lookup_is_recognised_as_its_product(tmp_path: Path) -> None:
    path = write(tmp_path, "lookup.csv", csv_text(HEADER, PAIRS))
    product = identify(path)
    assert product is not None and product.source == "lsoa_best_fit"


def test_counts_move_whole_and_merged_areas_are_summed(lookup: Extract) -> None:
    deaths = _extract(
        "deaths",
        pd.DataFrame(
            {
                "lsoa_code": ["E01000001", "E01000002", "E01000003", "E01000004", None],
                "age": [80, 71, 64, 90, 55],
            }
        ),
    )
    converted, conversion = convert_extract(deaths, lookup, 2011, 2021)
    assert converted.frame["lsoa_code"].tolist()[:4] == [
        "E01000001",
        "E01033770",  # the first child of the split, in code order
        "E01033772",
        "E01033772",
    ]
    assert pd.isna(converted.frame["lsoa_code"].iloc[4])  # unknown residence stays unknown
    assert converted.frame["age"].tolist() == [80, 71, 64, 90, 55]  # no record lost or added
    assert (conversion.areas, conversion.areas_by_best_fit) == (4, 1)
    assert "LSOA 2011 to LSOA 2021" in conversion.sentence()


def test_population_is_summed_per_area_sex_and_age(lookup: Extract) -> None:
    population = _extract(
        "resident_population",
        pd.DataFrame(
            {
                "lsoa_code": ["E01000003", "E01000004", "E01000003", "E01000002"],
                "sex": ["female", "female", "male", "female"],
                "age": [0, 0, 0, 0],
                "population": [10, 7, 4, 20],
            }
        ),
    )
    frame = convert_extract(population, lookup, 2011, 2021)[0].frame
    assert frame.to_dict("records") == [
        {"lsoa_code": "E01033770", "sex": "female", "age": 0, "population": 20},
        {"lsoa_code": "E01033772", "sex": "female", "age": 0, "population": 17},
        {"lsoa_code": "E01033772", "sex": "male", "age": 0, "population": 4},
    ]
    assert frame["population"].sum() == 41


def test_registrations_are_summed_per_practice_and_area_and_no2011_is_kept(
    lookup: Extract,
) -> None:
    registrations = _extract(
        "registered_by_small_area",
        pd.DataFrame(
            {
                "practice_code": ["D82001", "D82001", "D82001", "D82002", "D82002"],
                "lsoa_code": ["E01000003", "E01000004", "NO2011", "E01000003", "E01000002"],
                "patients": pd.array([30, 12, 5, 8, 40], dtype="int64"),
            }
        ),
    )
    converted, conversion = convert_extract(registrations, lookup, 2011, 2021)
    assert converted.frame.to_dict("records") == [
        {"practice_code": "D82002", "lsoa_code": "E01033770", "patients": 40},
        {"practice_code": "D82001", "lsoa_code": "E01033772", "patients": 42},
        {"practice_code": "D82002", "lsoa_code": "E01033772", "patients": 8},
        {"practice_code": "D82001", "lsoa_code": "NO2011", "patients": 5},
    ]
    assert converted.frame["patients"].sum() == 95  # every patient kept
    assert conversion.areas == 3  # NO2011 is not an area


def _deprivation(codes: list[str], ranks: list[int]) -> Extract:
    return _extract(
        "deprivation",
        pd.DataFrame(
            {
                "lsoa_code": codes,
                "lsoa_name": [f"old {code}" for code in codes],
                "district_code": "E07000148",
                "imd_score": pd.array([None] * len(codes), dtype="Float64"),
                "imd_rank": ranks,
                "imd_decile": [max(1, rank // 3300 + 1) for rank in ranks],
            }
        ),
    )


def test_a_2021_area_inherits_the_rank_of_its_most_deprived_2011_area(lookup: Extract) -> None:
    iod2019 = _deprivation(
        ["E01000001", "E01000002", "E01000003", "E01000004"], [30000, 500, 9000, 4000]
    )
    frame = convert_extract(iod2019, lookup, 2011, 2021)[0].frame
    by_code = frame.set_index("lsoa_code")
    assert by_code["imd_rank"].to_dict() == {
        "E01000001": 30000,
        "E01033770": 500,  # both children of the split take their parent's rank
        "E01033771": 500,
        "E01033772": 4000,  # the merge takes the more deprived of its two parents
    }
    assert by_code.loc["E01033772", "lsoa_name"] == "Norwich 002E"  # the 2021 name


def test_a_2011_area_takes_the_most_deprived_of_its_2021_children(lookup: Extract) -> None:
    iod2025 = _deprivation(
        ["E01000001", "E01033770", "E01033771", "E01033772"], [100, 800, 200, 7000]
    )
    frame = convert_extract(iod2025, lookup, 2021, 2011)[0].frame
    assert frame.set_index("lsoa_code")["imd_rank"].to_dict() == {
        "E01000001": 100,
        "E01000002": 200,
        "E01000003": 7000,
        "E01000004": 7000,
    }


def test_a_code_missing_from_the_lookup_is_refused_in_one_line(lookup: Extract) -> None:
    deaths = _extract("deaths", pd.DataFrame({"lsoa_code": ["E01000001", "E01099999"]}))
    with pytest.raises(InputError) as error:
        convert_extract(deaths, lookup, 2011, 2021)
    message = str(error.value)
    assert "\n" not in message and "E01099999" in message and "deaths.csv" in message


# --- the demo extracts with deprivation on LSOA 2011 ----------------------------------------

REPO = Path(__file__).resolve().parents[2]


def _demo_with_deprivation_on_lsoa_2011(folder: Path, *, with_lookup: bool) -> Path:
    """The demo ina.yml with its IoD moved to made-up 2011 codes (one 2011 area split in 2021).

    The demo's first two 2021 areas become the two children of one 2011 area; every other
    2021 area is unchanged in name but gets a 2011 code of its own.
    """
    import csv

    import yaml

    data = yaml.safe_load((REPO / "ina.yml").read_text(encoding="utf-8"))
    data["sources"] = {
        key: [str(REPO / p) for p in value] if isinstance(value, list) else str(REPO / value)
        for key, value in data["sources"].items()
    }
    with open(data["sources"]["deprivation"], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = [cell.replace("(2021)", "(2011)") for cell in rows[0]]
    codes21 = [row[0] for row in rows[1:]]
    codes11 = [f"E01{index:06d}" for index in range(1, len(codes21) + 1)]
    codes11[1] = codes11[0]  # the first two 2021 areas share one 2011 parent
    iod11 = [header] + [[codes11[i], *row[1:]] for i, row in enumerate(rows[1:]) if i != 1]
    (folder / "iod2011.csv").write_text(
        "\n".join(",".join(f'"{c}"' for c in row) for row in iod11) + "\n", encoding="utf-8"
    )
    data["sources"]["deprivation"] = str(folder / "iod2011.csv")
    pairs = [
        [c11, "", c21, "", "S" if i < 2 else "U"]
        for i, (c11, c21) in enumerate(zip(codes11, codes21, strict=True))
    ]
    if with_lookup:
        (folder / "lsoa11_lsoa21.csv").write_text(csv_text(HEADER[:5], pairs), encoding="utf-8")
        data["sources"]["lsoa_best_fit"] = str(folder / "lsoa11_lsoa21.csv")
    data["output_dir"] = str(folder / "outputs")
    path = folder / "ina.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.slow
def test_a_2011_iod_with_the_lookup_loads_on_the_demo_s_2021_areas(tmp_path: Path) -> None:
    from ina.config import load_settings
    from ina.sources import load_all_sources

    settings = load_settings(_demo_with_deprivation_on_lsoa_2011(tmp_path, with_lookup=True))
    extracts = load_all_sources(settings, use_cache=False)
    lsoas = extracts["small_area_lookup"].frame["lsoa_code"]
    iod = extracts["deprivation"].frame.set_index("lsoa_code")
    assert set(iod.index) == set(lsoas)  # every 2021 area has a rank again
    demo = load_all_sources(load_settings(REPO / "ina.yml"))["deprivation"].frame
    children = demo["lsoa_code"].iloc[:2].tolist()
    assert iod.loc[children[0], "imd_rank"] == iod.loc[children[1], "imd_rank"]
    assert iod.loc[children[1], "imd_rank"] == demo["imd_rank"].iloc[0]  # the parent's rank
    unchanged = demo.set_index("lsoa_code").drop(index=children)
    assert iod.loc[unchanged.index, "imd_rank"].tolist() == unchanged["imd_rank"].tolist()


@pytest.mark.slow
def test_without_the_lookup_the_same_mix_is_refused_naming_it(tmp_path: Path) -> None:
    from ina.config import load_settings
    from ina.sources import load_all_sources

    settings = load_settings(_demo_with_deprivation_on_lsoa_2011(tmp_path, with_lookup=False))
    with pytest.raises(InputError) as error:
        load_all_sources(settings, use_cache=False)
    message = str(error.value)
    assert "deprivation: LSOA 2011" in message and "sources: lsoa_best_fit" in message
