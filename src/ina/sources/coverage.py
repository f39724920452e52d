"""Which sources a build has, and what each one enables: the report's "Coverage" page.

Why: a public health team never has every extract in every vintage, so the pipeline
computes whatever the supplied sources support and must say plainly what it could not.
``ina validate`` prints this before anything is built, the report's appendix shows it,
and ``docs/data-contract.md`` lists the same rows (a test keeps them equal).

What a source enables is derived, never listed by hand: the catalogue indicators whose
``sources`` name it (:mod:`ina.indicators.catalogue`) and the chapter sections that read
it directly (:data:`ina.chapters.sections.SECTIONS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["SourceCoverage", "coverage", "coverage_markdown", "source_keys"]


@dataclass(frozen=True)
class SourceCoverage:
    """One ``sources:`` key: required or not, supplied or not, its files, what it enables."""

    source: str
    required: bool
    supplied: bool
    files: tuple[str, ...]
    indicators: tuple[str, ...]
    #: The chapter of each indicator of :attr:`indicators` (same order).
    indicator_chapters: tuple[str, ...]
    chapters: tuple[str, ...]
    sections: tuple[str, ...]
    #: The edition and geography vintage the supplied file states (``ina.sources.vintages``),
    #: for the methods text; None when not supplied or not stated.
    vintage: str | None = None
    #: What the supplied file cannot give although the source is supplied (e.g. the
    #: regions registrations file has no practice rows); shown after what it enables.
    note: str | None = None

    @property
    def status(self) -> str:
        if self.supplied:
            return "supplied"
        return "MISSING (required)" if self.required else "not supplied"

    @property
    def enables(self) -> str:
        """What the source enables, in words: how many indicators of which chapters, and
        which chapter sections (the indicator ids are in :attr:`indicators`)."""
        parts = []
        if self.required:
            parts.append("the geography (every area and chapter)")
        if self.indicators:
            count = len(self.indicators)
            chapters = _unique(self.indicator_chapters)
            parts.append(f"{count} indicator{'s' if count != 1 else ''} ({', '.join(chapters)})")
        by_chapter: dict[str, list[str]] = {}
        for key in self.sections:
            chapter, title = key.split(": ", 1)
            by_chapter.setdefault(chapter, []).append(title)
        for chapter, titles in by_chapter.items():
            parts.append(f"{chapter} sections: {', '.join(titles)}")
        if not parts and self.source in _PURPOSES:
            parts.append(_PURPOSES[self.source])
        text = "; ".join(parts) if parts else "no indicator or section yet"
        return f"{text}; note: {self.note}" if self.note else text

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "required": self.required,
            "supplied": self.supplied,
            "status": self.status,
            "files": list(self.files),
            "indicators": list(self.indicators),
            "chapters": list(self.chapters),
            "sections": list(self.sections),
            "enables": self.enables,
            "vintage": self.vintage,
        }


#: What a source that feeds no indicator or section directly is for.
_PURPOSES = {
    "lsoa_best_fit": "small-area sources on another LSOA vintage than the small-area lookup "
    "(converted with it instead of refused)",
}


def source_keys() -> list[str]:
    """Every ``sources:`` key of ``ina.yml``, in config-model order."""
    from ina.config import Sources

    return list(Sources.model_fields)


def coverage(settings: Any | None = None, *, catalogue: Any | None = None) -> list[SourceCoverage]:
    """One row per source key, in config-model order.

    ``settings``: a validated :class:`ina.config.Settings` (supplied sources and their
    files as written in ``ina.yml``); ``None`` gives the contract itself (nothing
    supplied), as ``docs/data-contract.md`` tabulates it. The catalogue is the packaged
    one unless given.
    """
    from ina.chapters.sections import SECTIONS
    from ina.config import Sources
    from ina.indicators import load_catalogue

    catalogue = catalogue if catalogue is not None else load_catalogue()
    supplied = set(settings.source_names()) if settings is not None else set()
    rows = []
    for name, field in Sources.model_fields.items():
        feeds = [indicator for indicator in catalogue if name in indicator.sources]
        sections = [s for s in SECTIONS if name in s.source_names()]
        vintage, note = _vintage_and_note(settings, name) if name in supplied else (None, None)
        chapters = _unique([i.chapter for i in feeds] + [s.chapter for s in sections])
        rows.append(
            SourceCoverage(
                source=name,
                required=field.is_required(),
                supplied=name in supplied,
                files=_files(settings, name) if name in supplied else (),
                indicators=tuple(i.id for i in feeds),
                indicator_chapters=tuple(i.chapter for i in feeds),
                chapters=tuple(chapters),
                sections=tuple(s.key for s in sections),
                vintage=vintage,
                note=note,
            )
        )
    if settings is not None and "registered_by_small_area" not in supplied:
        rows = [_without_small_area_registrations(row) for row in rows]
    return rows


def _vintage_and_note(settings: Any, name: str) -> tuple[str | None, str | None]:
    """The file's stated vintage, and what it lacks, from its header only (cheap)."""
    from ina.sources.vintages import detect, registrations_without_practices

    located = settings.source_path(name)
    paths = list(located) if isinstance(located, list) else [located]
    found = detect(name, paths)
    note = None
    if name == "registered_by_age" and registrations_without_practices(paths):
        note = (
            "the file has no practice rows (ICB, sub-ICB and PCN only): each area's registered "
            "patients are the rows of the ICB, sub-ICB locations or PCNs that hold its "
            "practices, and indicators with a registered-patients denominator by practice "
            "are not available"
        )
    if name == "small_area_lookup" and found is not None and "no district columns" in found.text:
        note = (
            "the lookup has no district columns: each small area's district is the one the "
            "deprivation file gives it"
        )
    if note is None and found is not None and found.lsoa is not None:
        note = _lsoa_conversion_note(settings, name, found.lsoa)
    return (found.text if found is not None else None), note


