"""The indicator catalogue: one definition per summary indicator, validated on load.

Why a catalogue: a summary page ("At a glance", as in Fingertips area profiles and the
Public Health Scotland locality profiles) is only as trustworthy as the definitions behind
each number. Keeping them as data (``catalogue.yml``, packaged with ``ina``) means the
definitions table the report prints, the polarity the benchmarking uses and the method the
computation applies all come from one place and cannot drift apart.

Each :class:`Indicator` names its numerator, denominator, age, period and standardisation
(the parts of a Fingertips indicator definition), its unit and multiplier, the statistical
method (:data:`METHODS`: Wilson proportions, exact/Byar's crude rates, ESP2013 DSR with
Dobson limits, Chiang II life expectancy, ...), its Fingertips polarity, the ``ina.yml``
source extracts it is computed from, its PHIP life-course domain where it fits, and
whether the extracts give it year by year for a Fingertips recent-trend marker
(``trend``).

:func:`load_catalogue` validates every entry (unique ids, known method, polarity, section,
domain and source names, positive multiplier) and raises :class:`ina.errors.InputError`
naming the file, the line of the entry and the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ina.errors import InputError, StatisticsError
from ina.stats.benchmarking import Polarity

__all__ = [
    "CATALOGUE_PATH",
    "METHODS",
    "PHIP_DOMAINS",
    "SECTIONS",
    "Catalogue",
    "Indicator",
    "load_catalogue",
]

#: The packaged catalogue.
CATALOGUE_PATH = Path(__file__).with_name("catalogue.yml")

#: Statistical method → how the definitions table names it (method and its source).
METHODS: dict[str, str] = {
    "count": "Count (no interval)",
    "proportion_wilson": "Proportion, Wilson score 95% CI",
    "crude_rate": "Crude rate, exact Poisson (<10) / Byar's 95% CI",
    "dsr_esp2013": "Directly standardised rate, ESP2013, Dobson 95% CI",
    "life_expectancy_chiang": "Chiang II abridged life table, Silcocks 95% CI",
    "ratio": "Ratio (no interval)",
    "percent_change": "Projected % change (no interval)",
}

#: Table sections, in report order, with their headings.
SECTIONS: dict[str, str] = {
    "population": "Population and place",
    "start_well": "Start Well: births",
    "life_and_death": "Life expectancy and mortality",
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

_REQUIRED_TEXT = (
    "id",
    "short_name",
    "phrase",
    "section",
    "definition",
    "numerator",
    "denominator",
    "age",
    "period",
    "standardisation",
    "unit",
    "method",
    "polarity",
)
_ALLOWED_FIELDS = {
    *_REQUIRED_TEXT,
    "phip_domain",
    "multiplier",
    "decimals",
    "sources",
    "england",
    "trend",
}
_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_MAX_SHORT_NAME = 40


@dataclass(frozen=True)
class Indicator:
    """One summary indicator: its definition, method, polarity and sources."""

    id: str
    short_name: str
    phrase: str
    section: str
    definition: str
    numerator: str
    denominator: str
    age: str
    period: str
    standardisation: str
    unit: str
    multiplier: float
    decimals: int
    method: str
    polarity: Polarity
    sources: tuple[str, ...]
    england: bool
    phip_domain: str | None = None
    #: True when the extracts give the indicator year by year, so it gets a Fingertips
    #: recent-trend marker (:func:`ina.chapters.summary.recent_trends`); indicators
    #: computed from one population year or pooled years only are never given one.
    trend: bool = False

    @property
    def method_text(self) -> str:
        """The method as the definitions table names it."""
        return METHODS[self.method]

    @property
    def has_interval(self) -> bool:
        """True when the method gives a 95% confidence interval (so it can be compared)."""
        return self.method not in {"count", "ratio", "percent_change"}

    def format(self, value: float) -> str:
        """The value with the indicator's decimals (thousands separators for counts)."""
        return f"{value:,.{self.decimals}f}"


@dataclass(frozen=True)
class Catalogue:
    """The validated indicators, in catalogue order."""

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


