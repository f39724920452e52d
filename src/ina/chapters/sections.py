"""The chapter sections that read source extracts directly, and the sources each needs.

Why a declaration here and not a check inside each notebook: a team never has every
extract, so a section whose source is missing must say so in one sentence and skip its
table or figure instead of failing, *and* the coverage page (``ina.sources.coverage``)
must say, before anything is built, which sections each source enables. Both read this
one list, so the page cannot disagree with what the chapters do.

Sections made of catalogue indicators (the Live Well chapters, the summary's tables) are
not listed: the catalogue declares each indicator's ``sources`` and drops the ones not
supplied (:meth:`ina.indicators.catalogue.Catalogue.supported_by`). The three geography
sources (:data:`ina.config._models.REQUIRED_SOURCES`) are always supplied, so they are not
repeated below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["SECTIONS", "Section", "SectionGate", "missing_sources", "not_available", "section"]


@dataclass(frozen=True)
class Section:
    """A chapter section (its heading in the notebook) and the optional sources it reads."""

    chapter: str
    title: str
    sources: tuple[str, ...]
    #: Sources the section adds to its figures when supplied, without needing them.
    uses: tuple[str, ...] = ()
    #: Sources needed only in the whole-ICB report (England as the comparator); a place
    #: is compared with the ICB, from the sources above.
    icb_sources: tuple[str, ...] = ()
    #: The heading the section's cells sit under when it has none of its own (a stand-in
    #: shown only when the section of that heading cannot be computed).
    under: str | None = None

    def needs(self, *, is_icb: bool) -> tuple[str, ...]:
        """The sources the section cannot do without, for the ICB or for a place.

        An entry ``a|b`` is met by either source (residents from the estimates by age,
        or from the totals when the section needs no age).
        """
        return (*self.sources, *self.icb_sources) if is_icb else self.sources

    def source_names(self) -> tuple[str, ...]:
        """Every source the section reads or uses, alternatives spelled out."""
        entries = (*self.sources, *self.uses, *self.icb_sources)
        return tuple(name for entry in entries for name in entry.split("|"))

    @property
    def key(self) -> str:
        return f"{self.chapter}: {self.title}"


_RESIDENTS = ("resident_population",)
_DEPRIVED_RESIDENTS = ("deprivation", "resident_population")
#: Residents by small area without age: the estimates by age, or their totals.
_ANY_RESIDENTS = "resident_population|resident_totals"
_DEPRIVED_TOTALS = ("deprivation", _ANY_RESIDENTS)

#: Every section that reads an optional source directly, in report order.
SECTIONS: tuple[Section, ...] = (
    Section("population", "Age structure", _RESIDENTS, icb_sources=("national_population",)),
    # Shown in place of the residents' pyramid when residents by age are not supplied.
    Section(
        "population",
        "Registered population by age and sex",
        ("registered_by_age",),
        under="Age structure",
    ),
    Section("population", "Registered and resident population", ("registered_by_age", *_RESIDENTS)),
    Section("population", "Births and deaths", ("births", "deaths", *_RESIDENTS)),
    Section("population", "Population projections", ("population_projections", *_RESIDENTS)),
    Section(
        "population",
        "Demand if today's rates continue",
        ("population_projections", "deaths", *_RESIDENTS),
        uses=("hospital_activity",),
    ),
    Section("deprivation", "Residents by national deprivation decile", _DEPRIVED_TOTALS),
    Section("deprivation", "Core20: the 20% most deprived areas of England", _DEPRIVED_TOTALS),
    Section("deprivation", "The most deprived small areas", _DEPRIVED_TOTALS),
    Section(
        "deprivation", "Mortality and deprivation inside the area", (*_DEPRIVED_RESIDENTS, "deaths")
    ),
    Section(
        "deprivation", "Life expectancy and the deprivation gap", (*_DEPRIVED_RESIDENTS, "deaths")
    ),
    Section("deprivation", "Most and least deprived: the JFP's Figure 5", _DEPRIVED_RESIDENTS),
    # The Core20 practices are those whose registered patients mostly live in deciles 1-2.
    Section("summary", "Opportunities", ("deprivation", "registered_by_small_area")),
)


def section(chapter: str, title: str) -> Section:
    """The declared section of this chapter with this heading (KeyError naming the known)."""
    for candidate in SECTIONS:
        if candidate.chapter == chapter and candidate.title == title:
            return candidate
    known = ", ".join(s.title for s in SECTIONS if s.chapter == chapter)
    raise KeyError(f"no section {title!r} in chapter {chapter!r}; declared: {known}")


def missing_sources(required: Iterable[str], supplied: Iterable[str]) -> list[str]:
    """The required sources that are not supplied, in the order they are required.

    ``a|b`` is met when either is supplied.
    """
    available = set(supplied)
    return [name for name in required if not set(name.split("|")) & available]


def not_available(missing: Iterable[str]) -> str:
    """The one sentence a section shows instead of its tables and figures."""
    names = ", ".join(name.replace("|", " or ") for name in missing)
    return f"This section is not available (source not supplied: {names})."


@dataclass
class SectionGate:
    """Asks, per section, whether a notebook can compute it from the supplied sources.

    ``ready(title)`` is True when every source of the section is supplied; otherwise it
    shows :func:`not_available` (once per section, however many cells ask) and is False,
    so a notebook cell reads ``if gate.ready("Births and deaths"):``.
    """

    chapter: str
    supplied: tuple[str, ...]
    is_icb: bool = True
    _told: set[str] = field(default_factory=set, repr=False)

    def missing(self, title: str) -> list[str]:
        needed = section(self.chapter, title).needs(is_icb=self.is_icb)
        return missing_sources(needed, self.supplied)

    def has(self, *names: str) -> bool:
        """True when every named source is supplied (for set-up cells shared by sections)."""
        return not missing_sources(names, self.supplied)

    def ready(self, title: str) -> bool:
        missing = self.missing(title)
        if not missing:
            return True
        if title not in self._told:
            from ina.publishing import show_markdown

            show_markdown(not_available(missing))
            self._told.add(title)
        return False
