"""The life-course summary: targets, opportunities and red-reds across every chapter.

Why a module beside :mod:`ina.chapters.summary`: the summary's tables and spine show each
indicator; a place lead and an ICB board also ask "are we on track against the plans'
targets?", "where would levelling up gain most people?" and "what is worse than England
and getting worse?". Those answers are derived from the same published indicators
(:func:`ina.indicators.publish.published_indicators`), never recomputed, and are data
driven: the targets come from the catalogue (plus the plans' service KPIs in
``kpi_targets.yml``, which the INA lists but cannot assess), the opportunities from
``opportunities.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ina.errors import InputError
from ina.indicators import CHAPTERS, Catalogue
from ina.indicators.opportunities import levelling_up

__all__ = [
    "KPI_NOT_ASSESSED",
    "OpportunitySpec",
    "core20_practices",
    "kpi_targets",
    "load_opportunities",
    "matrix_data",
    "opportunity_table",
    "red_red_table",
    "rounded_people",
    "target_register",
]

_HERE = Path(__file__).resolve().parents[1] / "indicators"
KPI_FILE = _HERE / "kpi_targets.yml"
OPPORTUNITIES_FILE = _HERE / "opportunities.yml"
KPI_NOT_ASSESSED = "not assessed: operational KPI, not in the INA's extracts"
ICB_ID = "icb"


@dataclass(frozen=True)
class OpportunitySpec:
    """One opportunity calculation of ``opportunities.yml``."""

    id: str
    indicator: str
    benchmark: str
    gain: str
    source: str
    target: float | None = None


@cache
def _opportunities_file() -> dict[str, Any]:
    return yaml.safe_load(OPPORTUNITIES_FILE.read_text(encoding="utf-8"))


def load_opportunities(catalogue: Catalogue) -> tuple[list[OpportunitySpec], float]:
    """The opportunity specs whose indicator is in ``catalogue``, and the Core20 practice
    share rule. An entry naming an unknown indicator is an error (it would silently drop)."""
    raw = _opportunities_file()
    known = {indicator.id for indicator in _all_ids()}
    specs = []
    for number, entry in enumerate(raw["opportunities"], start=1):
        if entry["indicator"] not in known:
            raise InputError(
                str(OPPORTUNITIES_FILE),
                f"opportunity {entry['id']!r} names an unknown indicator",
                row=number,
                column="indicator",
                expected="a catalogue id",
                found=entry["indicator"],
            )
        if entry["indicator"] in catalogue.ids:
            specs.append(OpportunitySpec(**entry))
    return specs, float(raw["core20_practice_share"])


def _all_ids() -> Catalogue:
    from ina.indicators import load_catalogue

    return load_catalogue()


def kpi_targets() -> pd.DataFrame:
    """Every target of the plans' service KPIs: ``indicator, chapter, target, by, plan,
    area, section, source, status`` (status always :data:`KPI_NOT_ASSESSED`)."""
    raw = yaml.safe_load(KPI_FILE.read_text(encoding="utf-8"))
    rows = []
    for kpi in raw["kpis"]:
        for target in kpi["targets"]:
            rows.append(
                {
                    "indicator": kpi["measure"],
                    "chapter": CHAPTERS[kpi["chapter"]],
                    "target": f"{target['operator']} {target['value']:g} {target['unit']}",
                    "by": target["by"] or "no date",
                    "plan": f"{target['plan']} ({target['area']}) {target['section']}",
                    "value": "not held",
                    "status": KPI_NOT_ASSESSED,
                }
            )
    return pd.DataFrame(rows)


def target_register(
    targets: pd.DataFrame,
    published_table: pd.DataFrame,
    mask: pd.DataFrame,
    catalogue: Catalogue,
    *,
    area_id: str,
    marker: str,
) -> pd.DataFrame:
    """Progress against every quantified target for one area, as text cells.

    Indicator targets: the latest value (hidden → ``marker`` and no status), the target,
    its date, the plan and section, the status and, where it applies, the people or events
    short of the target (rounded: :func:`rounded_people`). JFP targets are set for Norfolk
    and Waveney, so the ICB report assesses them on sub-ICB 26A as well. Then the service
    KPIs, listed and marked not assessed.
    """
    hidden = pd.Series(
        mask["value"].to_numpy(dtype=bool),
        index=pd.MultiIndex.from_arrays(
            [published_table["indicator_id"], published_table["area_id"]]
        ),
    )
    rows = []
    for _, target in targets[targets["area_id"] == area_id].iterrows():
        indicator = catalogue[target["indicator_id"]]
        is_hidden = bool(hidden.get((target["indicator_id"], area_id), False))
        value = target["value"]
        if is_hidden:
            value_text, status, gap = marker, "not shown (suppressed)", ""
        elif np.isfinite(value):
            value_text = indicator.format(value)
            status = str(target["status"])
            gap = rounded_people(target["gap_people"]) if np.isfinite(target["gap_people"]) else ""
        else:
            value_text, status, gap = "not available", str(target["status"]), ""
        unit = "%" if indicator.unit == "%" else f" {indicator.unit}"
        rows.append(
            {
                "indicator": indicator.short_name,
                "chapter": CHAPTERS[indicator.chapter],
                "target": f"{target['target']}{unit}",
                "by": target["target_date"] or "no date",
                "plan": f"{target['plan']} ({target['plan_area']}) {target['section']}",
                "value": value_text + (f"; short by {gap}" if gap and status != "met" else ""),
                "status": status,
            }
        )
    table = pd.DataFrame(
        rows, columns=["indicator", "chapter", "target", "by", "plan", "value", "status"]
    )
    return pd.concat([table, kpi_targets()], ignore_index=True)


def rounded_people(number: float) -> str:
    """People or events gained, rounded as the JFP does (its figures are in hundreds):
    to the nearest 10 below 1,000 and the nearest 100 above, "fewer than 10" for small ones
    (so a derived total never discloses a small count)."""
    if not np.isfinite(number) or number < 0.5:
        return "none"
    if number < 10:
        return "fewer than 10"
    step = 10 if number < 1000 else 100
    return f"about {round(number / step) * step:,.0f}"


def core20_practices(
    registered_by_small_area: pd.DataFrame, deprivation: pd.DataFrame, *, share: float
) -> dict[str, bool]:
    """Practice → Core20 practice: at least ``share`` of its registered patients live in
    small areas of national IMD deciles 1-2."""
    deciles = deprivation.set_index("lsoa_code")["imd_decile"]
    frame = registered_by_small_area.assign(
        core20=registered_by_small_area["lsoa_code"].map(deciles).isin([1, 2])
    )
    totals = frame.groupby("practice_code")["patients"].sum()
    core = frame[frame["core20"]].groupby("practice_code")["patients"].sum()
    fraction = (core.reindex(totals.index).fillna(0) / totals.where(totals > 0)).fillna(0)
    return {str(code): bool(value >= share) for code, value in fraction.items()}


def opportunity_table(
    specs: list[OpportunitySpec],
    table: pd.DataFrame,
    catalogue: Catalogue,
    *,
    practices: list[str],
    core20: dict[str, bool],
    place_ids: list[str],
    area_id: str,
) -> pd.DataFrame:
    """Every opportunity for one area as text cells: what, benchmark, units below it,
    people gained (rounded), Core20 part and share, method.

    Units are the area's practices for practice-born indicators and the ICB's places (a
    place's report: the place itself) for small-area ones; their counts are the raw
    engine counts, and only rounded totals are published.
    """
    rows = []
    for spec in specs:
        indicator = catalogue[spec.indicator]
        mine = table[table["indicator_id"] == spec.indicator]
        if indicator.born_at == "practice":
            units = mine[(mine["area_type"] == "practice") & mine["area_id"].isin(practices)]
            unit_word = "practices"
        else:
            wanted = place_ids if area_id == ICB_ID else [area_id]
            units = mine[mine["area_id"].isin(wanted)]
            unit_word = "places" if area_id == ICB_ID else "area"
        units = units.assign(
            numerator=pd.to_numeric(units["numerator"], errors="coerce"),
            denominator=pd.to_numeric(units["denominator"], errors="coerce"),
        ).dropna(subset=["numerator", "denominator"])
        units = units[(units["denominator"] > 0) & (units["numerator"] <= units["denominator"])]
        if units.empty:
            continue
        units = units.assign(core20=units["area_id"].map(core20).fillna(False).astype(bool))
        given = None
        if spec.benchmark == "target":
            value = spec.target if spec.target is not None else indicator.targets[0].value
            given = value / indicator.multiplier
        elif spec.benchmark == "england":
            england = mine.loc[mine["area_id"] == "england", "value"]
            if england.empty or not np.isfinite(float(england.iloc[0])):
                continue
            given = float(england.iloc[0]) / indicator.multiplier
        higher = indicator.polarity.value != "low is good"
        found = levelling_up(units, spec.benchmark, given=given, higher_is_better=higher)
        core = (
            f"{rounded_people(found.core20_gained)} ({found.core20_share:.0%})"
            if unit_word == "practices" and found.gained > 0
            else "not applicable"
            if unit_word != "practices"
            else "none"
        )
        rows.append(
            {
                "opportunity": f"{spec.gain} ({indicator.short_name})",
                "benchmark": f"{found.benchmark * indicator.multiplier:.1f}"
                + ("%" if indicator.unit == "%" else f" {indicator.unit}")
                + f" ({spec.benchmark.replace('_', ' ')})",
                "below": f"{found.units_below} of {found.units} {unit_word}",
                "gained": rounded_people(found.gained),
                "core20": core,
                "source": spec.source,
            }
        )
    return pd.DataFrame(
        rows, columns=["opportunity", "benchmark", "below", "gained", "core20", "source"]
    )


def red_red_table(
    compared: pd.DataFrame,
    trends: pd.DataFrame,
    catalogue: Catalogue,
    red_reds: list[str],
    *,
    area_id: str,
) -> pd.DataFrame:
    """The area's red-reds (:func:`ina.chapters.summary.red_reds`) as text cells:
    indicator, chapter, value, comparison and trend."""
    own = compared[compared["area_id"] == area_id].set_index("indicator_id")
    trend = trends[trends["area_id"] == area_id].set_index("indicator_id")["trend"]
    rows = []
    for indicator_id in red_reds:
        indicator = catalogue[indicator_id]
        row = own.loc[indicator_id]
        rows.append(
            {
                "indicator": indicator.short_name,
                "chapter": CHAPTERS[indicator.chapter],
                "value": indicator.format(float(row["value"])),
                "comparison": str(row["comparison"]),
                "trend": str(trend.get(indicator_id, "")),
            }
        )
    return pd.DataFrame(rows, columns=["indicator", "chapter", "value", "comparison", "trend"])


def matrix_data(
    compared: pd.DataFrame,
    catalogue: Catalogue,
    chapter_name: str,
    *,
    area_names: dict[str, str],
) -> pd.DataFrame:
    """The indicator × place matrix of one chapter (:func:`ina.charts.matrix.
    indicator_matrix` input): ``indicator, chapter, area, comparison`` for the ICB (vs
    England) and every place (vs the ICB), hidden values already "not compared"."""
    mine = [i for i in catalogue if i.chapter == chapter_name and i.method != "count"]
    names = {i.id: i.short_name for i in mine}
    rows = compared[
        compared["indicator_id"].isin(list(names)) & compared["area_id"].isin(list(area_names))
    ]
    labels = rows["comparison"].astype(object)
    if "suppressed" in rows:
        labels = labels.where(~rows["suppressed"].astype(bool), "not compared")
    return pd.DataFrame(
        {
            "indicator": rows["indicator_id"].map(names).to_numpy(),
            "chapter": CHAPTERS[chapter_name],
            "area": rows["area_id"].map(area_names).to_numpy(),
            "comparison": labels.to_numpy(),
        }
    )
