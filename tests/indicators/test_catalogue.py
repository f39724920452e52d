"""The indicator catalogue loads, is complete and rejects bad entries with a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from ina.errors import InputError, StatisticsError
from ina.indicators import CHAPTERS, METHODS, PHIP_DOMAINS, SECTIONS, load_catalogue
from ina.sources import READERS
from ina.stats import Polarity

GOOD_ENTRY = """
  - id: {id}
    short_name: Low birth weight (%)
    phrase: the percentage of babies born with a low birth weight
    section: start_well
    phip_domain: Start Well
    definition: Live births under 2,500 g as a percentage of live births with a stated weight.
    numerator:
      text: Live births under 2,500 g
      source: births
      where: {{birth_weight_g: {{below: 2500}}}}
    denominator:
      text: Live births with a stated weight
      source: births
      where: {{birth_weight_g: stated}}
    age: Live births
    period: Registration years pooled
    standardisation: none
    unit: "%"
    multiplier: 100
    decimals: 1
    statistic: proportion_wilson
    polarity: {polarity}
    sources: [{source}]
"""


def _write(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "start_well.yml"
    path.write_text("indicators:\n" + "".join(entries), encoding="utf-8")
    return path


def test_packaged_catalogue_is_valid_and_consistent() -> None:
    catalogue = load_catalogue()
    assert len(catalogue) >= 12
    assert len(set(catalogue.ids)) == len(catalogue.ids)
    for indicator in catalogue:
        assert indicator.method in METHODS
        assert indicator.section in SECTIONS
        assert indicator.phip_domain is None or indicator.phip_domain in PHIP_DOMAINS
        assert set(indicator.sources) <= set(READERS)
        assert indicator.chapter in CHAPTERS
        assert isinstance(indicator.polarity, Polarity)
        assert indicator.definition.endswith(".")
    assert catalogue["low_birth_weight"].polarity is Polarity.LOW_IS_GOOD
    assert catalogue["life_expectancy_male"].polarity is Polarity.HIGH_IS_GOOD
    assert catalogue["mortality_all_ages"].method == "dsr_esp2013"
    assert catalogue["life_expectancy_female"].method == "life_expectancy_chiang"
    assert not catalogue["growth_65_plus"].has_interval
    assert catalogue["percent_65_plus"].has_interval


def test_supported_by_leaves_out_indicators_whose_sources_are_not_configured() -> None:
    catalogue = load_catalogue()
    without_births = catalogue.supported_by([s for s in READERS if s != "births"])
    assert "low_birth_weight" not in without_births.ids
    assert "percent_65_plus" in without_births.ids
    with pytest.raises(StatisticsError, match="no indicator 'low_birth_weight'"):
        without_births["low_birth_weight"]


def test_a_good_custom_catalogue_loads(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_ENTRY.format(id="lbw", polarity="low is good", source="births"))
    catalogue = load_catalogue(path)
    assert catalogue.ids == ["lbw"]
    assert catalogue["lbw"].format(7.654) == "7.7"


@pytest.mark.parametrize(
    ("entries", "field", "line"),
    [
        (
            [
                GOOD_ENTRY.format(id="lbw", polarity="low is good", source="births"),
                GOOD_ENTRY.format(id="lbw", polarity="low is good", source="births"),
            ],
            "id",
            27,
        ),
        ([GOOD_ENTRY.format(id="lbw", polarity="lower is worse", source="births")], "polarity", 3),
        ([GOOD_ENTRY.format(id="lbw", polarity="low is good", source="birth")], "sources", 3),
        ([GOOD_ENTRY.format(id="Bad-Id", polarity="low is good", source="births")], "id", 3),
        (
            [
                GOOD_ENTRY.format(id="lbw", polarity="low is good", source="births").replace(
                    "statistic: proportion_wilson", "statistic: guesswork"
                )
            ],
            "statistic",
            3,
        ),
        (
            [
                GOOD_ENTRY.format(id="lbw", polarity="low is good", source="births").replace(
                    "    definition: Live births under 2,500 g as a percentage of live births "
                    "with a stated weight.\n",
                    "",
                )
            ],
            "definition",
            3,
        ),
    ],
)
def test_bad_entries_raise_input_error_naming_line_and_field(
    tmp_path: Path, entries: list[str], field: str, line: int
) -> None:
    path = _write(tmp_path, *entries)
    with pytest.raises(InputError) as caught:
        load_catalogue(path)
    assert caught.value.column == field
    assert caught.value.row == line
    assert str(path) in str(caught.value)


def test_an_empty_catalogue_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "feel_well.yml"
    path.write_text("indicators: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="no indicators"):
        load_catalogue(path)


ENTRY = GOOD_ENTRY.format(id="lbw", polarity="low is good", source="births")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            "where: {birth_weight_g: {below: 2500}}",
            "where: {birth_weight_g: {below: heavy}}",
            "numerator.where.birth_weight_g",
        ),
        (
            "where: {birth_weight_g: stated}",
            "where: {birth_weight_g: {around: 3}}",
            "denominator.where.birth_weight_g",
        ),
        (
            "      source: births\n      where: {birth_weight_g: {below",
            "      source: hospital\n      where: {birth_weight_g: {below",
            "numerator.source",
        ),
        (
            "      text: Live births under 2,500 g\n",
            "      text: Live births under 2,500 g\n      count: rows\n",
            "numerator.count",
        ),
        (
            "    sources: [births]\n",
            "    sources: [births]\n    targets:\n      - {value: 6, operator: under, plan: PHIP, "
            "section: §4.1.1}\n",
            "targets[0].operator",
        ),
        (
            "    sources: [births]\n",
            "    sources: [births]\n    targets:\n      - {value: 6, operator: <, plan: ICS, "
            "section: §4.1.1}\n",
            "targets[0].plan",
        ),
        (
            "    sources: [births]\n",
            "    sources: [births]\n    targets:\n      - {value: 6, operator: <, plan: PHIP}\n",
            "targets[0].section",
        ),
        (
            "    sources: [births]\n",
            "    sources: [births]\n    benchmark: {comparator: neighbours}\n",
            "benchmark.comparator",
        ),
        (
            "    sources: [births]\n",
            "    sources: [births]\n    benchmark: {levels: [90]}\n",
            "benchmark.levels",
        ),
        (
            "    sources: [births]\n",
            "    sources: [births]\n    fingertips_id: -4\n",
            "fingertips_id",
        ),
        ("    sources: [births]\n", "    sources: [births]\n    england: fingertips\n", "england"),
        (
            "    sources: [births]\n",
            "    sources: [births]\n    suppression: {min_count: 0, max_count: 0}\n",
            "suppression",
        ),
        (
            "    sources: [births]\n",
            "    sources: [births]\n    pooling: snapshot\n    age_range: [74, 0]\n",
            "age_range",
        ),
        ("    sources: [births]\n", "    sources: [births]\n    recipe: magic\n", "recipe"),
        ("    sources: [births]\n", "    sources: [deaths]\n", "numerator.source"),
    ],
)
def test_bad_structured_fields_name_the_field(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    assert old in ENTRY
    path = _write(tmp_path, ENTRY.replace(old, new))
    with pytest.raises(InputError) as caught:
        load_catalogue(path)
    assert caught.value.column == field
    assert caught.value.row == 3
    assert "'lbw'" in str(caught.value)


def test_structured_fields_are_parsed(tmp_path: Path) -> None:
    extra = (
        "    fingertips_id: 92531\n"
        "    benchmark: {comparator: england, levels: [95, 99.8]}\n"
        "    targets:\n"
        "      - {value: 6, operator: <, plan: PHIP, area: ICB, section: §4.1.1, due: 2028-03-31,"
        " by: 2027/28}\n"
        "    suppression: {min_count: 1, max_count: 10}\n"
    )
    path = _write(
        tmp_path, ENTRY.replace("    sources: [births]\n", "    sources: [births]\n" + extra)
    )
    indicator = load_catalogue(path)["lbw"]
    assert indicator.chapter == "start_well"
    assert indicator.fingertips_id == 92531
    assert indicator.england == "fingertips"
    assert indicator.benchmark.levels == (0.95, 0.998)
    (target,) = indicator.targets
    assert (target.value, target.operator, target.plan, target.by) == (6.0, "<", "PHIP", "2027/28")
    assert target.met(5.9) and not target.met(6.0)
    assert indicator.suppression == (1, 10)
    assert indicator.numerator_measure.describe() == "births where birth_weight_g under 2500"
    assert indicator.pooling == "all_years" and indicator.born_at == "small_area"


def test_a_file_not_named_after_a_chapter_is_refused(tmp_path: Path) -> None:
    (tmp_path / "start_well.yml").write_text("indicators:\n" + ENTRY, encoding="utf-8")
    (tmp_path / "misc.yml").write_text("indicators:\n" + ENTRY, encoding="utf-8")
    with pytest.raises(InputError, match="not a chapter of the INA"):
        load_catalogue(tmp_path)


def test_an_id_repeated_across_chapter_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "start_well.yml").write_text("indicators:\n" + ENTRY, encoding="utf-8")
    (tmp_path / "die_well.yml").write_text("indicators:\n" + ENTRY, encoding="utf-8")
    with pytest.raises(InputError, match="repeated") as caught:
        load_catalogue(tmp_path)
    assert "start_well.yml line 3" in str(caught.value)
