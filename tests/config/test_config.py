"""ina.config: the shipped ina.yml loads, and every kind of mistake gives one clear line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from ina.config import load_settings
from ina.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]
REPO_CONFIG = REPO_ROOT / "ina.yml"


def base_config() -> dict:
    """The repository's ina.yml as a dict, to mutate one key per test."""
    return yaml.safe_load(REPO_CONFIG.read_text(encoding="utf-8"))


def write_config(folder: Path, data: dict, notebooks: tuple[str, ...] = ()) -> Path:
    path = folder / "ina.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    if notebooks:
        (folder / "notebooks").mkdir(exist_ok=True)
        for name in notebooks:
            (folder / "notebooks" / f"{name}.ipynb").write_text("{}", encoding="utf-8")
    return path


def error_line(path: Path) -> str:
    """The one problem of the file, without its `` (line N)`` (tested on its own below)."""
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    text = str(caught.value)
    assert "\n" not in text, "one problem is one line"
    return re.sub(r" \(line \d+\)$", "", text)


# --- the shipped config ----------------------------------------------------------------


def test_repository_config_loads_with_absolute_paths() -> None:
    settings = load_settings(REPO_CONFIG)
    assert settings.config_path == REPO_CONFIG.resolve()
    assert settings.root == REPO_ROOT.resolve()
    assert settings.icb.ods_code == "T6Y0W"
    assert settings.icb.ons_code == "E54000068"
    assert settings.data_status in {"demo", "provisional", "final"}
    assert settings.place_scheme == "phip_alliances"
    assert [p.id for p in settings.places] == [
        "west-norfolk",
        "central-norfolk",
        "great-yarmouth-and-waveney",
        "ipswich-and-east-suffolk",
        "west-suffolk",
    ]
    assert settings.output_dir == REPO_ROOT.resolve() / "outputs"
    deaths = settings.source_path("deaths")
    assert isinstance(deaths, Path) and deaths.is_absolute()
    assert deaths == REPO_ROOT.resolve() / "data_raw" / "deaths" / "deaths_2020_2024.csv"
    by_age = settings.source_path("registered_by_age")
    assert isinstance(by_age, list) and len(by_age) == 2
    assert "births" in settings.source_names()
    assert settings.suppression.min_count == 1
    assert settings.suppression.max_count == 7


def test_jfp_scheme_is_a_one_line_change(tmp_path: Path) -> None:
    data = base_config()
    data["place_scheme"] = "jfp_norfolk_waveney"
    settings = load_settings(write_config(tmp_path, data))
    assert settings.active_scheme.label.startswith("JFP")
    assert [p.id for p in settings.places] == [
        "norwich",
        "north-norfolk",
        "south-norfolk",
        "west-norfolk",
        "great-yarmouth-and-waveney",
    ]
    waveney = settings.place("great-yarmouth-and-waveney").members[1]
    assert (waveney.district, waveney.sub_icb) == ("E07000244", "26A")


def test_manifest_dump_is_relative_and_deterministic(tmp_path: Path) -> None:
    first = tmp_path / "a"
    second = tmp_path / "b"
    first.mkdir()
    second.mkdir()
    dump_a = load_settings(write_config(first, base_config())).model_dump_for_manifest()
    dump_b = load_settings(write_config(second, base_config())).model_dump_for_manifest()
    assert json.dumps(dump_a) == json.dumps(dump_b)
    assert dump_a["output_dir"] == "outputs"
    assert dump_a["sources"]["deaths"] == "data_raw/deaths/deaths_2020_2024.csv"
    assert str(tmp_path) not in json.dumps(dump_a)


def test_glob_source_expands_sorted(tmp_path: Path) -> None:
    data = base_config()
    data["sources"]["fingertips"] = "data_raw/fingertips/*.csv"
    folder = tmp_path / "data_raw" / "fingertips"
    folder.mkdir(parents=True)
    for name in ("b.csv", "a.csv", "c.txt"):
        (folder / name).write_text("x", encoding="utf-8")
    settings = load_settings(write_config(tmp_path, data))
    assert settings.source_path("fingertips") == [folder / "a.csv", folder / "b.csv"]


def test_unknown_source_name_lists_configured(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, base_config()))
    with pytest.raises(
        ConfigError, match=r"no source named 'deaht'; configured: small_area_lookup"
    ):
        settings.source_path("deaht")


# --- file-level errors ------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    text = error_line(tmp_path / "nope.yml")
    assert "config file not found" in text
    assert text.startswith(str(tmp_path / "nope.yml"))


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "ina.yml"
    path.write_text(
        "icb:\n  name: x\n  ons_code: [E54000068\nreporting_year: 2026\n", encoding="utf-8"
    )
    assert "YAML syntax error" in error_line(path)
    assert "line 4" in error_line(path)


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    text = REPO_CONFIG.read_text(encoding="utf-8") + "\nplace_scheme: jfp_norfolk_waveney\n"
    path = tmp_path / "ina.yml"
    path.write_text(text, encoding="utf-8")
    line = error_line(path)
    assert "'place_scheme' is given twice" in line


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "ina.yml"
    path.write_text("# nothing\n", encoding="utf-8")
    assert "empty" in error_line(path)


