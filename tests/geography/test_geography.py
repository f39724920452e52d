"""ina.geography: small areas and practices to places, for both place schemes.

Two kinds of test: small hand-made frames (every rule, fast, independent of the demo
generator) and the committed demo extracts read through ``ina.sources`` (the real path).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from ina.config import Place, PlaceMember, PlaceScheme, Settings, load_settings
from ina.errors import ConfigError, InputError
from ina.geography import Geography, load_geography

REPO_ROOT = Path(__file__).resolve().parents[2]

GREAT_YARMOUTH = "E07000145"
EAST_SUFFOLK = "E07000244"
IPSWICH = "E07000202"
NORWICH = "E07000148"
NORFOLK_DISTRICTS = {
    "E07000143",
    "E07000144",
    "E07000145",
    "E07000146",
    "E07000147",
    "E07000148",
    "E07000149",
}


def config_for(tmp_path: Path, scheme: str) -> Settings:
    """The repository config with another place scheme, reading the repository's data_raw."""
    data = yaml.safe_load((REPO_ROOT / "ina.yml").read_text(encoding="utf-8"))
    data["place_scheme"] = scheme
    for name, value in data["sources"].items():
        data["sources"][name] = (
            [str(REPO_ROOT / v) for v in value]
            if isinstance(value, list)
            else str(REPO_ROOT / value)
        )
    path = tmp_path / "ina.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_settings(path)


# --- hand-made frames ---------------------------------------------------------------------


def tiny_frames() -> dict[str, pd.DataFrame]:
    """Six small areas: Great Yarmouth, East Suffolk in 26A (Waveney) and 06L, Ipswich, Norwich,
    and one in another ICB; four practices (one in another ICB)."""
    lookup = pd.DataFrame(
        {
            "lsoa_code": [
                "X01000001",
                "X01000002",
                "X01000003",
                "X01000004",
                "X01000005",
                "X01000099",
            ],
            "lsoa_name": ["GY 1", "ES 1", "ES 2", "Ip 1", "Nor 1", "Elsewhere 1"],
            "sub_icb_code": ["26A", "26A", "06L", "06L", "26A", "99Z"],
            "district_code": [
                GREAT_YARMOUTH,
                EAST_SUFFOLK,
                EAST_SUFFOLK,
                IPSWICH,
                NORWICH,
                "E07000001",
            ],
            "district_name": [
                "Great Yarmouth",
                "East Suffolk",
                "East Suffolk",
                "Ipswich",
                "Norwich",
                "Else",
            ],
        }
    )
    districts = pd.DataFrame(
        {
            "district_code": [GREAT_YARMOUTH, EAST_SUFFOLK, IPSWICH, NORWICH, "E07000001"],
            "district_name": ["Great Yarmouth", "East Suffolk", "Ipswich", "Norwich", "Else"],
            "county_code": ["E10000020", "E10000029", "E10000029", "E10000020", "E10000099"],
            "county_name": ["Norfolk", "Suffolk", "Suffolk", "Norfolk", "Elsewhere"],
        }
    )
    practice_map = pd.DataFrame(
        {
            "practice_code": ["Z90001", "Z90002", "Z90003", "Z99999"],
            "practice_name": ["GY SURGERY", "LOWESTOFT SURGERY", "IPSWICH SURGERY", "FAR AWAY"],
            "pcn_code": ["UZ0001", "UZ0001", "UZ0002", "UZ0099"],
            "pcn_name": ["GY PCN", "GY PCN", "IP PCN", "FAR PCN"],
            "sub_icb_code": ["26A", "26A", "06L", "99Z"],
            "icb_code": ["T6Y0W", "T6Y0W", "T6Y0W", "QXX"],
        }
    )
    registered = pd.DataFrame(
        {
            "practice_code": ["Z90001", "Z90001", "Z90002", "Z90002", "Z90003", "Z90003", "Z99999"],
            "lsoa_code": [
                "X01000001",
                "X01000002",
                "X01000002",
                "X01000001",
                "X01000004",
                "X01000003",
                "X01000099",
            ],
            "patients": [900, 100, 700, 300, 500, 400, 50],
        }
    )
    return {
        "lookup": lookup,
        "districts": districts,
        "practice_map": practice_map,
        "registered": registered,
    }


def tiny_settings(tmp_path: Path, places: list[dict]) -> Settings:
    data = yaml.safe_load((REPO_ROOT / "ina.yml").read_text(encoding="utf-8"))
    data["place_schemes"] = {"test": {"label": "Test", "places": places}}
    data["place_scheme"] = "test"
    path = tmp_path / "ina.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_settings(path)


