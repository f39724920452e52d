"""The six Live Well chapters (Start, Feel, Be, Stay, Age, Die Well), from the catalogue.

Why one module for six chapters: the PHIP organises every outcome by the life course, and
each chapter shows the same things for its indicators — the area's value with its
interval, the comparator, the comparison, the trend and the target; the places side by
side; the practices in a funnel plot where the data are born at practices; and key
findings computed from those numbers. Writing that once means a new indicator appears in
its chapter by adding a catalogue entry (``definitions/<chapter>.yml``), never code.

Every number comes from :func:`ina.indicators.publish.published_indicators`: the same
values, comparisons and trends as ``indicators.csv``, with the same cells hidden, so the
chapter tables, the charts, the summary and the downloads cannot disagree.

An ICB report compares the ICB with England and shows its places; a place report compares
the place with the ICB (and shows England), ranks it among the places and highlights its
practices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ina.indicators import CHAPTERS, SECTIONS, Catalogue, Indicator
from ina.indicators.engine import RESULT_COLUMNS
from ina.stats.benchmarking import NOT_COMPARED, benchmark_style

__all__ = [
    "ChapterData",
    "chapter_data",
    "funnel_frame",
    "has_funnel",
    "indicator_table",
    "key_findings",
    "places_frame",
    "section_ids",
    "target_rows",
]

ICB_ID = "icb"
ENGLAND_ID = "england"
#: Published values that are not numbers read as words, never as nan.
NOT_AVAILABLE = "not available"
_WORSE = {"worse", "worst"}
_BETTER = {"better", "best"}


@dataclass(frozen=True)
class ChapterData:
    """One chapter's indicators and their published rows (every area).

    ``values``: the numeric indicator rows with every hidden cell set to NaN and a
    ``hidden`` flag (True where the value is hidden); ``catalogue``: the chapter's
    indicators whose sources are configured, in catalogue order.
    """

    chapter: str
    catalogue: Catalogue
    values: pd.DataFrame

    @property
    def title(self) -> str:
        return CHAPTERS[self.chapter]

    def indicator(self, indicator_id: str) -> Indicator:
        return self.catalogue[indicator_id]

    def area(self, area_id: str) -> pd.DataFrame:
        return self.values[self.values["area_id"] == area_id].set_index("indicator_id")


def chapter_data(
    table: pd.DataFrame, mask: pd.DataFrame, catalogue: Catalogue, chapter: str
) -> ChapterData:
    """The chapter's rows of the published indicator table, hidden cells as NaN."""
    mine = catalogue.only([i.id for i in catalogue if i.chapter == chapter])
    keep = table["indicator_id"].isin(mine.ids).to_numpy()
    values = table[keep].copy()
    hidden = mask[keep]
    numeric = [*RESULT_COLUMNS[3:], "comparator_value"]  # counts, value and limits
    for column in numeric:
        values[column] = pd.to_numeric(values[column], errors="coerce").where(
            ~hidden[column].to_numpy(), np.nan
        )
    values["hidden"] = hidden["value"].to_numpy()
    values["comparison"] = (
        values["comparison"].astype(object).where(~hidden["comparison"].to_numpy(), NOT_COMPARED)
    )
    values["target_status"] = (
        values["target_status"].astype(object).where(~hidden["target_status"].to_numpy(), None)
    )
    return ChapterData(chapter=chapter, catalogue=mine, values=values.reset_index(drop=True))


def section_ids(data: ChapterData) -> dict[str, list[str]]:
    """Section heading → indicator ids with at least one published row, in catalogue order."""
    present = set(data.values["indicator_id"])
    out: dict[str, list[str]] = {}
    for indicator in data.catalogue:
        if indicator.id in present:
            out.setdefault(SECTIONS[indicator.section], []).append(indicator.id)
    return out


# --- text -------------------------------------------------------------------------------------