# --- key-level errors -------------------------------------------------------------------


def test_undefined_place_scheme(tmp_path: Path) -> None:
    data = base_config()
    data["place_scheme"] = "alliances"
    line = error_line(write_config(tmp_path, data))
    assert line.endswith(
        "ina.yml: place_scheme: 'alliances' is not a defined scheme; "
        "allowed: jfp_norfolk_waveney, phip_alliances"
    )


def test_max_count_not_an_integer(tmp_path: Path) -> None:
    data = base_config()
    data["suppression"]["max_count"] = "seven"
    line = error_line(write_config(tmp_path, data))
    assert line.endswith(
        "ina.yml: suppression.max_count: must be an integer >= min_count, found 'seven'"
    )


def test_max_count_below_min_count(tmp_path: Path) -> None:
    data = base_config()
    data["suppression"]["min_count"] = 5
    data["suppression"]["max_count"] = 3
    line = error_line(write_config(tmp_path, data))
    assert line.endswith("suppression.max_count: must be an integer >= min_count, found 3")


def test_chapter_without_notebook(tmp_path: Path) -> None:
    data = base_config()
    data["chapters"] = ["population", "start_well"]
    path = write_config(tmp_path, data, notebooks=("population", "deprivation"))
    assert error_line(path).endswith(
        "ina.yml: chapters[1]: 'start_well' has no notebook; allowed: deprivation, population"
    )


def test_chapters_with_notebooks_load(tmp_path: Path) -> None:
    data = base_config()
    path = write_config(tmp_path, data, notebooks=tuple(data["chapters"]))
    assert load_settings(path).chapters == data["chapters"]


def test_chapter_listed_twice(tmp_path: Path) -> None:
    data = base_config()
    data["chapters"] = ["population", "population"]
    assert "chapters[1]: 'population' is listed twice" in error_line(write_config(tmp_path, data))


def test_unknown_top_level_key_lists_allowed(tmp_path: Path) -> None:
    data = base_config()
    data["icbs"] = {}
    line = error_line(write_config(tmp_path, data))
    assert "'icbs' is not a known key; allowed: chapters, data_status, icb," in line


def test_unknown_nested_key(tmp_path: Path) -> None:
    data = base_config()
    data["suppression"]["maximum"] = 7
    line = error_line(write_config(tmp_path, data))
    assert (
        "suppression: 'maximum' is not a known key; allowed: marker, max_count, min_count" in line
    )


def test_unknown_source_key(tmp_path: Path) -> None:
    data = base_config()
    data["sources"]["deaht"] = "x.csv"
    assert "sources: 'deaht' is not a known key" in error_line(write_config(tmp_path, data))


def test_missing_required_key(tmp_path: Path) -> None:
    data = base_config()
    del data["icb"]["ods_code"]
    assert error_line(write_config(tmp_path, data)).endswith(
        "icb.ods_code: required key is missing"
    )


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["icb"].__setitem__("ons_code", "E5400006"),
            "icb.ons_code: must be a 9-character ONS ICB code like E54000068, found 'E5400006'",
        ),
        (
            lambda d: d["place_schemes"]["phip_alliances"]["places"][0]["members"][0].__setitem__(
                "district", "E0700146"
            ),
            "place_schemes.phip_alliances.places[0].members[0].district: must be a 9-character "
            "ONS district code like E07000148, found 'E0700146'",
        ),
        (
            lambda d: d["place_schemes"]["phip_alliances"]["places"][2]["members"][1].__setitem__(
                "sub_icb", "26AA"
            ),
            "place_schemes.phip_alliances.places[2].members[1].sub_icb: must be a 3-character ODS "
            "sub-ICB code like 26A",
        ),
        (
            lambda d: d["place_schemes"]["phip_alliances"]["places"][0].__setitem__(
                "id", "West Norfolk"
            ),
            "place_schemes.phip_alliances.places[0].id: must be a slug",
        ),
        (
            lambda d: d.__setitem__("data_status", "draft"),
            "data_status: must be one of demo, real, provisional, final, found 'draft'",
        ),
        (
            lambda d: d.__setitem__("reporting_year", "2026"),
            "reporting_year: must be a year like 2026, found '2026'",
        ),
        (lambda d: d.__setitem__("chapters", []), "chapters: must be a non-empty list"),
        # An empty mapping was called "a non-empty list" (issue 6 corpus).
        (
            lambda d: d.__setitem__("place_schemes", {}),
            "place_schemes: must be a non-empty mapping",
        ),
        (
            lambda d: d["suppression"].__setitem__("min_count", True),
            "suppression.min_count: must be an integer >= 0, found True",
        ),
        (
            lambda d: d["sources"].__setitem__("deaths", 3),
            "sources.deaths: must be a file path relative to ina.yml",
        ),
        (
            lambda d: d.__setitem__("icb", "Norfolk"),
            "icb: must be a mapping of keys, found 'Norfolk'",
        ),
    ],
)
def test_value_errors(tmp_path: Path, mutate, expected: str) -> None:
    data = base_config()
    mutate(data)
    assert expected in error_line(write_config(tmp_path, data))


