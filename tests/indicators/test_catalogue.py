"""The indicator catalogue loads, is complete and rejects bad entries with a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from ina.errors import InputError, StatisticsError
from ina.indicators import METHODS, PHIP_DOMAINS, SECTIONS, load_catalogue
from ina.sources import READERS
from ina.stats import Polarity

GOOD_ENTRY = """
  - id: {id}
    short_name: Low birth weight (%)
    phrase: the percentage of babies born with a low birth weight
    section: start_well
    phip_domain: Start Well
    definition: Live births under 2,500 g as a percentage of live births with a stated weight.
    numerator: Live births under 2,500 g
    denominator: Live births with a stated weight
    age: Live births
    period: Registration years pooled
    standardisation: none
    unit: "%"
    multiplier: 100
    decimals: 1
    method: proportion_wilson
    polarity: {polarity}
    sources: [{source}]
    england: false
"""


def _write(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "catalogue.yml"
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
            22,
        ),
        ([GOOD_ENTRY.format(id="lbw", polarity="lower is worse", source="births")], "polarity", 3),
        ([GOOD_ENTRY.format(id="lbw", polarity="low is good", source="birth")], "sources", 3),
        ([GOOD_ENTRY.format(id="Bad-Id", polarity="low is good", source="births")], "id", 3),
        (
            [
                GOOD_ENTRY.format(id="lbw", polarity="low is good", source="births").replace(
                    "method: proportion_wilson", "method: guesswork"
                )
            ],
            "method",
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
    path = tmp_path / "empty.yml"
    path.write_text("indicators: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="no indicators"):
        load_catalogue(path)