TINY_PLACES = [
    {"id": "yarmouth-waveney", "name": "Yarmouth and Waveney",
     "members": [{"district": GREAT_YARMOUTH}, {"district": EAST_SUFFOLK, "sub_icb": "26A"}]},
    {"id": "ipswich-east", "name": "Ipswich and East",
     "members": [{"district": IPSWICH}, {"district": EAST_SUFFOLK, "sub_icb": "06L"}]},
]  # fmt: skip


def build_tiny(settings: Settings) -> Geography:
    f = tiny_frames()
    return Geography.from_frames(
        settings, f["lookup"], f["districts"], f["practice_map"], f["registered"]
    )


def test_small_areas_follow_district_and_sub_icb(tmp_path: Path) -> None:
    geo = build_tiny(tiny_settings(tmp_path, TINY_PLACES))
    places = geo.small_areas.set_index("lsoa_code")["place_id"]
    assert places["X01000001"] == "yarmouth-waveney"
    assert places["X01000002"] == "yarmouth-waveney"  # East Suffolk, Waveney part
    assert places["X01000003"] == "ipswich-east"  # East Suffolk, outside Waveney
    assert places["X01000004"] == "ipswich-east"
    assert pd.isna(places["X01000005"])  # Norwich: not in this scheme
    assert "X01000099" not in places.index  # another ICB's small area is not in the ICB
    assert list(geo.small_areas.columns) == [
        "lsoa_code", "lsoa_name", "district_code", "district_name", "county_code",
        "county_name", "sub_icb_code", "place_id", "place_name",
    ]  # fmt: skip
    assert geo.small_areas.set_index("lsoa_code").at["X01000002", "county_name"] == "Suffolk"


def test_practices_go_where_most_patients_live(tmp_path: Path) -> None:
    geo = build_tiny(tiny_settings(tmp_path, TINY_PLACES))
    practices = geo.practices.set_index("practice_code")
    assert list(practices.index) == ["Z90001", "Z90002", "Z90003"]  # other ICB's left out
    assert practices.at["Z90001", "place_id"] == "yarmouth-waveney"
    assert practices.at["Z90003", "place_id"] == "ipswich-east"
    assert practices.at["Z90001", "registered_patients"] == 1000
    assert practices.at["Z90003", "registered_patients"] == 900


def test_practice_majority_decides_between_places(tmp_path: Path) -> None:
    """A practice with 400 patients in one place and 500 in the other goes to the 500."""
    settings = tiny_settings(tmp_path, TINY_PLACES)
    f = tiny_frames()
    extra = pd.DataFrame(
        {"practice_code": ["Z90003"], "lsoa_code": ["X01000001"], "patients": [1000]}
    )
    registered = pd.concat([f["registered"], extra], ignore_index=True)
    geo = Geography.from_frames(
        settings, f["lookup"], f["districts"], f["practice_map"], registered
    )
    assert geo.practices.set_index("practice_code").at["Z90003", "place_id"] == "yarmouth-waveney"


def test_areas_icb_first_then_places(tmp_path: Path) -> None:
    geo = build_tiny(tiny_settings(tmp_path, TINY_PLACES))
    assert [(a.id, a.kind) for a in geo.areas] == [
        ("icb", "icb"),
        ("yarmouth-waveney", "place"),
        ("ipswich-east", "place"),
    ]
    assert geo.areas[0].name == "NHS Norfolk and Suffolk ICB"
    assert len(geo.small_areas_in("icb")) == 5
    assert set(geo.small_areas_in("ipswich-east")["lsoa_code"]) == {"X01000003", "X01000004"}
    assert list(geo.practices_in("yarmouth-waveney")["practice_code"]) == ["Z90001", "Z90002"]
    with pytest.raises(ConfigError, match="no area 'norwich'"):
        geo.area("norwich")


def test_member_matching_nothing_is_a_config_error(tmp_path: Path) -> None:
    places = [*TINY_PLACES, {"id": "west", "name": "West", "members": [{"district": "E07000245"}]}]
    with pytest.raises(
        ConfigError,
        match=r"places\[2\].members\[0\]: place 'west' member E07000245 matches no small area",
    ):
        build_tiny(tiny_settings(tmp_path, places))