def _value_text(indicator: Indicator, row: pd.Series | None, marker: str) -> str:
    if row is None:
        return NOT_AVAILABLE
    if bool(row.get("hidden", False)):
        return marker
    value = row["value"]
    if not np.isfinite(value):
        return NOT_AVAILABLE
    text = indicator.format(value)
    low, high = row.get("lower_95", np.nan), row.get("upper_95", np.nan)
    if np.isfinite(low) and np.isfinite(high):
        text += f" ({indicator.format(low)} to {indicator.format(high)})"
    return text


def _comparison_text(label: object) -> str:
    label = str(label) if label is not None and label == label else NOT_COMPARED
    style = benchmark_style(label)
    return f"{style.symbol} {label}"


def _row(frame: pd.DataFrame, indicator_id: str) -> pd.Series | None:
    if indicator_id not in frame.index:
        return None
    found = frame.loc[indicator_id]
    return found.iloc[0] if isinstance(found, pd.DataFrame) else found


def indicator_table(
    data: ChapterData,
    indicator_ids: Sequence[str],
    *,
    area_id: str,
    marker: str,
) -> pd.DataFrame:
    """One row per indicator of a section for ``area_id``, as text cells ready to publish.

    Columns (at most 7, an A4 page): ``indicator`` (short name and period), ``value`` (95%
    CI), ``icb`` (a place's report only), ``england``, ``comparison`` (with the ICB
    for a place, with England or the catalogue's benchmark for the ICB: symbol and word),
    ``trend`` (Fingertips recent trend) and ``target`` (headline target and status).
    Hidden values show ``marker``; values nobody published read "not available".
    """
    own, icb, england = data.area(area_id), data.area(ICB_ID), data.area(ENGLAND_ID)
    records = []
    for indicator_id in indicator_ids:
        indicator = data.indicator(indicator_id)
        row = _row(own, indicator_id)
        period = str(row["period"]) if row is not None else NOT_AVAILABLE
        record = {
            "indicator": f"{indicator.short_name}, {period}",
            "value": _value_text(indicator, row, marker),
        }
        if area_id != ICB_ID:
            record["icb"] = _value_text(indicator, _row(icb, indicator_id), marker)
        record["england"] = _value_text(indicator, _row(england, indicator_id), marker)
        record["comparison"] = _comparison_text(row["comparison"] if row is not None else None)
        trend = row.get("trend") if row is not None else None
        record["trend"] = str(trend) if isinstance(trend, str) and trend else "Cannot be calculated"
        record["target"] = _target_text(indicator, row)
        records.append(record)
    return pd.DataFrame.from_records(records)


def _target_text(indicator: Indicator, row: pd.Series | None) -> str:
    if not indicator.targets:
        return "none set"
    target = indicator.targets[0]
    status = row.get("target_status") if row is not None else None
    status_text = status if isinstance(status, str) and status else "cannot be assessed"
    unit = "%" if indicator.unit == "%" else f" {indicator.unit}"
    return f"{target.label}{unit} ({target.plan}): {status_text}"


# --- charts' data -----------------------------------------------------------------------------


