"""Write the six Live Well notebooks from the catalogue's sections.

Why generated: the six chapters differ only in their indicators, which are data
(``definitions/<chapter>.yml``). Each notebook is thin — a parameters cell, then per
section a heading, a table, the places compared and (for practice-born indicators) the
practice funnel plots, each figure in its own cell with its Quarto label, caption and alt
text, as the renderer expects. ``python -m ina.chapters.live_well_notebooks`` rewrites
them after a catalogue change; ``tests/chapters/test_live_well.py`` fails when the
committed notebooks differ from what this writes, so they cannot drift.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from ina.indicators import CHAPTERS, SECTIONS, load_catalogue

__all__ = ["LIVE_WELL_CHAPTERS", "PREFIXES", "notebook", "write_notebooks"]

LIVE_WELL_CHAPTERS = ("start_well", "feel_well", "be_well", "stay_well", "age_well", "die_well")
#: Short table/figure id prefixes (``tbl-sw-maternity`` ...), unique across the report.
PREFIXES = {
    "start_well": "sw",
    "feel_well": "fw",
    "be_well": "bw",
    "stay_well": "stw",
    "age_well": "aw",
    "die_well": "dw",
}

_SETUP = """\
from ina.chapters import live_well
from ina.chapters.context import load_context
from ina.charts import places as places_chart
from ina.indicators import load_catalogue
from ina.indicators.publish import published_indicators
from ina.publishing import Derived, Disclosure, Publisher, show_markdown

context = load_context(config_path, area)
rule = context.settings.suppression
publish = Publisher(artefact_dir=artefact_dir, area=area, chapter={chapter!r}, rule=rule)
name, icb_name = context.area.name, context.icb_name
places = {{place.id: place.name for place in context.settings.places}}
catalogue = load_catalogue().supported_by(context.settings.source_names())
published = published_indicators(context)
data = live_well.chapter_data(published.table, published.mask, catalogue, {chapter!r})
sections = live_well.section_ids(data)
own_practices = context.geography.practices_in(area)["practice_code"].tolist()
headers = {{
    "indicator": "Indicator, period",
    "value": "Value (95% CI)",
    "icb": "ICB",
    "england": "England",
    "comparison": f"Compared with {{context.comparator_name if context.is_icb else 'ICB'}}",
    "trend": "Trend",
    "target": "Target",
}}
figure_disclosure = Disclosure(
    counts=("numerator",),
    derived={{c: Derived(("numerator",)) for c in ("value", "lower_95", "upper_95")}},
    key=("indicator", "area"),
)
"""

_FINDINGS = """\
show_markdown(
    f"This chapter reports {len(data.catalogue)} indicators for **{name}**, compared with "
    f"{context.comparator_name}"
    + ("" if context.is_icb else f" and England, and ranked among the {len(places)} places")
    + ". Values are those of the published indicators file, with the same cells suppressed."
)
publish.findings(
    live_well.key_findings(
        data,
        area_id=area,
        area_name=name,
        comparator_name=context.comparator_name,
        place_names=places,
    )
)
"""

_TABLE = """\
ids = sections.get({heading!r}, [])
if ids:
    publish.table(
        live_well.indicator_table(data, ids, area_id=area, marker=rule.marker),
        table_id="{prefix}-{section}",
        caption=f"{heading}: {{name}}",
        headers=headers,
    )
else:
    show_markdown("No indicator of this section can be computed from the configured sources.")