def test_sub_icb_member_matching_nothing(tmp_path: Path) -> None:
    places = [
        {"id": "ipswich", "name": "Ipswich", "members": [{"district": IPSWICH, "sub_icb": "07K"}]}
    ]
    with pytest.raises(
        ConfigError, match=r"member E07000202 \(sub-ICB 07K\) matches no small area"
    ):
        build_tiny(tiny_settings(tmp_path, places))


def test_small_area_in_two_places_is_a_config_error(tmp_path: Path) -> None:
    """The config check forbids overlapping members; model_copy skips validation, as a
    hand-built Settings could, so the geography must catch the overlap itself."""
    settings = tiny_settings(tmp_path, TINY_PLACES)
    overlapping = PlaceScheme(
        label="Overlap",
        places=[
            Place(id="a", name="A", members=[PlaceMember(district=EAST_SUFFOLK)]),
            Place(id="b", name="B", members=[PlaceMember(district=EAST_SUFFOLK, sub_icb="26A")]),
        ],
    )
    bad = settings.model_copy(update={"place_schemes": {"test": overlapping}})
    with pytest.raises(ConfigError, match=r"small area X01000002 matches two places, 'a' and 'b'"):
        build_tiny(bad)


def test_no_practice_in_the_icb_is_an_input_error(tmp_path: Path) -> None:
    settings = tiny_settings(tmp_path, TINY_PLACES)
    f = tiny_frames()
    f["practice_map"]["icb_code"] = "QMM"
    with pytest.raises(InputError, match="no practice belongs to the ICB T6Y0W"):
        Geography.from_frames(
            settings, f["lookup"], f["districts"], f["practice_map"], f["registered"]
        )


def test_lookup_without_districts_is_an_input_error(tmp_path: Path) -> None:
    settings = tiny_settings(tmp_path, TINY_PLACES)
    f = tiny_frames()
    f["lookup"]["district_code"] = pd.NA
    with pytest.raises(InputError, match="no district for some small areas"):
        Geography.from_frames(
            settings, f["lookup"], f["districts"], f["practice_map"], f["registered"]
        )


# --- the committed demo extracts ------------------------------------------------------------


@pytest.fixture(scope="module")
def phip(tmp_path_factory: pytest.TempPathFactory) -> Geography:
    return load_geography(config_for(tmp_path_factory.mktemp("phip"), "phip_alliances"))


@pytest.fixture(scope="module")
def jfp(tmp_path_factory: pytest.TempPathFactory) -> Geography:
    return load_geography(config_for(tmp_path_factory.mktemp("jfp"), "jfp_norfolk_waveney"))


def test_phip_every_small_area_in_exactly_one_place(phip: Geography) -> None:
    small = phip.small_areas
    assert len(small) > 900
    assert small["lsoa_code"].is_unique
    assert small["place_id"].notna().all()
    counts = sum(len(phip.small_areas_in(p.id)) for p in phip.settings.places)
    assert counts == len(small)


def test_waveney_goes_to_great_yarmouth_and_waveney_in_both_schemes(
    phip: Geography, jfp: Geography
) -> None:
    for geo in (phip, jfp):
        east_suffolk = geo.small_areas.loc[geo.small_areas["district_code"] == EAST_SUFFOLK]
        waveney = east_suffolk.loc[east_suffolk["sub_icb_code"] == "26A"]
        assert len(waveney) > 0
        assert (waveney["place_id"] == "great-yarmouth-and-waveney").all()
    rest = phip.small_areas.loc[
        (phip.small_areas["district_code"] == EAST_SUFFOLK)
        & (phip.small_areas["sub_icb_code"] == "06L")
    ]
    assert len(rest) > 0 and (rest["place_id"] == "ipswich-and-east-suffolk").all()


def test_jfp_covers_only_norfolk_and_waveney(jfp: Geography) -> None:
    small = jfp.small_areas
    placed = small.loc[small["place_id"].notna()]
    norfolk_or_waveney = small["district_code"].isin(NORFOLK_DISTRICTS) | (
        (small["district_code"] == EAST_SUFFOLK) & (small["sub_icb_code"] == "26A")
    )
    assert placed.index.equals(small.loc[norfolk_or_waveney].index)
    assert (placed["sub_icb_code"] == "26A").all()
    # Suffolk practices outside 26A have no JFP place.
    suffolk_practices = jfp.practices.loc[jfp.practices["sub_icb_code"] != "26A"]
    assert len(suffolk_practices) > 0 and suffolk_practices["place_id"].isna().all()


