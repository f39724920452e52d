"""Step 'render', part 1: executed notebooks -> one Quarto-markdown report per area.

Both renderers read the same source, ``build/.../<area>/report.qmd``:

- the YAML front matter carries the title, the area and the data status (read by the
  Typst template ``templates/ina.typ`` through ``templates/report.typst`` or the Quarto
  partials, and by the HTML cover);
- each chapter contributes its markdown cells and the *outputs* of its code cells: Markdown
  outputs (tables from ``ina.publishing.show_table``, key findings) pass through verbatim;
  a PNG output of a cell carrying ``#| label: fig-..``, ``#| fig-cap``, ``#| fig-alt``
  becomes ``![caption](media/..png){#fig-.. fig-alt="..."}``, the figure syntax Quarto
  documents; code, stream and plain-text/HTML outputs are dropped, so no code reaches the
  report;
- an appendix lists the coverage of the sources (each source key: supplied or not, its
  files, what it enables), the data sources (file, extract date, rows, SHA-256) and the methods.

Reading notebooks in Python rather than with pandoc's ipynb reader keeps one pandoc call
per output format instead of one per notebook, and lets the build refuse a figure that has
no caption or alt text before anything is typeset.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import nbformat
import yaml

from ina.errors import BuildError

CELL_OPTION_PREFIX = "#|"

DATA_STATUS_TEXT = {
    "demo": "DEMONSTRATION DATA — synthetic, not for decisions",
    "real": "REAL DATA — published extracts; the Coverage page lists what was not supplied",
    "provisional": "PROVISIONAL — figures may change before the final edition",
    "final": "Final",
}
#: Stamped before the data status (cover and every footer, PDF and HTML) when ina.yml
#: says ``suppression: none``: such a build must never be mistaken for a publication.
UNSUPPRESSED_TEXT = "UNSUPPRESSED — NOT FOR PUBLICATION"


@dataclass(frozen=True)
class SourceRow:
    """One input extract as the appendix lists it."""

    name: str
    file: str
    extract_date: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class ChapterOutput:
    chapter: str
    notebook: Path


@dataclass(frozen=True)
class ReportSpec:
    """Everything needed to write and render one area's report."""

    area_id: str
    area_name: str
    area_kind: str | None
    title: str
    organisation: str
    data_status: str
    chapters: tuple[ChapterOutput, ...]
    sources: tuple[SourceRow, ...]
    suppression: Mapping[str, Any]
    scheme_label: str
    formats: tuple[str, ...] = ("pdf",)
    extra: Mapping[str, Any] = field(default_factory=dict)
    #: The Coverage page: one plain dict per source key (``SourceCoverage.to_dict``).
    coverage: tuple[Mapping[str, Any], ...] = ()

    @property
    def demo(self) -> bool:
        return self.data_status == "demo"

    @property
    def unsuppressed(self) -> bool:
        return bool((self.suppression or {}).get("disabled", False))

    @property
    def status_text(self) -> str:
        text = DATA_STATUS_TEXT.get(self.data_status, self.data_status)
        return f"{UNSUPPRESSED_TEXT} · {text}" if self.unsuppressed else text


def parse_cell_options(source: str) -> dict[str, Any]:
    """Quarto cell options: the leading ``#|`` lines of a code cell, read as YAML."""
    option_lines: list[str] = []
    for line in source.splitlines():
        stripped = line.strip()
        if not stripped.startswith(CELL_OPTION_PREFIX):
            break
        option_lines.append(stripped[len(CELL_OPTION_PREFIX) :].strip())
    if not option_lines:
        return {}
    try:
        options = yaml.safe_load("\n".join(option_lines))
    except yaml.YAMLError as error:
        raise BuildError(f"invalid '#|' cell options: {error}") from error
    return options if isinstance(options, dict) else {}


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def _attribute(value: str) -> str:
    """A pandoc attribute value in double quotes (backslash-escaped)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


class _LabelRegistry:
    """Keeps figure ids unique across the chapters of one report."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def unique(self, label: str) -> str:
        candidate, suffix = label, 2
        while candidate in self._seen:
            candidate = f"{label}-{suffix}"
            suffix += 1
        self._seen.add(candidate)
        return candidate


def _figure_markdown(
    png_base64: str | list[str],
    *,
    options: Mapping[str, Any],
    where: str,
    media_dir: Path,
    media_prefix: str,
    labels: _LabelRegistry,
    min_width_px: int | None = None,
) -> str:
    label = str(options.get("label") or "")
    caption = options.get("fig-cap")
    alt = options.get("fig-alt")
    if not label.startswith("fig-") or not caption or not alt:
        raise BuildError(
            f"{where}: a figure needs '#| label: fig-...', '#| fig-cap' and '#| fig-alt' "
            f"cell options (found {sorted(options)})"
        )
    label = labels.unique(label)
    media_dir.mkdir(parents=True, exist_ok=True)
    file_name = f"{label}.png"
    (media_dir / file_name).write_bytes(base64.b64decode(_text(png_base64)))
    width = f" min-width-px={int(min_width_px)}" if min_width_px else ""
    return (
        f"![{caption}]({media_prefix}/{file_name})"
        f"{{#{label} fig-alt={_attribute(str(alt))}{width}}}"
    )


#: A link to a published artefact, as the publishing layer writes it: relative to the
#: outputs folder (``](data/<area>/<chapter>/<id>.csv)``).
_DATA_LINK = re.compile(r"\]\((?P<target>data/[^)\s]+)\)")


