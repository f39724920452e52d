"""The indicator engine: every catalogue indicator for every area, in one pass per build.

Why one engine: when each chapter computed its own indicators, every notebook recomputed
every area (O(areas²) work for a build) and each indicator was its own function, so the
~150 indicators of the plans meant ~150 functions. Here an indicator is data
(:mod:`ina.indicators.catalogue`); the engine

1. reads each measure's rows from its source extract and applies its filter
   (:class:`~ina.indicators.measures.Measure`);
2. aggregates them, through the membership of :mod:`ina.indicators.areas`, to every area
   the data can reach (small-area data: ICB, sub-ICBs, places; practice data also PCNs and
   practices; England from the national twin of the source when ``england: computed``);
3. applies the indicator's statistic from :mod:`ina.stats` with 95% and 99.8% limits;
4. repeats 1–3 by year for ``trend: true`` indicators (the Fingertips recent trend).

Periods: a dated numerator (deaths, births, activity) pools every year of the extract
(``all_years``) or takes the latest (``latest_year``); a snapshot denominator (the one
mid-year estimate) is multiplied by the number of years to give person-years, a dated
denominator is restricted to the same years.

The result is a long frame (:data:`RESULT_COLUMNS`): one row per indicator × area.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ina.errors import StatisticsError
from ina.indicators.areas import ENGLAND_AREA_ID, AreaRegistry, build_registry
from ina.indicators.catalogue import Catalogue, Indicator, load_catalogue
from ina.indicators.measures import ENGLAND_CODE, Measure
from ina.stats import (
    ESP2013,
    crude_rate,
    directly_standardised_rate,
    life_expectancy,
    proportion,
)

__all__ = [
    "ANNUAL_COLUMNS",
    "CONFIDENCE",
    "RESULT_COLUMNS",
    "EngineInputs",
    "annual_series",
    "compute_indicators",
    "period_label",
]

#: Both Fingertips levels: 95% for "similar/better/worse", 99.8% for the extremes.
CONFIDENCE = (0.95, 0.998)
_LIMITS = {
    "lower95_0cl": "lower_95",
    "upper95_0cl": "upper_95",
    "lower99_8cl": "lower_99_8",
    "upper99_8cl": "upper_99_8",
}
RESULT_COLUMNS = [
    "indicator_id",
    "area_id",
    "period",
    "numerator",
    "denominator",
    "value",
    "lower_95",
    "upper_95",
    "lower_99_8",
    "upper_99_8",
]
ANNUAL_COLUMNS = ["indicator_id", "area_id", "year", *RESULT_COLUMNS[3:]]

#: ESP2013's 19 five-year bands and the 20 start ages of the abridged life table.
FIVE_YEAR_BANDS: tuple[str, ...] = tuple(ESP2013.index.astype(str))
LIFE_TABLE_STARTS = (0, 1, *range(5, 95, 5))


@dataclass
class EngineInputs:
    """What the engine reads: the settings, the geography and a source loader.

    ``load`` returns the tidy frame of an ``ina.yml`` source (read once, cached here);
    ``periods`` gives the label of a snapshot source ("Mid-2022", "Apr 2026").
    """

    settings: Any
    geography: Any
    load: Callable[[str], pd.DataFrame]
    periods: dict[str, str] = field(default_factory=dict)
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _registry: AreaRegistry | None = field(default=None, repr=False)
    _rows_cache: dict[Any, Any] = field(default_factory=dict, repr=False)
    _area_cache: dict[Any, pd.DataFrame] = field(default_factory=dict, repr=False)

    def frame(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            self._frames[name] = self.load(name)
        return self._frames[name]

    @property
    def registry(self) -> AreaRegistry:
        if self._registry is None:
            names: dict[str, str] = {}
            if "practice_map" in self.settings.source_names():
                mapped = self.frame("practice_map")
                names = dict(
                    zip(
                        mapped["sub_icb_code"].astype(str),
                        mapped["sub_icb_name"].astype(str),
                        strict=False,
                    )
                )
            self._registry = build_registry(self.geography, sub_icb_names=names)
        return self._registry

    @classmethod
    def from_context(cls, context: Any) -> EngineInputs:
        """The inputs of a chapter context (any area: the engine computes all of them)."""
        return cls(
            settings=context.settings,
            geography=context.geography,
            load=context.source,
            periods=snapshot_periods(context.settings, context.source),
        )


def snapshot_periods(settings: Any, load: Callable[[str], pd.DataFrame]) -> dict[str, str]:
    """Period labels of the snapshot sources: "Mid-2022" from the SAPE file name, and the
    month of the registrations extract."""
    import re
    from pathlib import Path

    periods: dict[str, str] = {}
    names = settings.source_names()
    if "resident_population" in names:
        found = re.findall(
            r"(?<!\d)(20\d\d)(?!\d)", Path(str(settings.source_path("resident_population"))).name
        )
        periods["resident_population"] = f"Mid-{found[-1]}" if found else "Mid-year estimate"
    for name in ("qof_prevalence", "qof_achievement"):
        if name in names:
            # PREVALENCE_2425.csv → "2024-25", the QOF year of the file.
            stem = Path(str(settings.source_path(name))).name
            found = re.findall(r"(?<!\d)(\d\d)(\d\d)(?!\d)", stem)
            periods[name] = f"20{found[-1][0]}-{found[-1][1]}" if found else "Latest QOF year"
    if "cvdprevent" in names:
        published = load("cvdprevent")["period"].dropna().astype(str)
        periods["cvdprevent"] = published.iloc[0] if len(published) else "Latest"
    for name, column in (("gp_record_flags", "extract_date"), ("screening", "period_end")):
        if name in names:
            when = pd.to_datetime(load(name)[column], errors="coerce").max()
            periods[name] = when.strftime("%b %Y") if pd.notna(when) else "Latest extract"
    if "registered_by_age" in names:
        extract = pd.to_datetime(load("registered_by_age")["extract_date"], errors="coerce").max()
        periods["registered_by_age"] = (
            extract.strftime("%b %Y") if pd.notna(extract) else "Latest extract"
        )
    return periods


def period_label(first: int, last: int) -> str:
    """``2020-24`` for a pooled period, ``2024`` for one year (the Fingertips style)."""
    return str(first) if first == last else f"{first}-{str(last)[-2:]}"


# --- measures -> area totals -----------------------------------------------------------------


def _years_of(measure: Measure, frame: pd.DataFrame) -> pd.Series | None:
    kind = measure.kind
    if kind is None:
        return None
    if kind.date is not None:
        years = pd.to_datetime(frame[kind.date], errors="coerce").dt.year
        if years.isna().any():
            raise StatisticsError(f"{measure.source}: {kind.date} must all be valid dates")
        return years.astype(int)
    if kind.year is not None:
        return frame[kind.year].astype(int)
    return None


def _with_attributes(measure: Measure, frame: pd.DataFrame, inputs: EngineInputs) -> pd.DataFrame:
    """Join small-area attributes a filter names (``imd_decile`` from the IoD)."""
    if measure.condition("imd_decile") is None or "imd_decile" in frame:
        return frame
    deciles = inputs.frame("deprivation").set_index("lsoa_code")["imd_decile"]
    decile = frame["lsoa_code"].map(deciles)
    in_icb = frame["lsoa_code"].isin(inputs.registry.small_areas["lsoa_code"])
    missing = decile.isna() & in_icb
    if missing.any():
        raise StatisticsError(
            f"small area {frame.loc[missing, 'lsoa_code'].iloc[0]} has no IMD decile (check the "
            "deprivation file and the lookup use the same LSOA codes)"
        )
    return frame.assign(imd_decile=decile)


@dataclass(frozen=True)
class _Rows:
    """A measure's rows: unit code, year (or -1), sex, age, weight."""

    frame: pd.DataFrame
    dated: bool
    born_at: str


