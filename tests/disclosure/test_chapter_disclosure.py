"""The chapters' shared disclosure decision, on the demo data (the thin year)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ina.chapters import disclosure, population, summary
from ina.chapters.context import load_context
from ina.indicators import load_catalogue

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def context():
    if not (REPO / "data_raw" / "deaths").is_dir():
        pytest.skip("demo extracts are not present")
    return load_context(REPO / "ina.yml", "west-norfolk")


def test_the_population_chapter_hides_what_the_summary_hides(context) -> None:
    rule = context.settings.suppression
    places = [place.id for place in context.settings.places]
    catalogue = load_catalogue().supported_by(context.settings.source_names())
    inputs = summary.summary_inputs(context)
    results = summary.compute_indicators(inputs, catalogue)
    series = summary.annual_series(inputs, catalogue)
    _, summary_series_hidden = disclosure.summary_hidden(results, series, places, rule)

    vital_series, vital_hidden = disclosure.vital_hidden(context, rule)
    pd.testing.assert_frame_equal(vital_series, series)
    # Same cells hidden whether the other indicators take part or not (no shared counts).
    pd.testing.assert_frame_equal(vital_hidden, summary_series_hidden)

    vital = population.births_and_deaths(context.births, context.deaths, context.population)
    own = series[series["area_id"] == "west-norfolk"]
    births = own[own["indicator_id"] == "birth_rate"].set_index("year")["numerator"]
    deaths = own[own["indicator_id"] == "mortality_all_ages"].set_index("year")["numerator"]
    # The counts the two chapters publish are the same numbers ...
    assert vital.set_index("year")["births"].tolist() == births.tolist()
    assert vital.set_index("year")["deaths"].tolist() == deaths.tolist()
    # ... with the thin year and a complement hidden, in both.
    hide = disclosure.births_deaths_hidden(vital, vital_hidden, vital_series, "west-norfolk")
    assert hide.loc[vital["year"] == 2020].all(axis=None)
    assert hide["births"].sum() >= 2 and hide["deaths"].sum() >= 2


def test_every_year_line_and_place_line_has_zero_or_two_plus_hidden(context) -> None:
    rule = context.settings.suppression
    places = [place.id for place in context.settings.places]
    series, hidden = disclosure.vital_hidden(context, rule)
    frame = series.assign(hidden=hidden["numerator"])
    frame = frame[frame["indicator_id"].isin(["birth_rate", "mortality_all_ages"])]
    by_area = frame.groupby(["indicator_id", "area_id"])["hidden"].sum()
    assert not (by_area == 1).any()
    in_places = frame[frame["area_id"].isin(places)]
    icb = frame[frame["area_id"] == "icb"].set_index(["indicator_id", "year"])["hidden"]
    by_year = in_places.groupby(["indicator_id", "year"])["hidden"].sum()
    assert not ((by_year == 1) & ~icb.reindex(by_year.index).to_numpy()).any()


def test_quintile_deaths_are_the_counts_the_deprivation_tables_publish(context) -> None:
    from ina.chapters import deprivation

    imd = context.source("deprivation")
    icb_areas = deprivation.small_area_deprivation(
        context.icb_population, context.icb_small_areas, imd
    )
    quintiles = deprivation.local_quintiles(icb_areas)
    counts, hidden = disclosure.quintile_deaths_hidden(
        context, quintiles, context.settings.suppression
    )
    assert set(counts["area_id"]) == {"icb", *(p.id for p in context.settings.places)}
    years = context.deaths["registration_date"].dt.year.nunique()
    mortality = deprivation.mortality_by_quintile(
        context.deaths, context.population, quintiles, years=years
    )
    own = counts[(counts["area_id"] == "west-norfolk") & (counts["sex"] == "Persons")]
    assert own["deaths"].tolist() == mortality["deaths"].tolist()
    gap = deprivation.deprivation_gap(context.deaths, context.population, quintiles)
    table = deprivation.life_expectancy_table(gap)
    by_sex = counts[(counts["area_id"] == "west-norfolk") & (counts["sex"] != "Persons")]
    assert by_sex["deaths"].tolist() == table["deaths"].tolist()
    # Persons = Males + Females in every area and quintile, so the sex line is declared.
    assert counts.attrs["pooled_is_all"]
    hide = disclosure.quintile_hide(counts, hidden, table, "west-norfolk")
    assert list(hide.columns) == ["deaths"] and len(hide) == len(table)


def test_the_whole_icb_quintile_decision_is_made_once_per_process(
    context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ina.chapters import deprivation

    imd = context.source("deprivation")
    icb_areas = deprivation.small_area_deprivation(
        context.icb_population, context.icb_small_areas, imd
    )
    quintiles = deprivation.local_quintiles(icb_areas)
    rule = context.settings.suppression
    monkeypatch.setattr(disclosure, "_QUINTILE_DEATHS_HIDDEN", {})
    computed: list[str] = []
    real = disclosure.quintile_deaths

    def counting(area_context, area_quintiles):
        computed.append(area_context.area.id)
        return real(area_context, area_quintiles)

    monkeypatch.setattr(disclosure, "quintile_deaths", counting)
    first = disclosure.quintile_deaths_hidden(context, quintiles, rule)
    icb = load_context(REPO / "ina.yml", "icb")
    again = disclosure.quintile_deaths_hidden(icb, quintiles, rule)
    assert computed == ["west-norfolk"]  # the ICB's chapter reused the same decision
    pd.testing.assert_frame_equal(first[0], again[0])
    pd.testing.assert_series_equal(first[1], again[1])
    assert again[0].attrs["pooled_is_all"] == first[0].attrs["pooled_is_all"]
    again[0].loc[0, "deaths"] = -1  # a caller's change never reaches the next chapter
    assert disclosure.quintile_deaths_hidden(icb, quintiles, rule)[0].loc[0, "deaths"] != -1
    stricter = rule.model_copy(update={"max_count": rule.max_count + 5})
    disclosure.quintile_deaths_hidden(icb, quintiles, stricter)
    assert computed == ["west-norfolk", "icb"]  # another rule: decided anew