def places_frame(
    data: ChapterData,
    indicator_ids: Sequence[str],
    place_names: dict[str, str],
    *,
    icb_name: str = "ICB",
) -> pd.DataFrame:
    """The values of the ICB and every place for each indicator (the places-compared chart
    and its CSV twin): ``indicator_id, indicator, area_id, area, value, lower_95,
    upper_95, numerator, comparison, england``. Hidden values are NaN (drawn as gaps)."""
    england = data.area(ENGLAND_ID)["value"]
    wanted = [ICB_ID, *place_names]
    rows = data.values[
        data.values["indicator_id"].isin(list(indicator_ids)) & data.values["area_id"].isin(wanted)
    ]
    names = {ICB_ID: "ICB", **place_names}
    order = {area: i for i, area in enumerate(wanted)}
    # Every indicator shows every area (a missing or hidden value is a labelled gap), so
    # the panels share one row order.
    grid = pd.MultiIndex.from_product(
        [list(indicator_ids), wanted], names=["indicator_id", "area_id"]
    )
    present = rows.set_index(["indicator_id", "area_id"])
    rows = present[~present.index.duplicated()].reindex(grid).reset_index()
    rows["hidden"] = rows["hidden"].astype("boolean").fillna(False).astype(bool)
    rows["comparison"] = rows["comparison"].fillna(NOT_COMPARED)
    rows["period"] = rows["period"].fillna("")
    indicator_order = {indicator_id: i for i, indicator_id in enumerate(indicator_ids)}
    out = pd.DataFrame(
        {
            "indicator_id": rows["indicator_id"].to_numpy(),
            "indicator": [data.indicator(i).short_name for i in rows["indicator_id"]],
            "area_id": rows["area_id"].to_numpy(),
            "area": rows["area_id"].map(names).to_numpy(),
            "period": rows["period"].astype(str).to_numpy(),
            "value": rows["value"].to_numpy(dtype=float),
            "lower_95": rows["lower_95"].to_numpy(dtype=float),
            "upper_95": rows["upper_95"].to_numpy(dtype=float),
            "numerator": rows["numerator"].to_numpy(dtype=float),
            "comparison": rows["comparison"].astype(str).to_numpy(),
            "england": rows["indicator_id"].map(england).to_numpy(dtype=float),
            "hidden": rows["hidden"].to_numpy(dtype=bool),
        }
    )
    out = out.assign(
        _i=out["indicator_id"].map(indicator_order), _a=out["area_id"].map(order)
    ).sort_values(["_i", "_a"], kind="stable")
    return out.drop(columns=["_i", "_a"]).reset_index(drop=True)


def has_funnel(indicator: Indicator) -> bool:
    """True for practice-born proportions: practice variation is what the JFP acts on, and
    PHEindicatormethods' proportion funnel applies."""
    return indicator.born_at == "practice" and indicator.method == "proportion_wilson"


def funnel_frame(
    data: ChapterData,
    indicator_id: str,
    practices: pd.DataFrame,
    *,
    highlight: Sequence[str] = (),
) -> pd.DataFrame:
    """The practices of a practice-born proportion for a funnel plot: ``practice_code,
    practice, numerator, denominator, value, in_area`` (hidden practices left out: a
    practice whose count is hidden is not drawn, and its row says so in the CSV)."""
    names = dict(zip(practices["practice_code"], practices["practice_name"], strict=False))
    rows = data.values[
        (data.values["indicator_id"] == indicator_id) & (data.values["area_type"] == "practice")
    ]
    return pd.DataFrame(
        {
            "practice_code": rows["area_id"].to_numpy(),
            "practice": rows["area_id"].map(names).to_numpy(),
            "numerator": rows["numerator"].to_numpy(dtype=float),
            "denominator": rows["denominator"].to_numpy(dtype=float),
            "value": rows["value"].to_numpy(dtype=float),
            "in_area": rows["area_id"].isin(list(highlight)).to_numpy(),
        }
    ).reset_index(drop=True)


# --- key findings -----------------------------------------------------------------------------


def _gap(indicator: Indicator, row: pd.Series) -> float:
    """How far the value is from its comparator, relative to the comparator (for ranking)."""
    comparator = row.get("comparator_value", np.nan)
    if not np.isfinite(comparator) or comparator == 0:
        return 0.0
    return abs(float(row["value"]) - float(comparator)) / abs(float(comparator))