def _measure_rows(measure: Measure, inputs: EngineInputs, *, england: bool = False) -> _Rows | None:
    """The filtered rows of a measure (England's from the source's national twin)."""
    key = (measure, england)
    if key not in inputs._rows_cache:
        inputs._rows_cache[key] = _read_measure_rows(measure, inputs, england=england)
    return inputs._rows_cache[key]


def _source_base(
    source: str, inputs: EngineInputs, *, england: bool
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """A source's rows of the ICB's units (or England's rows of its national twin), and
    their unit, year, sex, age and default weight, worked out once per build."""
    key = ("base", source, england)
    if key in inputs._rows_cache:
        return inputs._rows_cache[key]
    from ina.indicators.measures import SOURCE_KINDS

    kind = SOURCE_KINDS[source]
    result: tuple[pd.DataFrame, pd.DataFrame] | None = None
    if england:
        if kind.england is not None and kind.england[0] in inputs.settings.source_names():
            twin, code_column = kind.england
            frame = inputs.frame(twin)
            frame = frame[frame[code_column] == ENGLAND_CODE].reset_index(drop=True)
            if not frame.empty:
                result = (frame, _base_columns(frame, kind, ENGLAND_AREA_ID, source))
    else:
        frame = inputs.frame(source)
        unit_column, members = inputs.registry.membership(kind.born_at)
        units = frame[kind.unit_column].astype(str)
        inside = units.isin(set(members[unit_column])).to_numpy()
        frame = frame[inside].reset_index(drop=True)
        result = (frame, _base_columns(frame, kind, units.to_numpy()[inside], source))
    inputs._rows_cache[key] = result
    return result


def _base_columns(frame: pd.DataFrame, kind: Any, unit: object, source: str) -> pd.DataFrame:
    base = pd.DataFrame({"unit": unit}, index=frame.index)
    measure = Measure(text=source, source=source)
    years = _years_of(measure, frame)
    base["year"] = years.to_numpy() if years is not None else -1
    base["weight"] = measure.weights(frame)
    if "sex" in frame:
        base["sex"] = frame["sex"].astype(str).to_numpy()
    if kind.age_band is not None:
        base["age_band"] = frame[kind.age_band].astype(str).to_numpy()
    elif "age" in frame:
        base["age"] = pd.to_numeric(frame["age"], errors="coerce").to_numpy()
    return base


def _read_measure_rows(measure: Measure, inputs: EngineInputs, *, england: bool) -> _Rows | None:
    kind = measure.kind
    assert kind is not None and measure.source is not None
    found = _source_base(measure.source, inputs, england=england)
    if found is None:
        return None
    frame, base = found
    if not england:
        frame = _with_attributes(measure, frame, inputs)
    keep = measure.rows(frame)
    out = base[keep].reset_index(drop=True)
    if measure.sum is not None:
        out["weight"] = measure.weights(frame)[keep]
    return _Rows(out, kind.date is not None or kind.year is not None, kind.born_at)


def _to_areas(
    rows: pd.DataFrame, born_at: str, inputs: EngineInputs, *, england: bool
) -> pd.DataFrame:
    """Attach every area each row's unit belongs to (rows repeat once per area)."""
    if england:
        return rows.assign(area_id=rows["unit"])
    unit_column, members = inputs.registry.membership(born_at)
    merged = rows.merge(members.rename(columns={unit_column: "unit"}), on="unit", how="inner")
    return merged


def _area_rows(
    rows: _Rows, inputs: EngineInputs, *, england: bool, years: list[int], detail: str | None
) -> pd.DataFrame:
    """A measure's rows of the chosen years, summed by unit × year (× the age detail the
    statistic needs: ``band`` for a DSR, ``life`` for a life table), then attached to every
    area. Cached: many indicators share a denominator."""
    key = (id(rows), england, tuple(years), detail)
    cached = inputs._area_cache.get(key)
    if cached is not None:
        return cached
    frame = rows.frame
    if rows.dated:
        frame = frame[frame["year"].isin(years)]
    keys = ["unit", "year"]
    if detail == "band":
        if "age_band" not in frame:
            frame = frame.assign(age_band=_band(frame["age"]))
        keys.append("age_band")
    elif detail == "life":
        frame = frame.assign(start_age=_life_start(frame["age"]))
        keys.append("start_age")
    frame = frame.groupby(keys, sort=False, observed=True)["weight"].sum().reset_index()
    result = _to_areas(frame, rows.born_at, inputs, england=england)
    inputs._area_cache[key] = result
    return result


def _band(ages: pd.Series) -> np.ndarray:
    values = ages.to_numpy(dtype=float)
    starts = np.minimum(np.floor(values / 5) * 5, 90).astype(int)
    labels = np.array([f"{s}-{s + 4}" if s < 90 else "90+" for s in range(0, 95, 5)])
    return labels[starts // 5]


def _life_start(ages: pd.Series) -> np.ndarray:
    values = ages.to_numpy(dtype=int)
    return np.where(values == 0, 0, np.where(values < 5, 1, np.minimum(values // 5 * 5, 90)))


def _totals(frame: pd.DataFrame, keys: list[str], years: list[int] | None = None) -> pd.Series:
    """Sum of the weights by ``keys``; a frame without years (one estimate) is summed once
    and repeated for each of ``years`` when the keys ask for a year."""
    if "year" in keys and "year" not in frame:
        rest = [key for key in keys if key != "year"]
        once = frame.groupby(rest, sort=False, observed=True)["weight"].sum().reset_index()
        repeated = once.merge(pd.DataFrame({"year": years or []}), how="cross")
        return repeated.set_index(keys)["weight"]
    return frame.groupby(keys, sort=False, observed=True)["weight"].sum()


# --- statistics -------------------------------------------------------------------------------


def _finish(frame: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    out = frame.rename(
        columns={
            **_LIMITS,
            "x": "numerator",
            "n": "denominator",
            "total_count": "numerator",
            "total_pop": "denominator",
        }
    )
    for column in ["numerator", "denominator", "value", *_LIMITS.values()]:
        if column not in out:
            out[column] = np.nan
    return out.assign(indicator_id=indicator.id)


def _simple(indicator: Indicator, x: pd.Series, n: pd.Series | None) -> pd.DataFrame:
    """Count, ratio, proportion or crude rate from area (× year) totals."""
    keys = list(x.index.names)
    frame = x.rename("x").to_frame()
    if n is not None:
        frame = frame.join(n.rename("n"), how="right").fillna({"x": 0.0})
        frame = frame[frame["n"] > 0]
    frame = frame.reset_index()
    method = indicator.method
    if method == "count":
        return _finish(frame.assign(value=frame["x"], n=np.nan), indicator)
    if method == "ratio":
        return _finish(
            frame.assign(value=frame["x"] / frame["n"] * indicator.multiplier), indicator
        )
    if frame.empty:
        return _finish(frame.assign(value=np.nan), indicator)
    if method == "proportion_wilson":
        result = proportion(
            frame, "x", "n", multiplier=indicator.multiplier, group_by=keys, confidence=CONFIDENCE
        )
    else:
        result = crude_rate(
            frame, "x", "n", multiplier=indicator.multiplier, group_by=keys, confidence=CONFIDENCE
        )
    return _finish(result, indicator)


def _every_band(
    events: pd.DataFrame,
    people: pd.DataFrame,
    keys: list[str],
    years: list[int],
    band: str,
    bands: list[Any],
    names: tuple[str, str],
) -> pd.DataFrame:
    """Events and people of every group × every band (0 where there are none), as a
    standardisation or a life table must see all of its bands."""
    x = _totals(events, [*keys, band]).rename(names[0])
    n = _totals(people, [*keys, band], years).rename(names[1])
    groups = n.reset_index()[keys].drop_duplicates()
    grid = groups.merge(pd.DataFrame({band: bands}), how="cross")
    return (
        grid.merge(n.reset_index(), on=[*keys, band], how="left")
        .merge(x.reset_index(), on=[*keys, band], how="left")
        .fillna({names[0]: 0.0, names[1]: 0.0})
    )


def _dsr(
    indicator: Indicator,
    events: pd.DataFrame,
    people: pd.DataFrame,
    keys: list[str],
    years: list[int],
) -> pd.DataFrame:
    low, high = indicator.age_range or (0, 200)
    bands = [b for b in FIVE_YEAR_BANDS if low <= int(b.rstrip("+").split("-")[0]) <= high]
    table = _every_band(events, people, keys, years, "age_band", bands, ("x", "n"))
    table = table[table.groupby(keys)["n"].transform("sum") > 0]
    if table.empty:
        return _finish(table.assign(value=np.nan), indicator)
    result = directly_standardised_rate(
        table,
        "x",
        "n",
        standard_population=ESP2013.loc[bands],
        group_by=keys,
        age_band="age_band",
        multiplier=indicator.multiplier,
        confidence=CONFIDENCE,
    )
    return _finish(result, indicator)


def _life_table(
    indicator: Indicator,
    events: pd.DataFrame,
    people: pd.DataFrame,
    keys: list[str],
    years: list[int],
) -> pd.DataFrame:
    table = _every_band(
        events, people, keys, years, "start_age", list(LIFE_TABLE_STARTS), ("deaths", "population")
    )
    result = life_expectancy(
        table, "deaths", "population", "start_age", group_by=keys, le_age=0, confidence=CONFIDENCE
    )
    sums = table.groupby(keys, sort=False)[["deaths", "population"]].sum()
    sums = sums.rename(columns={"deaths": "x", "population": "n"}).reset_index()
    result = result.drop(columns=["x", "n"], errors="ignore").merge(sums, on=keys, how="left")
    return _finish(result, indicator)


def _compute(indicator: Indicator, inputs: EngineInputs, *, annual: bool) -> pd.DataFrame:
    """One indicator for every area (and per year when ``annual``)."""
    from ina.indicators.recipes import RECIPES

    if indicator.recipe is not None:
        return RECIPES[indicator.recipe](indicator, inputs, annual=annual)
    if indicator.method == "published":
        from ina.indicators.published import fingertips_published

        return fingertips_published(indicator, inputs, annual=annual)
    parts = []
    for england in (False, True):
        if england and indicator.england != "computed":
            continue
        numerator = _measure_rows(indicator.numerator_measure, inputs, england=england)
        denominator = (
            _measure_rows(indicator.denominator_measure, inputs, england=england)
            if indicator.denominator_measure.source is not None
            else None
        )
        if numerator is None or (indicator.method != "count" and denominator is None):
            continue
        parts.append(
            _compute_rows(indicator, inputs, numerator, denominator, annual=annual, england=england)
        )
    if not parts:
        return pd.DataFrame(columns=[*RESULT_COLUMNS, "year"])
    return pd.concat(parts, ignore_index=True)


def _select_years(indicator: Indicator, numerator: _Rows) -> list[int]:
    if not numerator.dated:
        return [-1]
    years = sorted(set(numerator.frame["year"].tolist()))
    if not years:
        return []
    if indicator.pooling == "latest_year":
        return [years[-1]]
    if indicator.pooling == "last_3_years":
        return list(range(max(years[0], years[-1] - 2), years[-1] + 1))
    return list(range(years[0], years[-1] + 1))


def _compute_rows(
    indicator: Indicator,
    inputs: EngineInputs,
    numerator: _Rows,
    denominator: _Rows | None,
    *,
    annual: bool,
    england: bool,
) -> pd.DataFrame:
    years = _select_years(indicator, numerator)
    if not years:
        return pd.DataFrame(columns=[*RESULT_COLUMNS, "year"])
    method = indicator.method
    detail = {"dsr_esp2013": "band", "life_expectancy_chiang": "life"}.get(method)
    events = _area_rows(numerator, inputs, england=england, years=years, detail=detail)
    people = None
    if denominator is not None:
        people = _area_rows(denominator, inputs, england=england, years=years, detail=detail)
        if not denominator.dated:
            # One estimate for every year: person-years for a pooled period; each year's
            # denominator is the same estimate for an annual series.
            people = people.drop(columns="year")
            if not annual:
                people = people.assign(weight=people["weight"] * len(years))
    keys = ["area_id", "year"] if annual else ["area_id"]
    if method == "dsr_esp2013":
        result = _dsr(indicator, events, people, keys, years)
    elif method == "life_expectancy_chiang":
        result = _life_table(indicator, events, people, keys, years)
    else:
        x = _totals(events, keys)
        n = _totals(people, keys, years) if people is not None else None
        if annual and n is None:
            grid = pd.MultiIndex.from_product(
                [x.index.get_level_values(0).unique(), years], names=keys
            )
            x = x.reindex(grid, fill_value=0.0)
        if n is not None and indicator.parameter("denominator_includes_numerator", False):
            # e.g. stillbirths per 1,000 *total* births: live births (the denominator's
            # source) plus the stillbirths themselves (the numerator's).
            n = n.add(x.reindex(n.index.union(x.index)), fill_value=0.0)
        if indicator.method == "proportion_wilson" and n is not None:
            n = n[n > 0]
        result = _simple(indicator, x, n)
    if annual:
        result["year"] = result["year"].astype(int)
        result["period"] = result["year"].astype(str)
    else:
        result["period"] = _period_text(indicator, inputs, years)
    return result


def _period_text(indicator: Indicator, inputs: EngineInputs, years: list[int]) -> str:
    if years == [-1]:
        return inputs.periods.get(indicator.numerator_measure.source or "", "Latest")
    return period_label(years[0], years[-1])


def _ordered(
    results: pd.DataFrame, catalogue: Catalogue, inputs: EngineInputs, extra: list[str]
) -> pd.DataFrame:
    order = {indicator_id: i for i, indicator_id in enumerate(catalogue.ids)}
    area_order = inputs.registry.order()
    results = results.assign(
        _i=results["indicator_id"].map(order),
        _a=results["area_id"].map(area_order).fillna(len(area_order)),
    ).sort_values(["_i", "_a", *extra], kind="stable")
    return results.drop(columns=["_i", "_a"]).reset_index(drop=True)


def compute_indicators(inputs: EngineInputs, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Every indicator of the catalogue whose sources are configured, for every area.

    Returns :data:`RESULT_COLUMNS`, indicators in catalogue order and areas in registry
    order (England first). Areas with no denominator are left out (their value is "not
    available"), never shown as 0.
    """
    catalogue = (catalogue or load_catalogue()).supported_by(inputs.settings.source_names())
    parts = [_compute(indicator, inputs, annual=False) for indicator in catalogue]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    return _ordered(pd.concat(parts, ignore_index=True), catalogue, inputs, [])[RESULT_COLUMNS]


def annual_series(inputs: EngineInputs, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Every ``trend: true`` indicator for every area and year (:data:`ANNUAL_COLUMNS`).

    The same statistic as the pooled value, grouped by area × year; each year's snapshot
    denominator is the one estimate the extracts hold. A DSR with fewer than 10 events in
    a year is missing (Fingertips' rule), never filled in.
    """
    catalogue = (catalogue or load_catalogue()).supported_by(inputs.settings.source_names())
    trending = catalogue.only([i.id for i in catalogue if i.trend])
    parts = [_compute(indicator, inputs, annual=True) for indicator in trending]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=ANNUAL_COLUMNS)
    return _ordered(pd.concat(parts, ignore_index=True), trending, inputs, ["year"])[ANNUAL_COLUMNS]