def test_every_problem_is_listed_one_line_each_with_its_line(tmp_path: Path) -> None:
    data = base_config()
    data["data_status"] = "draft"
    data["reporting_year"] = "x"
    del data["sources"]["practice_map"]
    with pytest.raises(ConfigError) as caught:
        load_settings(write_config(tmp_path, data))
    problems = caught.value.problems
    assert len(problems) == 3
    assert str(caught.value).splitlines() == list(problems)
    text = (tmp_path / "ina.yml").read_text(encoding="utf-8").splitlines()
    status_line = next(i for i, line in enumerate(text, 1) if line.startswith("data_status:"))
    assert any(
        p.endswith(
            f"data_status: must be one of demo, real, provisional, final, found 'draft' "
            f"(line {status_line})"
        )
        for p in problems
    )
    assert any("reporting_year: must be a year like 2026, found 'x'" in p for p in problems)
    assert any("sources.practice_map: required key is missing" in p for p in problems)


def test_every_cross_field_problem_is_listed(tmp_path: Path) -> None:
    data = base_config()
    data["place_scheme"] = "alliances"
    data["chapters"].append(data["chapters"][0])
    with pytest.raises(ConfigError) as caught:
        load_settings(write_config(tmp_path, data))
    problems = caught.value.problems
    assert len(problems) == 2
    assert "place_scheme: 'alliances' is not a defined scheme" in problems[0]
    assert f"chapters[{len(data['chapters']) - 1}]: " in problems[1]
    assert problems[1].endswith("is listed twice" + problems[1][problems[1].rindex(" (line") :])


def test_only_the_geography_sources_are_required(tmp_path: Path) -> None:
    from ina.config._models import REQUIRED_SOURCES

    assert REQUIRED_SOURCES == (
        "small_area_lookup",
        "district_lookup",
        "practice_map",
    )
    data = base_config()
    for name in list(data["sources"]):
        if name not in REQUIRED_SOURCES:
            del data["sources"][name]
    settings = load_settings(write_config(tmp_path, data))
    assert settings.source_names() == list(REQUIRED_SOURCES)


# --- place scheme rules -----------------------------------------------------------------


def test_place_ids_unique(tmp_path: Path) -> None:
    data = base_config()
    data["place_schemes"]["phip_alliances"]["places"][1]["id"] = "west-norfolk"
    assert (
        "place_schemes.phip_alliances.places[1].id: 'west-norfolk' is already used by places[0]"
        in error_line(write_config(tmp_path, data))
    )


def test_district_twice_needs_sub_icb_filters(tmp_path: Path) -> None:
    data = base_config()
    # Breckland in West Norfolk too, unfiltered: overlaps Central Norfolk.
    data["place_schemes"]["phip_alliances"]["places"][0]["members"].append(
        {"district": "E07000143"}
    )
    line = error_line(write_config(tmp_path, data))
    assert "district E07000143 appears more than once, so every use needs a sub_icb filter" in line


def test_district_twice_with_same_sub_icb(tmp_path: Path) -> None:
    data = base_config()
    data["place_schemes"]["phip_alliances"]["places"][4]["members"][1]["sub_icb"] = "06L"
    line = error_line(write_config(tmp_path, data))
    assert "district E07000203 with sub_icb 06L appears more than once" in line


def test_scheme_errors_checked_even_when_inactive(tmp_path: Path) -> None:
    data = base_config()
    data["place_schemes"]["jfp_norfolk_waveney"]["places"][0]["id"] = "north-norfolk"
    line = error_line(write_config(tmp_path, data))
    assert "place_schemes.jfp_norfolk_waveney.places[1].id: 'north-norfolk' is already used" in line


def test_unknown_place_lookup(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, base_config()))
    with pytest.raises(ConfigError, match="no place 'norwich' in scheme phip_alliances"):
        settings.place("norwich")


def test_qa_move_threshold_defaults_to_five_percent(tmp_path: Path) -> None:
    data = base_config()
    data.pop("qa", None)
    settings = load_settings(write_config(tmp_path, data))
    assert settings.qa.move_threshold == pytest.approx(0.05)


def test_qa_move_threshold_is_read_as_percent(tmp_path: Path) -> None:
    data = base_config()
    data["qa"] = {"move_threshold_percent": 10}
    assert load_settings(write_config(tmp_path, data)).qa.move_threshold == pytest.approx(0.10)


@pytest.mark.parametrize("bad", [0, 150, "five", True])
def test_qa_move_threshold_outside_0_to_100_is_one_line_error(tmp_path: Path, bad: object) -> None:
    data = base_config()
    data["qa"] = {"move_threshold_percent": bad}
    line = error_line(write_config(tmp_path, data))
    assert "qa.move_threshold_percent" in line
    assert "above 0 and at most 100" in line


def test_qa_unknown_key_is_refused(tmp_path: Path) -> None:
    data = base_config()
    data["qa"] = {"threshold": 5}
    line = error_line(write_config(tmp_path, data))
    assert "qa: 'threshold' is not a known key; allowed: move_threshold_percent" in line