def rebase_data_links(markdown: str, prefix: str) -> str:
    """Point the publishing layer's ``data/...`` links at the right place from a page.

    The report pages live one folder down (``report/``, ``places/``), so ``prefix`` is
    ``../``; the links then work from the published folder, offline, in HTML and PDF.
    """
    return _DATA_LINK.sub(lambda match: f"]({prefix}{match.group('target')})", markdown)


def notebook_markdown(
    notebook: nbformat.NotebookNode,
    *,
    where: str,
    media_dir: Path,
    media_prefix: str,
    labels: _LabelRegistry | None = None,
    data_prefix: str = "../",
) -> str:
    """One executed chapter notebook as Quarto markdown: markdown cells and outputs only.

    Links to the published CSVs are rebased with ``data_prefix`` (see
    :func:`rebase_data_links`); a chart keeps the width at which its text is legible.
    """
    labels = labels or _LabelRegistry()
    blocks: list[str] = []
    for index, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "markdown":
            blocks.append(_text(cell.source).strip())
            continue
        if cell.cell_type != "code":
            continue
        options = parse_cell_options(_text(cell.source))
        figures_in_cell = 0
        for output in cell.get("outputs", []):
            if output.get("output_type") not in {"display_data", "execute_result"}:
                continue  # streams and errors never reach the report
            data = output.get("data", {})
            if "text/markdown" in data:
                blocks.append(rebase_data_links(_text(data["text/markdown"]).strip(), data_prefix))
            elif "image/png" in data:
                figures_in_cell += 1
                figure_options = dict(options)
                if figures_in_cell > 1 and figure_options.get("label"):
                    figure_options["label"] = f"{figure_options['label']}-{figures_in_cell}"
                blocks.append(
                    _figure_markdown(
                        data["image/png"],
                        options=figure_options,
                        where=f"{where}, cell {index}",
                        media_dir=media_dir,
                        media_prefix=media_prefix,
                        labels=labels,
                        min_width_px=(output.get("metadata") or {})
                        .get("image/png", {})
                        .get("ina/min-width-px"),
                    )
                )
    return "\n\n".join(block for block in blocks if block) + "\n"


def template_environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",)),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        # "{#" opens a pandoc/Quarto attribute ("{#tbl-id}"), so Jinja comments use "{##".
        comment_start_string="{##",
        comment_end_string="##}",
    )


def appendix_markdown(spec: ReportSpec, templates_dir: Path) -> str:
    template = template_environment(templates_dir).get_template("appendix.md.j2")
    return template.render(
        sources=spec.sources,
        coverage=spec.coverage,
        suppression=spec.suppression,
        scheme_label=spec.scheme_label,
    )


def front_matter(spec: ReportSpec) -> dict[str, Any]:
    """The report's metadata, read by pandoc/Quarto templates as ``$ina.*$`` and ``$title$``."""
    return {
        "title": spec.title,
        "pagetitle": f"{spec.title}: {spec.area_name}",
        "lang": "en-GB",
        "ina": {
            "organisation": spec.organisation,
            "area-id": spec.area_id,
            "area-name": spec.area_name,
            "area-kind": spec.area_kind or "",
            "data-status": spec.data_status,
            "status-text": spec.status_text,
            "demo": spec.demo,
        },
    }


def write_report_source(spec: ReportSpec, work_dir: Path, templates_dir: Path) -> Path:
    """Write ``work_dir/report.qmd`` (+ ``media/``) for one area and return its path."""
    work_dir.mkdir(parents=True, exist_ok=True)
    labels = _LabelRegistry()
    parts = [
        "---\n" + yaml.safe_dump(front_matter(spec), sort_keys=True, allow_unicode=True) + "---\n"
    ]
    for chapter in spec.chapters:
        notebook = nbformat.read(chapter.notebook, as_version=4)
        parts.append(
            notebook_markdown(
                notebook,
                where=f"{chapter.chapter}/{spec.area_id}",
                media_dir=work_dir / "media",
                media_prefix="media",
                labels=labels,
            )
        )
    parts.append(appendix_markdown(spec, templates_dir))
    path = work_dir / "report.qmd"
    path.write_text("\n\n".join(parts), encoding="utf-8")
    return path


def render_html_fragment(templates_dir: Path, name: str, spec: ReportSpec) -> str:
    """The HTML cover or footer for one area (``cover.html.j2`` / ``footer.html.j2``)."""
    template = template_environment(templates_dir).get_template(name)
    return template.render(
        title=spec.title,
        organisation=spec.organisation,
        area_name=spec.area_name,
        area_kind=spec.area_kind,
        status_text=spec.status_text,
        demo=spec.demo,
        links=list(spec.extra.get("links", ())),
    )


def source_rows(provenance: Iterable[Mapping[str, Any]], root: Path) -> tuple[SourceRow, ...]:
    """Appendix rows from provenance records, paths shown relative to the project."""
    rows = [
        SourceRow(
            name=str(record["name"]),
            file=relative_to_root(record["path"], root),
            extract_date=str(record.get("extract_date") or "not stated"),
            rows=int(record.get("rows") or 0),
            sha256=str(record["sha256"]),
        )
        for record in provenance
    ]
    return tuple(sorted(rows, key=lambda row: (row.name, row.file)))


def relative_to_root(path: str | Path, root: Path) -> str:
    """A path relative to the project root when inside it, POSIX-style (stable across copies)."""
    candidate = Path(path)
    if not candidate.is_absolute():
        return candidate.as_posix()
    try:
        return candidate.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return candidate.as_posix()


_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")


def chapter_outputs(
    stage_dir: Path, area_id: str, chapters: Sequence[str]
) -> tuple[ChapterOutput, ...]:
    return tuple(
        ChapterOutput(chapter, stage_dir / "notebooks" / area_id / f"{chapter}.ipynb")
        for chapter in chapters
    )