def _lsoa_conversion_note(settings: Any, name: str, year: int) -> str | None:
    """Says a source is converted to the lookup's LSOA vintage (``ina.sources.lsoa_best_fit``)."""
    from ina.sources.vintages import LSOA_SOURCES, detect

    if name not in LSOA_SOURCES or name == "small_area_lookup":
        return None
    if "lsoa_best_fit" not in settings.source_names():
        return None
    located = settings.source_path("small_area_lookup")
    lookup = detect("small_area_lookup", located if isinstance(located, list) else [located])
    if lookup is None or lookup.lsoa is None or lookup.lsoa == year:
        return None
    return (
        f"converted from LSOA {year} to LSOA {lookup.lsoa} with the ONS lookup (lsoa_best_fit): "
        "counts move whole to one area, a deprivation rank is the most deprived linked area's"
    )


def _without_small_area_registrations(row: SourceCoverage) -> SourceCoverage:
    """The practice map's row says how practices are placed without the practice x LSOA file."""
    if row.source != "practice_map" or row.note:
        return row
    from dataclasses import replace

    return replace(
        row,
        note="without registered_by_small_area a practice is placed by its sub-ICB location, "
        "where that lies in one place",
    )


def _files(settings: Any, name: str) -> tuple[str, ...]:
    """The files as written in ``ina.yml`` (relative to it), a glob shown as written."""
    value = getattr(settings.sources, name)
    return tuple(value) if isinstance(value, list) else (str(value),)


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


def coverage_markdown(rows: Sequence[SourceCoverage]) -> str:
    """The coverage as a Markdown table (the report's Coverage page)."""
    lines = [
        "| Source | Status | File(s) | Enables |",
        "|:---|:---|:---|:---|",
    ]
    for row in rows:
        files = "<br>".join(f"`{file}`" for file in row.files) or "-"
        lines.append(f"| {row.source} | {row.status} | {files} | {_cell(row.enables)} |")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