def _parse(entry: Mapping[str, Any], path: Path, line: int | None, sources: set[str]) -> Indicator:
    def fail(field: str, message: str, expected: str, found: object = None) -> InputError:
        name = entry.get("id", "?") if isinstance(entry, Mapping) else "?"
        return InputError(
            path,
            f"indicator {name!r}: {message}",
            row=line,
            column=field,
            expected=expected,
            found=found,
        )

    if not isinstance(entry, Mapping):
        raise fail("indicators", "each entry must be a mapping", "id: ..., short_name: ...", entry)
    unknown = sorted(set(entry) - _ALLOWED_FIELDS)
    if unknown:
        raise fail(unknown[0], "unknown field", ", ".join(sorted(_ALLOWED_FIELDS)), unknown[0])
    for field in _REQUIRED_TEXT:
        value = entry.get(field)
        if not isinstance(value, str) or not value.strip():
            raise fail(field, "missing or empty", "a non-empty text", value)
    if not _ID_PATTERN.match(entry["id"]):
        raise fail("id", "invalid id", "snake_case: a-z, 0-9 and _", entry["id"])
    if len(entry["short_name"]) > _MAX_SHORT_NAME:
        raise fail(
            "short_name",
            "too long for a table row",
            f"<= {_MAX_SHORT_NAME} characters",
            entry["short_name"],
        )
    if entry["section"] not in SECTIONS:
        raise fail("section", "unknown section", ", ".join(SECTIONS), entry["section"])
    if entry["method"] not in METHODS:
        raise fail("method", "unknown method", ", ".join(METHODS), entry["method"])
    try:
        polarity = Polarity.parse(entry["polarity"])
    except StatisticsError:
        raise fail(
            "polarity", "unknown polarity", ", ".join(p.value for p in Polarity), entry["polarity"]
        ) from None
    domain = entry.get("phip_domain")
    if domain is not None and domain not in PHIP_DOMAINS:
        raise fail("phip_domain", "unknown PHIP domain", ", ".join(PHIP_DOMAINS), domain)
    multiplier = entry.get("multiplier")
    if isinstance(multiplier, bool) or not isinstance(multiplier, int | float) or multiplier <= 0:
        raise fail(
            "multiplier", "must be a positive number", "1, 100, 1000, 100000 ...", multiplier
        )
    decimals = entry.get("decimals")
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 4:
        raise fail("decimals", "must be a whole number from 0 to 4", "0-4", decimals)
    named = entry.get("sources")
    if not isinstance(named, list) or not named:
        raise fail("sources", "must list at least one source extract", "[deaths, ...]", named)
    strange = [name for name in named if name not in sources]
    if strange:
        raise fail("sources", "unknown source extract", ", ".join(sorted(sources)), strange[0])
    england = entry.get("england")
    if not isinstance(england, bool):
        raise fail("england", "must be true or false", "true | false", england)
    trend = entry.get("trend", False)
    if not isinstance(trend, bool):
        raise fail("trend", "must be true or false", "true | false", trend)
    return Indicator(
        id=entry["id"],
        short_name=entry["short_name"],
        phrase=entry["phrase"],
        section=entry["section"],
        definition=" ".join(entry["definition"].split()),
        numerator=entry["numerator"],
        denominator=entry["denominator"],
        age=entry["age"],
        period=entry["period"],
        standardisation=entry["standardisation"],
        unit=entry["unit"],
        multiplier=float(multiplier),
        decimals=decimals,
        method=entry["method"],
        polarity=polarity,
        sources=tuple(named),
        england=england,
        phip_domain=domain,
        trend=trend,
    )


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and validate an indicator catalogue (the packaged one by default).

    Raises :class:`ina.errors.InputError` naming the file, the entry's line and the field
    for any invalid entry, and for a repeated id (two definitions of one indicator would
    make every table that uses it ambiguous).
    """
    if path is None:
        return _packaged()
    return _load(Path(path))


@cache
def _packaged() -> Catalogue:
    return _load(CATALOGUE_PATH)


def _load(path: Path) -> Catalogue:
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
    entries = document["indicators"]
    if not entries:
        raise InputError(path, "the catalogue has no indicators", column="indicators")
    sources = _known_sources()
    indicators: list[Indicator] = []
    seen: dict[str, int | None] = {}
    for position, entry in enumerate(entries):
        line = lines[position] if position < len(lines) else None
        indicator = _parse(entry, path, line, sources)
        if indicator.id in seen:
            raise InputError(
                path,
                f"indicator id {indicator.id!r} is repeated (first at line {seen[indicator.id]})",
                row=line,
                column="id",
                expected="unique ids",
            )
        seen[indicator.id] = line
        indicators.append(indicator)
    return Catalogue(indicators=tuple(indicators), path=path)