"""

_PLACES = """\
#| label: fig-{prefix}-{section}-places
#| fig-cap: "{heading}: the ICB and each place, with 95% confidence intervals"
#| fig-alt: "Small multiples, one panel per indicator, comparing the ICB and its places."
if ids:
    frame = live_well.places_frame(data, ids, places, icb_name=icb_name)
    fig, drawn = places_chart.places_compared(
        frame,
        units={{i: data.indicator(i).unit for i in ids}},
        decimals={{i: data.indicator(i).decimals for i in ids}},
        highlight=None if context.is_icb else area,
    )
    publish.figure(
        fig,
        figure_id="{prefix}-{section}-places",
        data=drawn.assign(numerator=frame["numerator"].to_numpy()),
        disclosure=figure_disclosure,
        hide=frame[["hidden"]].rename(columns={{"hidden": "numerator"}}),
    )
    highlighted = None if context.is_icb else name
    show_markdown("*" + places_chart.describe_places(drawn, area_name=highlighted) + "*")
"""

_FUNNEL = """\
#| label: fig-{prefix}-{section}-funnels
#| fig-cap: "{heading}: practices against funnel-plot control limits"
#| fig-alt: "Funnel plots of practices, one panel per percentage, with 95% and 99.8% limits."
funnel_ids = [i for i in ids if live_well.has_funnel(data.indicator(i))]
if funnel_ids:
    frames = {{
        i: live_well.funnel_frame(data, i, context.geography.practices, highlight=own_practices)
        for i in funnel_ids
    }}
    fig, drawn = places_chart.practice_funnels(
        frames, titles={{i: data.indicator(i).short_name for i in funnel_ids}}
    )
    publish.figure(
        fig,
        figure_id="{prefix}-{section}-funnels",
        data=drawn,
        disclosure=Disclosure(
            counts=("numerator", "denominator"),
            derived={{"value": Derived(("numerator",), denominator="denominator")}},
            key=("indicator", "practice_code"),
        ),
    )
    show_markdown("*" + places_chart.describe_funnels(drawn) + "*")
"""


def _sections(chapter: str) -> list[str]:
    ordered: list[str] = []
    for indicator in load_catalogue():
        if indicator.chapter == chapter and indicator.section not in ordered:
            ordered.append(indicator.section)
    return ordered


def _has_practice_proportions(chapter: str, section: str) -> bool:
    from ina.chapters.live_well import has_funnel

    return any(
        i.chapter == chapter and i.section == section and has_funnel(i) for i in load_catalogue()
    )


def notebook(chapter: str) -> nbformat.NotebookNode:
    """The notebook of one Live Well chapter, outputs empty."""
    prefix = PREFIXES[chapter]
    cells = [
        nbformat.v4.new_code_cell(
            'area = "icb"\nconfig_path = "ina.yml"\nartefact_dir = "build/artefacts"',
            metadata={"tags": ["parameters"]},
        ),
        nbformat.v4.new_markdown_cell(f"# {CHAPTERS[chapter]}"),
        nbformat.v4.new_code_cell(_SETUP.format(chapter=chapter)),
        nbformat.v4.new_code_cell(_FINDINGS),  # not a template: written as is
    ]
    for section in _sections(chapter):
        heading = SECTIONS[section]
        values = {"prefix": prefix, "section": section.replace("_", "-"), "heading": heading}
        cells.append(nbformat.v4.new_markdown_cell(f"## {heading}"))
        cells.append(nbformat.v4.new_code_cell(_TABLE.format(**values)))
        cells.append(nbformat.v4.new_code_cell(_PLACES.format(**values)))
        if _has_practice_proportions(chapter, section):
            cells.append(nbformat.v4.new_code_cell(_FUNNEL.format(**values)))
    book = nbformat.v4.new_notebook(cells=cells)
    book.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for number, cell in enumerate(book.cells):
        cell["id"] = f"{prefix}-{number:02d}"
    return book


def write_notebooks(folder: Path) -> list[Path]:
    """Write every Live Well notebook into ``folder``; return the paths."""
    written = []
    for chapter in LIVE_WELL_CHAPTERS:
        path = Path(folder) / f"{chapter}.ipynb"
        path.write_text(nbformat.writes(notebook(chapter)) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - a developer's command
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("notebooks")
    for path in write_notebooks(target):
        print(path)
