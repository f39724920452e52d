"""The indicator catalogue: one validated definition per indicator, one file per chapter.

Why a catalogue: an INA is only as trustworthy as the definitions behind each number.
Keeping them as data (``definitions/<chapter>.yml``, packaged with ``ina``) means the
definitions table the report prints, the polarity the benchmarking uses, the filter the
engine counts with and the targets progress is measured against all come from one place
and cannot drift apart. Adding an indicator is a catalogue entry (plus, at most, a short
named recipe in :mod:`ina.indicators.recipes`), never a new function in a chapter.

Each :class:`Indicator` holds, as a Fingertips indicator definition does:

- identity: ``id``, ``short_name``, ``phrase`` (for sentences), ``definition``, ``chapter``
  (the file it is in), the summary ``section`` and the PHIP life-course domain;
- the numerator and denominator (:class:`~ina.indicators.measures.Measure`): words, and the
  source extract, filter (age, sex, ICD-10 codes, thresholds) and counted or summed;
- the ``statistic`` (:data:`METHODS`, each mapped to ``ina.stats``), its ``multiplier``,
  ``decimals`` and ``unit``; ``age_range`` for standardised rates;
- where the data are born (small area or GP practice) and the ``pooling`` of periods
  (all registration years pooled, the latest year, or a snapshot);
- ``polarity``, the OHID Fingertips indicator id, the ``benchmark`` (England, region, ICB
  or a goal; at 95% or at 95% and 99.8%), whether England's value is ``computed`` from
  the extracts or taken from a ``fingertips`` export;
- zero or more ``targets`` (value, date, plan and section that set it);
- a ``suppression`` rule of its own where it must hide more than ``ina.yml``'s (it adds
  to that rule, never relaxes it: :func:`own_rule_hidden`).

:func:`load_catalogue` validates every entry and raises :class:`ina.errors.InputError`
naming the file, the line of the entry and the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ina.errors import InputError, StatisticsError
from ina.indicators.measures import SOURCE_KINDS, ConditionError, Measure, parse_condition
from ina.stats.benchmarking import Polarity

__all__ = [
    "CHAPTERS",
    "DEFINITIONS_DIR",
    "METHODS",
    "PHIP_DOMAINS",
    "SECTIONS",
    "Benchmark",
    "Catalogue",
    "Indicator",
    "Target",
    "load_catalogue",
    "own_rule_hidden",
]

#: The packaged catalogue: one YAML file per chapter.
DEFINITIONS_DIR = Path(__file__).with_name("definitions")

#: Chapters of the INA (catalogue files), in report order, with their headings.
CHAPTERS: dict[str, str] = {
    "population": "Population",
    "inequalities": "Inequalities",
    "start_well": "Start Well",
    "feel_well": "Feel Well",
    "be_well": "Be Well",
    "stay_well": "Stay Well",
    "age_well": "Age Well",
    "die_well": "Die Well",
}

#: Statistic → how the definitions table names it (method and its source).
METHODS: dict[str, str] = {
    "count": "Count (no interval)",
    "proportion_wilson": "Proportion, Wilson score 95% CI",
    "crude_rate": "Crude rate, exact Poisson (<10) / Byar's 95% CI",
    "dsr_esp2013": "Directly standardised rate, ESP2013, Dobson 95% CI",
    "life_expectancy_chiang": "Chiang II abridged life table, Silcocks 95% CI",
    "ratio": "Ratio (no interval)",
    "percent_change": "Projected % change (no interval)",
    "published": "As published by OHID Fingertips (value and 95% CI from the source)",
}

#: Summary-table sections, in report order, with their headings.
SECTIONS: dict[str, str] = {
    "population": "Population and place",
    "start_well": "Start Well: births",
    "life_and_death": "Life expectancy and mortality",
    "maternity": "Maternity and birth outcomes",
    "early_years": "Early years and childhood",
    "mental_health": "Mental health: prevalence and care",
    "self_harm_suicide": "Self-harm, suicide and crisis",
    "wellbeing": "Wellbeing (survey measures)",
    "behaviours": "Smoking, weight, activity and alcohol",
    "learning_disability": "Learning disability",
    "cvd_prevention": "Cardiovascular and kidney disease prevention",
    "long_term_conditions": "Long-term conditions: recorded prevalence",
    "ltc_care": "Long-term condition care and admissions",
    "cancer": "Cancer: incidence, stage and screening",
    "premature_mortality": "Premature and preventable mortality",
    "urgent_care": "Urgent and emergency care",
    "frailty_falls": "Frailty, falls and older people's admissions",
    "dementia": "Dementia",
    "end_of_life": "End of life",
}

#: The life-course domains of the Norfolk and Suffolk Population Health Improvement Plan
#: (the "Live Well" framework, section 4) and its cross-cutting themes.
PHIP_DOMAINS: tuple[str, ...] = (
    "Start Well",
    "Feel Well",
    "Be Well",
    "Stay Well",
    "Age Well",
    "Die Well",
    "Cross-cutting",
)

#: How the periods of a dated numerator are used.
POOLINGS: dict[str, str] = {
    "all_years": "every registration year of the extract pooled",
    "latest_year": "the latest year of the extract",
    "last_3_years": "the three latest years of the extract pooled",
    "snapshot": "one estimate or extract (no years)",
}
#: Where England's value comes from.
ENGLAND_SOURCES = ("computed", "fingertips", "none")
#: What an area is compared with.
COMPARATORS = ("england", "region", "icb", "goal")
#: Target operators: the value must be ... the target.
TARGET_OPERATORS = ("<", "<=", ">", ">=")
PLANS = ("PHIP", "JFP", "national")

_REQUIRED_TEXT = (
    "id",
    "short_name",
    "phrase",
    "section",
    "definition",
    "age",
    "period",
    "standardisation",
    "unit",
    "statistic",
    "polarity",
)
_ALLOWED_FIELDS = {
    *_REQUIRED_TEXT,
    "numerator",
    "denominator",
    "phip_domain",
    "multiplier",
    "decimals",
    "sources",
    "england",
    "trend",
    "born_at",
    "pooling",
    "age_range",
    "recipe",
    "parameters",
    "fingertips_id",
    "benchmark",
    "targets",
    "suppression",
}
_MEASURE_FIELDS = {"text", "source", "where", "sum"}
_TARGET_FIELDS = {"value", "operator", "by", "due", "plan", "area", "section", "wording"}
_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_MAX_SHORT_NAME = 40
#: Statistics whose value has a confidence interval (so it can be benchmarked).
_WITH_INTERVAL = {
    "proportion_wilson",
    "crude_rate",
    "dsr_esp2013",
    "life_expectancy_chiang",
    "published",
}


@dataclass(frozen=True)
class Target:
    """A quantified target of one of the plans: the value must be ``operator`` ``value``."""

    value: float
    operator: str
    by: str
    due: dt.date | None
    plan: str
    area: str
    section: str
    wording: str

    def met(self, value: float) -> bool:
        """True when ``value`` meets the target."""
        return {
            "<": value < self.value,
            "<=": value <= self.value,
            ">": value > self.value,
            ">=": value >= self.value,
        }[self.operator]

    @property
    def label(self) -> str:
        """``< 6%``-style text for tables (without the unit)."""
        return f"{self.operator} {self.value:g}"


@dataclass(frozen=True)
class Benchmark:
    """What an indicator is compared with, and at which confidence levels."""

    comparator: str = "england"
    levels: tuple[float, ...] = (0.95,)
    goal: float | None = None


@dataclass(frozen=True)
class Indicator:
    """One indicator: definition, what it counts, statistic, polarity, benchmark, targets."""

    id: str
    short_name: str
    phrase: str
    chapter: str
    section: str
    definition: str
    numerator_measure: Measure
    denominator_measure: Measure
    age: str
    period: str
    standardisation: str
    unit: str
    multiplier: float
    decimals: int
    method: str
    polarity: Polarity
    sources: tuple[str, ...]
    england: str
    phip_domain: str | None = None
    #: True when the extracts give the indicator year by year, so it gets a Fingertips
    #: recent-trend marker; indicators computed from one population year or pooled years
    #: only are never given one.
    trend: bool = False
    born_at: str = "small_area"
    pooling: str = "all_years"
    age_range: tuple[int, int] | None = None
    recipe: str | None = None
    parameters: tuple[tuple[str, Any], ...] = ()
    fingertips_id: int | None = None
    benchmark: Benchmark = Benchmark()
    targets: tuple[Target, ...] = ()
    suppression: tuple[int, int] | None = None

    @property
    def statistic(self) -> str:
        return self.method

    @property
    def numerator(self) -> str:
        """The numerator in words (the definitions table)."""
        return self.numerator_measure.text

    @property
    def denominator(self) -> str:
        return self.denominator_measure.text

    @property
    def method_text(self) -> str:
        """The method as the definitions table names it."""
        return METHODS[self.method]

    @property
    def has_interval(self) -> bool:
        """True when the method gives a 95% confidence interval (so it can be compared)."""
        return self.method in _WITH_INTERVAL

    def parameter(self, name: str, default: Any = None) -> Any:
        return dict(self.parameters).get(name, default)

    def format(self, value: float) -> str:
        """The value with the indicator's decimals (thousands separators for counts)."""
        return f"{value:,.{self.decimals}f}"