def test_demo_practices_assigned_within_their_sub_icb(phip: Geography) -> None:
    practices = phip.practices
    assert practices["place_id"].notna().all()
    assert (practices["registered_patients"] > 0).all()
    places = phip.small_areas.groupby("place_id")["sub_icb_code"].agg(set)
    for row in practices.itertuples():
        assert row.sub_icb_code in places[row.place_id]


def test_places_frame_sums_to_the_icb(phip: Geography) -> None:
    frame = phip.places_frame()
    assert list(frame["place_id"]) == [p.id for p in phip.settings.places]
    assert frame["small_areas"].sum() == len(phip.small_areas)
    assert frame["practices"].sum() == len(phip.practices)
    assert frame["registered_patients"].sum() == phip.practices["registered_patients"].sum()


# --- without registrations by small area, and with a lookup without districts --------------


def test_without_registrations_by_small_area_practices_follow_their_sub_icb(
    tmp_path: Path,
) -> None:
    """06L lies wholly in one place here, so its practice goes there; 26A is split between
    places (and Norwich is in none), so its practices stay out of every place, and the note
    says so."""
    places = [
        {"id": "yarmouth", "name": "Yarmouth", "members": [{"district": GREAT_YARMOUTH}]},
        *TINY_PLACES[1:],
    ]
    settings = tiny_settings(tmp_path, places)
    f = tiny_frames()
    geo = Geography.from_frames(settings, f["lookup"], f["districts"], f["practice_map"])
    practices = geo.practices.set_index("practice_code")
    assert practices.at["Z90003", "place_id"] == "ipswich-east"
    assert practices["place_id"].isna().sum() == 2  # Z90001, Z90002 of 26A
    assert list(geo.practices_in("icb")["practice_code"]) == ["Z90001", "Z90002", "Z90003"]
    assert len(geo.notes) == 1
    assert "1 of 3 practices are in a place" in geo.notes[0]
    assert "26A" in geo.notes[0] and "06L" not in geo.notes[0]


def test_a_sub_icb_wholly_in_one_place_places_all_its_practices(tmp_path: Path) -> None:
    places = [
        {"id": "north", "name": "North", "members": [
            {"district": GREAT_YARMOUTH}, {"district": NORWICH},
            {"district": EAST_SUFFOLK, "sub_icb": "26A"}]},
        {"id": "south", "name": "South", "members": [
            {"district": IPSWICH}, {"district": EAST_SUFFOLK, "sub_icb": "06L"}]},
    ]  # fmt: skip
    f = tiny_frames()
    geo = Geography.from_frames(
        tiny_settings(tmp_path, places), f["lookup"], f["districts"], f["practice_map"]
    )
    assert geo.practices.set_index("practice_code")["place_id"].to_dict() == {
        "Z90001": "north",
        "Z90002": "north",
        "Z90003": "south",
    }
    assert "3 of 3 practices are in a place." in geo.notes[0]
    assert not build_tiny(tiny_settings(tmp_path, places)).notes  # with the LSOA file: none


def test_a_lookup_without_districts_takes_them_from_the_deprivation_file(
    tmp_path: Path,
) -> None:
    """The real LSOA (2011) -> sub-ICB (July 2022) lookup has no LAD columns; the IoD gives
    every LSOA's district, and the district lookup its name."""
    settings = tiny_settings(tmp_path, TINY_PLACES)
    f = tiny_frames()
    deprivation = f["lookup"][["lsoa_code", "district_code"]].copy()
    lookup = f["lookup"].drop(columns=["district_code", "district_name"])
    geo = Geography.from_frames(
        settings, lookup, f["districts"], f["practice_map"], f["registered"], deprivation
    )
    expected = build_tiny(settings)
    pd.testing.assert_frame_equal(geo.small_areas, expected.small_areas)
    assert geo.small_areas.set_index("lsoa_code").at["X01000003", "district_name"] == (
        "East Suffolk"
    )


def test_a_lookup_without_districts_and_no_deprivation_says_what_to_supply(
    tmp_path: Path,
) -> None:
    settings = tiny_settings(tmp_path, TINY_PLACES)
    f = tiny_frames()
    lookup = f["lookup"].drop(columns=["district_code", "district_name"])
    with pytest.raises(InputError, match="supply sources: deprivation") as error:
        Geography.from_frames(settings, lookup, f["districts"], f["practice_map"])
    assert "\n" not in str(error.value)