def key_findings(
    data: ChapterData,
    *,
    area_id: str,
    area_name: str,
    comparator_name: str,
    place_names: dict[str, str],
    limit: int = 3,
) -> list[str]:
    """Sentences computed from the chapter's numbers: where the area is worse or better
    than its comparator (largest gaps first), the places' extremes, the targets."""
    own = data.area(area_id)
    compared = own[own["comparison"].isin(list(_WORSE | _BETTER | {"similar"}))]
    sentences: list[str] = []
    total = len(compared)
    if total:
        worse = compared[compared["comparison"].isin(list(_WORSE))]
        better = compared[compared["comparison"].isin(list(_BETTER))]

        def named(rows: pd.DataFrame) -> str:
            ranked = sorted(rows.index, key=lambda i: -_gap(data.indicator(i), rows.loc[i]))[:limit]
            parts = []
            for indicator_id in ranked:
                indicator, row = data.indicator(indicator_id), rows.loc[indicator_id]
                parts.append(
                    f"{indicator.short_name} ({indicator.format(row['value'])} against "
                    f"{indicator.format(row['comparator_value'])})"
                )
            return "; ".join(parts)

        sentences.append(
            f"{area_name} is significantly worse than {comparator_name} on {len(worse)} and "
            f"better on {len(better)} of the {total} {data.title} indicators that could be "
            "compared."
        )
        if len(worse):
            sentences.append(f"The largest gaps where {area_name} is worse: {named(worse)}.")
        if len(better):
            sentences.append(f"Where {area_name} does best: {named(better)}.")
    else:
        sentences.append(
            f"No {data.title} indicator of {area_name} could be compared with "
            f"{comparator_name} (no interval or no comparator value)."
        )
    if place_names:
        sentences += _place_extremes(data, area_id=area_id, place_names=place_names)
    statuses = own["target_status"].dropna()
    statuses = statuses[statuses.astype(str) != ""]
    if len(statuses):
        counts = statuses.value_counts()
        text = ", ".join(f"{n} {label}" for label, n in counts.items())
        sentences.append(f"Headline targets of this chapter for {area_name}: {text}.")
    return sentences


def _place_extremes(data: ChapterData, *, area_id: str, place_names: dict[str, str]) -> list[str]:
    """For the ICB, the widest relative range between places; for a place, how many
    indicators it is the worst place on (polarity-aware)."""
    rows = data.values[data.values["area_id"].isin(list(place_names))]
    rows = rows[np.isfinite(rows["value"].to_numpy(dtype=float))]
    if rows.empty:
        return []
    if area_id == ICB_ID:
        best: tuple[float, str, pd.Series, pd.Series] | None = None
        for indicator_id, group in rows.groupby("indicator_id", sort=False):
            if len(group) < 2:
                continue
            low, high = group.loc[group["value"].idxmin()], group.loc[group["value"].idxmax()]
            if low["value"] <= 0:
                continue
            spread = float(high["value"] / low["value"])
            if best is None or spread > best[0]:
                best = (spread, str(indicator_id), low, high)
        if best is None:
            return []
        spread, indicator_id, low, high = best
        indicator = data.indicator(indicator_id)
        return [
            f"The places differ most on {indicator.short_name}: from "
            f"{indicator.format(low['value'])} in {place_names[low['area_id']]} to "
            f"{indicator.format(high['value'])} in {place_names[high['area_id']]} "
            f"({spread:.1f} times)."
        ]
    worst: list[str] = []
    counted = 0
    for indicator_id, group in rows.groupby("indicator_id", sort=False):
        indicator = data.indicator(str(indicator_id))
        polarity = indicator.polarity.value
        if polarity == "no judgement" or len(group) < 2 or area_id not in set(group["area_id"]):
            continue
        counted += 1
        pick = group["value"].idxmax() if polarity == "low is good" else group["value"].idxmin()
        if group.loc[pick, "area_id"] == area_id:
            worst.append(indicator.short_name)
    if not counted:
        return []
    name = place_names[area_id]
    if not worst:
        return [f"{name} is not the worst place on any of the {counted} ranked indicators."]
    listed = "; ".join(worst[:5]) + ("; …" if len(worst) > 5 else "")
    return [
        f"{name} has the worst value of the {len(place_names)} places on {len(worst)} of "
        f"{counted} ranked indicators: {listed}."
    ]


def target_rows(targets: pd.DataFrame, catalogue: Catalogue, *, area_id: str) -> pd.DataFrame:
    """Every target of the chapter's indicators for one area (the progress table)."""
    mine = targets[targets["indicator_id"].isin(catalogue.ids) & (targets["area_id"] == area_id)]
    return mine.reset_index(drop=True)