@dataclass(frozen=True)
class Catalogue:
    """The validated indicators, in catalogue order (chapter files in report order)."""

    indicators: tuple[Indicator, ...]
    path: Path

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __getitem__(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise StatisticsError(
            f"no indicator {indicator_id!r} in the catalogue {self.path.name}; "
            f"known: {', '.join(self.ids)}"
        )

    @property
    def ids(self) -> list[str]:
        return [indicator.id for indicator in self.indicators]

    def supported_by(self, source_names: Sequence[str]) -> Catalogue:
        """The indicators whose every source extract is configured (the rest are left out)."""
        available = set(source_names)
        kept = tuple(i for i in self.indicators if set(i.sources) <= available)
        return Catalogue(indicators=kept, path=self.path)

    def only(self, ids: Sequence[str]) -> Catalogue:
        """The named indicators, in catalogue order."""
        wanted = set(ids)
        return Catalogue(tuple(i for i in self.indicators if i.id in wanted), self.path)


# --- loading ---------------------------------------------------------------------------------


def _known_sources() -> set[str]:
    from ina.sources import READERS  # the ina.yml source names, one reader each

    return set(READERS)


def _entry_lines(text: str) -> list[int]:
    """1-based line of each entry of ``indicators:`` (for error messages)."""
    node = yaml.compose(text)
    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if key.value == "indicators" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


class _Entry:
    """One catalogue entry being parsed: every failure names the file, line and field."""

    def __init__(self, entry: Any, path: Path, line: int | None) -> None:
        self.entry = entry
        self.path = path
        self.line = line

    def fail(self, field: str, message: str, expected: str, found: object = None) -> InputError:
        name = self.entry.get("id", "?") if isinstance(self.entry, Mapping) else "?"
        return InputError(
            self.path,
            f"indicator {name!r}: {message}",
            row=self.line,
            column=field,
            expected=expected,
            found=found,
        )

    def get(self, field: str, default: Any = None) -> Any:
        return self.entry.get(field, default)

    def flag(self, field: str, default: bool) -> bool:
        value = self.get(field, default)
        if not isinstance(value, bool):
            raise self.fail(field, "must be true or false", "true | false", value)
        return value

    def choice(self, field: str, allowed: Sequence[str], default: str | None = None) -> str:
        value = self.get(field, default)
        if value not in allowed:
            raise self.fail(field, f"unknown {field}", ", ".join(allowed), value)
        return str(value)

    def number(self, field: str, value: Any, *, positive: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(field, "must be a number", "a number", value)
        if positive and value <= 0:
            raise self.fail(field, "must be a positive number", "1, 100, 1000 ...", value)
        return float(value)

    def measure(self, field: str, sources: set[str]) -> Measure:
        value = self.get(field)
        if isinstance(value, str) and value.strip():
            return Measure(text=value)
        if not isinstance(value, Mapping):
            raise self.fail(field, "missing", "a text, or {text, source, where, sum}", value)
        unknown = sorted(set(value) - _MEASURE_FIELDS)
        if unknown:
            raise self.fail(
                f"{field}.{unknown[0]}", "unknown field", ", ".join(sorted(_MEASURE_FIELDS))
            )
        text = value.get("text")
        if not isinstance(text, str) or not text.strip():
            raise self.fail(f"{field}.text", "missing or empty", "a non-empty text", text)
        source = value.get("source")
        if source is not None and source not in SOURCE_KINDS:
            raise self.fail(
                f"{field}.source",
                "not a source a measure can count from",
                ", ".join(sorted(SOURCE_KINDS)),
                source,
            )
        where = value.get("where") or {}
        if not isinstance(where, Mapping):
            raise self.fail(f"{field}.where", "must be a mapping", "{column: condition}", where)
        if where and source is None:
            raise self.fail(f"{field}.where", "a filter needs a source", "source: ...")
        conditions = []
        for column, condition in where.items():
            try:
                conditions.append((str(column), parse_condition(condition)))
            except ConditionError as error:
                raise self.fail(f"{field}.where.{column}", str(error), "a condition") from None
        total = value.get("sum")
        if total is not None and not isinstance(total, str):
            raise self.fail(f"{field}.sum", "must be a column name", "a column", total)
        return Measure(text=text.strip(), source=source, where=tuple(conditions), sum=total)

    def targets(self) -> tuple[Target, ...]:
        raw = self.get("targets", [])
        if not isinstance(raw, list):
            raise self.fail("targets", "must be a list", "- {value: ..., operator: ...}", raw)
        targets = []
        for index, item in enumerate(raw):
            where = f"targets[{index}]"
            if not isinstance(item, Mapping):
                raise self.fail(where, "must be a mapping", "{value, operator, plan, ...}", item)
            unknown = sorted(set(item) - _TARGET_FIELDS)
            if unknown:
                raise self.fail(
                    f"{where}.{unknown[0]}", "unknown field", ", ".join(sorted(_TARGET_FIELDS))
                )
            value = self.number(f"{where}.value", item.get("value"))
            operator = item.get("operator")
            if operator not in TARGET_OPERATORS:
                raise self.fail(
                    f"{where}.operator", "unknown operator", ", ".join(TARGET_OPERATORS), operator
                )
            plan = item.get("plan")
            if plan not in PLANS:
                raise self.fail(f"{where}.plan", "unknown plan", ", ".join(PLANS), plan)
            due = item.get("due")
            if due is not None and not isinstance(due, dt.date):
                raise self.fail(f"{where}.due", "must be a date", "YYYY-MM-DD", due)
            texts = {}
            for field in ("by", "area", "section", "wording"):
                text = item.get(field, "")
                if not isinstance(text, str):
                    raise self.fail(f"{where}.{field}", "must be text", "text", text)
                texts[field] = text
            if not texts["section"]:
                raise self.fail(f"{where}.section", "missing", "the plan section, e.g. §4.1.1")
            targets.append(
                Target(
                    value,
                    str(operator),
                    texts["by"] or "no date set",
                    due,
                    str(plan),
                    texts["area"] or "ICB",
                    texts["section"],
                    texts["wording"],
                )
            )
        return tuple(targets)

    def benchmark(self) -> Benchmark:
        raw = self.get("benchmark", {}) or {}
        if not isinstance(raw, Mapping):
            raise self.fail("benchmark", "must be a mapping", "{comparator, levels}", raw)
        comparator = raw.get("comparator", "england")
        if comparator not in COMPARATORS:
            raise self.fail(
                "benchmark.comparator", "unknown comparator", ", ".join(COMPARATORS), comparator
            )
        levels = raw.get("levels", [95])
        if levels not in ([95], [95, 99.8]):
            raise self.fail("benchmark.levels", "unknown levels", "[95] or [95, 99.8]", levels)
        goal = raw.get("goal")
        if comparator == "goal":
            goal = self.number("benchmark.goal", goal)
        elif goal is not None:
            raise self.fail("benchmark.goal", "only with comparator: goal", "no goal")
        return Benchmark(str(comparator), tuple(level / 100 for level in levels), goal)


def _parse(raw: Any, path: Path, line: int | None, sources: set[str]) -> Indicator:
    entry = _Entry(raw, path, line)
    if not isinstance(raw, Mapping):
        raise entry.fail(
            "indicators", "each entry must be a mapping", "id: ..., short_name: ...", raw
        )
    unknown = sorted(set(raw) - _ALLOWED_FIELDS)
    if unknown:
        raise entry.fail(
            unknown[0], "unknown field", ", ".join(sorted(_ALLOWED_FIELDS)), unknown[0]
        )
    for field in _REQUIRED_TEXT:
        value = raw.get(field)
        if not isinstance(value, str) or not value.strip():
            raise entry.fail(field, "missing or empty", "a non-empty text", value)
    if not _ID_PATTERN.match(raw["id"]):
        raise entry.fail("id", "invalid id", "snake_case: a-z, 0-9 and _", raw["id"])
    if len(raw["short_name"]) > _MAX_SHORT_NAME:
        raise entry.fail(
            "short_name",
            "too long for a table row",
            f"<= {_MAX_SHORT_NAME} characters",
            raw["short_name"],
        )
    section = entry.choice("section", list(SECTIONS))
    method = entry.choice("statistic", list(METHODS))
    try:
        polarity = Polarity.parse(raw["polarity"])
    except StatisticsError:
        raise entry.fail(
            "polarity", "unknown polarity", ", ".join(p.value for p in Polarity), raw["polarity"]
        ) from None
    domain = raw.get("phip_domain")
    if domain is not None and domain not in PHIP_DOMAINS:
        raise entry.fail("phip_domain", "unknown PHIP domain", ", ".join(PHIP_DOMAINS), domain)
    multiplier = entry.number("multiplier", raw.get("multiplier"), positive=True)
    decimals = raw.get("decimals")
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 4:
        raise entry.fail("decimals", "must be a whole number from 0 to 4", "0-4", decimals)
    named = raw.get("sources")
    if not isinstance(named, list) or not named:
        raise entry.fail("sources", "must list at least one source extract", "[deaths, ...]", named)
    strange = [name for name in named if name not in sources]
    if strange:
        raise entry.fail(
            "sources", "unknown source extract", ", ".join(sorted(sources)), strange[0]
        )
    numerator = entry.measure("numerator", sources)
    denominator = entry.measure("denominator", sources)
    for field, measure in (("numerator", numerator), ("denominator", denominator)):
        if measure.source is not None and measure.source not in named:
            raise entry.fail(
                f"{field}.source",
                "is not in the indicator's sources",
                ", ".join(named),
                measure.source,
            )
    recipe = raw.get("recipe")
    if recipe is not None:
        from ina.indicators.recipes import RECIPES

        if recipe not in RECIPES:
            raise entry.fail("recipe", "unknown recipe", ", ".join(sorted(RECIPES)), recipe)
    elif method == "published":
        if raw.get("fingertips_id") is None or "fingertips" not in named:
            raise entry.fail(
                "statistic",
                "published values need a fingertips_id and the fingertips source",
                "fingertips_id: ..., sources: [fingertips]",
                method,
            )
    elif numerator.source is None:
        raise entry.fail("numerator.source", "needs a source or the entry a recipe", "source: ...")
    elif method not in {"count"} and denominator.source is None:
        raise entry.fail(
            "denominator.source", "needs a source or the entry a recipe", "source: ..."
        )
    parameters = raw.get("parameters", {}) or {}
    if not isinstance(parameters, Mapping):
        raise entry.fail("parameters", "must be a mapping", "{name: value}", parameters)
    kind = numerator.kind
    born_default = kind.born_at if kind is not None else "small_area"
    born_at = entry.choice("born_at", ["small_area", "practice"], born_default)
    dated = kind is not None and (kind.date is not None or kind.year is not None)
    pooling = entry.choice("pooling", list(POOLINGS), "all_years" if dated else "snapshot")
    if pooling != "snapshot" and not dated and recipe is None:
        raise entry.fail("pooling", "the numerator's source has no dates", "snapshot", pooling)
    age_range = raw.get("age_range")
    if age_range is not None:
        if (
            not isinstance(age_range, list)
            or len(age_range) != 2
            or not all(isinstance(a, int) and not isinstance(a, bool) for a in age_range)
            or not 0 <= age_range[0] <= age_range[1]
        ):
            raise entry.fail("age_range", "must be [first age, last age]", "[0, 74]", age_range)
        age_range = (int(age_range[0]), int(age_range[1]))
    fingertips_id = raw.get("fingertips_id")
    if fingertips_id is not None and (
        isinstance(fingertips_id, bool) or not isinstance(fingertips_id, int) or fingertips_id <= 0
    ):
        raise entry.fail(
            "fingertips_id", "must be a positive whole number", "e.g. 92443", fingertips_id
        )
    england_default = "fingertips" if fingertips_id is not None else "none"
    england = entry.choice("england", list(ENGLAND_SOURCES), england_default)
    if england == "fingertips" and fingertips_id is None:
        raise entry.fail("england", "needs a fingertips_id", "computed | none", england)
    suppression = raw.get("suppression")
    if suppression is not None:
        if not isinstance(suppression, Mapping) or set(suppression) != {"min_count", "max_count"}:
            raise entry.fail(
                "suppression",
                "must give min_count and max_count",
                "{min_count: 1, max_count: 7}",
                suppression,
            )
        low, high = suppression["min_count"], suppression["max_count"]
        if (
            not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high))
            or not 0 <= low <= high
            or high < 1
        ):
            raise entry.fail(
                "suppression",
                "must suppress at least the counts 1 to max_count",
                "0 <= min_count <= max_count, max_count >= 1",
                suppression,
            )
        suppression = (int(low), int(high))
    return Indicator(
        id=raw["id"],
        short_name=raw["short_name"],
        phrase=raw["phrase"],
        chapter=path.stem,
        section=section,
        definition=" ".join(raw["definition"].split()),
        numerator_measure=numerator,
        denominator_measure=denominator,
        age=raw["age"],
        period=raw["period"],
        standardisation=raw["standardisation"],
        unit=raw["unit"],
        multiplier=multiplier,
        decimals=decimals,
        method=method,
        polarity=polarity,
        sources=tuple(named),
        england=england,
        phip_domain=domain,
        trend=entry.flag("trend", False),
        born_at=born_at,
        pooling=pooling,
        age_range=age_range,
        recipe=recipe,
        parameters=tuple(sorted(parameters.items())),
        fingertips_id=fingertips_id,
        benchmark=entry.benchmark(),
        targets=entry.targets(),
        suppression=suppression,
    )


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and validate the catalogue: the packaged chapter files, or one file or folder.

    Raises :class:`ina.errors.InputError` naming the file, the entry's line and the field
    for any invalid entry, for a file not named after a chapter, and for a repeated id
    (two definitions of one indicator would make every table that uses it ambiguous).
    """
    if path is None:
        return _packaged()
    return _load(Path(path))


@cache
def _packaged() -> Catalogue:
    return _load(DEFINITIONS_DIR)


def _chapter_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    files = {file.stem: file for file in path.glob("*.yml")}
    strange = sorted(set(files) - set(CHAPTERS))
    if strange:
        raise InputError(
            files[strange[0]],
            "not a chapter of the INA",
            expected=", ".join(CHAPTERS),
            found=strange[0],
        )
    return [files[name] for name in CHAPTERS if name in files]


def _load(path: Path) -> Catalogue:
    files = _chapter_files(path)
    if not files:
        raise InputError(path, "the catalogue has no chapter files", expected="<chapter>.yml")
    sources = _known_sources()
    indicators: list[Indicator] = []
    seen: dict[str, str] = {}
    for file in files:
        if file.stem not in CHAPTERS:
            raise InputError(
                file, "not a chapter of the INA", expected=", ".join(CHAPTERS), found=file.stem
            )
        for indicator, line in _load_file(file, sources):
            if indicator.id in seen:
                raise InputError(
                    file,
                    f"indicator id {indicator.id!r} is repeated (first at {seen[indicator.id]})",
                    row=line,
                    column="id",
                    expected="unique ids",
                )
            seen[indicator.id] = f"{file.name} line {line}"
            indicators.append(indicator)
    if not indicators:
        raise InputError(path, "the catalogue has no indicators", column="indicators")
    return Catalogue(indicators=tuple(indicators), path=path)


def _load_file(path: Path, sources: set[str]) -> list[tuple[Indicator, int | None]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(path, f"cannot read the indicator catalogue: {error}") from error
    try:
        document = yaml.safe_load(text)
        lines = _entry_lines(text)
    except yaml.YAMLError as error:
        raise InputError(path, f"not valid YAML: {error}") from error
    if not isinstance(document, Mapping) or not isinstance(document.get("indicators"), list):
        raise InputError(
            path, "no list of indicators", column="indicators", expected="indicators: [ ... ]"
        )
    parsed = []
    for position, entry in enumerate(document["indicators"]):
        line = lines[position] if position < len(lines) else None
        parsed.append((_parse(entry, path, line, sources), line))
    return parsed


def own_rule_hidden(
    frame: pd.DataFrame, catalogue: Catalogue, counts: Sequence[str] = ("numerator", "denominator")
) -> pd.DataFrame | None:
    """The count cells of ``frame`` (``indicator_id`` + ``counts``) that an indicator's own
    suppression rule hides: counts from its ``min_count`` to its ``max_count``.

    Publishing hides these *in addition* to ``ina.yml``'s rule (``hide=``), so an
    indicator about a sensitive group (a rule of 1 to 10, say) is protected everywhere it
    is published and its complements are chosen around it. None when no indicator of the
    frame has a rule of its own.
    """
    rules = {i.id: i.suppression for i in catalogue if i.suppression is not None}
    ids = frame["indicator_id"].astype(str)
    if not rules or not ids.isin(list(rules)).any():
        return None
    low = ids.map(lambda i: rules.get(i, (np.inf, -np.inf))[0]).to_numpy(dtype=float)
    high = ids.map(lambda i: rules.get(i, (np.inf, -np.inf))[1]).to_numpy(dtype=float)
    hidden = pd.DataFrame(index=frame.index)
    for column in counts:
        values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            hidden[column] = (values >= low) & (values <= high)
    return hidden
