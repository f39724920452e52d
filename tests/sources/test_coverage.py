"""ina.sources.coverage and ina.chapters.sections: what each source enables, and what a
build without it says instead."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ina.chapters import sections as sections_module
from ina.chapters.sections import SECTIONS, SectionGate, missing_sources, not_available, section
from ina.config import Sources, load_settings
from ina.config._models import REQUIRED_SOURCES
from ina.indicators import load_catalogue
from ina.sources.coverage import coverage, coverage_markdown

REPO = Path(__file__).resolve().parents[2]
#: Sources the demo ina.yml leaves out: its residents by age make the totals redundant.
#: The demo is on one LSOA vintage with an age-sex population, so it needs neither.
NOT_IN_DEMO = {"resident_totals", "lsoa_best_fit"}
OPTIONAL = [
    name
    for name in Sources.model_fields
    if name not in REQUIRED_SOURCES and name not in NOT_IN_DEMO
]


def _config_without(folder: Path, source: str | None, name: str = "ina.yml") -> Path:
    """The demo ina.yml in ``folder`` (sources absolute), less one source."""
    data = yaml.safe_load((REPO / "ina.yml").read_text(encoding="utf-8"))
    if source is not None:
        del data["sources"][source]
    data["sources"] = {
        key: [str(REPO / v) for v in value] if isinstance(value, list) else str(REPO / value)
        for key, value in data["sources"].items()
    }
    data["output_dir"] = str(folder / f"outputs-{source}")
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_demo_config_supplies_every_source_and_rows_follow_the_config_model(tmp_path) -> None:
    rows = coverage(load_settings(REPO / "ina.yml"))
    assert [row.source for row in rows] == list(Sources.model_fields)
    assert all(row.supplied for row in rows if row.source not in NOT_IN_DEMO)
    assert not any(row.supplied for row in rows if row.source in NOT_IN_DEMO)
    births = next(row for row in rows if row.source == "births")
    assert births.files == ("data_raw/births/births_2020_2024.csv",)
    assert "birth_rate" in births.indicators
    assert "population: Births and deaths" in births.sections
    assert "start_well" in births.chapters
    assert [row.source for row in rows if row.required] == list(REQUIRED_SOURCES)


def test_indicators_enabled_are_those_the_catalogue_drops_without_the_source() -> None:
    catalogue = load_catalogue()
    everything = list(Sources.model_fields)
    for row in coverage(None, catalogue=catalogue):
        kept = set(catalogue.supported_by([s for s in everything if s != row.source]).ids)
        assert set(row.indicators) == set(catalogue.ids) - kept, row.source


def test_contract_rows_supply_nothing() -> None:
    rows = coverage(None)
    assert not any(row.supplied or row.files for row in rows)
    assert {row.status for row in rows} == {"MISSING (required)", "not supplied"}


@pytest.mark.parametrize("source", OPTIONAL)
def test_removing_any_optional_source_still_loads_and_says_what_is_missing(
    source: str, tmp_path: Path
) -> None:
    settings = load_settings(_config_without(tmp_path, source))
    assert source not in settings.source_names()
    row = next(row for row in coverage(settings) if row.source == source)
    assert row.status == "not supplied" and row.files == ()
    assert f"| {source} | not supplied | - |" in coverage_markdown(coverage(settings))
    supported = load_catalogue().supported_by(settings.source_names()).ids
    assert not set(row.indicators) & set(supported)
    for declared in SECTIONS:
        gate = SectionGate(declared.chapter, tuple(settings.source_names()))
        needed = declared.needs(is_icb=True)
        assert (source in gate.missing(declared.title)) == (source in needed)


@pytest.fixture(scope="module")
def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every variant, so they share the extract cache (.ina-cache)."""
    return tmp_path_factory.mktemp("variants")


@pytest.mark.slow
@pytest.mark.parametrize("source", OPTIONAL)
def test_removing_any_optional_source_still_validates_every_extract(
    source: str, shared_folder: Path
) -> None:
    from ina.build.pipeline import validate

    validated = validate(_config_without(shared_folder, source, f"ina-without-{source}.yml"))
    names = {str(record["name"]) for record in validated.provenance}
    assert source not in names and set(REQUIRED_SOURCES) <= names


def test_a_required_source_cannot_be_removed(tmp_path: Path) -> None:
    from ina.errors import ConfigError

    with pytest.raises(ConfigError, match=r"sources\.practice_map: required key is missing"):
        load_settings(_config_without(tmp_path, "practice_map"))


def test_gate_shows_one_sentence_per_missing_section(monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("ina.publishing.show_markdown", shown.append)
    supplied = tuple(name for name in Sources.model_fields if name not in {"births", "deaths"})
    gate = SectionGate("population", supplied)
    assert gate.ready("Age structure")
    assert not gate.ready("Births and deaths")
    assert not gate.ready("Births and deaths")  # a second cell of the section: told once
    assert shown == ["This section is not available (source not supplied: births, deaths)."]
    assert gate.has("resident_population") and not gate.has("deaths")


def test_a_place_needs_no_england_comparator(monkeypatch) -> None:
    monkeypatch.setattr("ina.publishing.show_markdown", lambda text: None)
    supplied = tuple(name for name in Sources.model_fields if name != "national_population")
    assert SectionGate("population", supplied, is_icb=False).ready("Age structure")
    assert SectionGate("population", supplied, is_icb=True).missing("Age structure") == [
        "national_population"
    ]


def test_missing_sources_and_sentence() -> None:
    assert missing_sources(["births", "deaths", "deprivation"], ["deaths"]) == [
        "births",
        "deprivation",
    ]
    assert not_available(["births"]) == (
        "This section is not available (source not supplied: births)."
    )
    with pytest.raises(KeyError, match="declared"):
        section("population", "No such heading")


def test_declared_sections_are_headings_of_their_notebooks_and_sources_are_known() -> None:
    known = set(Sources.model_fields)
    for declared in SECTIONS:
        named = set(declared.source_names())
        assert named <= known - set(REQUIRED_SOURCES)
        notebook = json.loads(
            (REPO / "notebooks" / f"{declared.chapter}.ipynb").read_text(encoding="utf-8")
        )
        headings = [
            "".join(cell["source"]).splitlines()[0]
            for cell in notebook["cells"]
            if cell["cell_type"] == "markdown" and cell["source"]
        ]
        assert f"## {declared.under or declared.title}" in headings, declared.key
        code = "".join("".join(cell["source"]) for cell in notebook["cells"])
        assert f"gate.ready({declared.title!r})" in code or (
            f'gate.ready("{declared.title}")' in code
        ), f"{declared.key}: no cell asks the gate"


def test_sections_module_lists_no_required_source() -> None:
    for declared in sections_module.SECTIONS:
        assert not set(declared.sources) & set(REQUIRED_SOURCES)
