"""`suppression: none` stamps UNSUPPRESSED — NOT FOR PUBLICATION on the cover and footers."""

from __future__ import annotations

from pathlib import Path

from ina.build.assemble import (
    UNSUPPRESSED_TEXT,
    ReportSpec,
    appendix_markdown,
    front_matter,
    render_html_fragment,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _spec(suppression: dict) -> ReportSpec:
    return ReportSpec(
        area_id="icb",
        area_name="NHS Test ICB",
        area_kind=None,
        title="Integrated Needs Assessment 2026",
        organisation="NHS Test ICB",
        data_status="final",
        chapters=(),
        sources=(),
        suppression=suppression,
        scheme_label="Test places",
    )


def test_unsuppressed_builds_are_stamped_everywhere_the_status_is() -> None:
    spec = _spec({"min_count": 1, "max_count": 7, "marker": "[c]", "disabled": True})
    assert spec.status_text.startswith(UNSUPPRESSED_TEXT)
    # The PDF templates print ina.status-text on the cover and in every page footer.
    assert front_matter(spec)["ina"]["status-text"].startswith(UNSUPPRESSED_TEXT)
    for fragment in ("cover.html.j2", "footer.html.j2"):
        assert UNSUPPRESSED_TEXT in render_html_fragment(TEMPLATES, fragment, spec)
    assert UNSUPPRESSED_TEXT in appendix_markdown(spec, TEMPLATES)


def test_suppressed_builds_are_not_stamped() -> None:
    spec = _spec({"min_count": 1, "max_count": 7, "marker": "[c]", "disabled": False})
    assert UNSUPPRESSED_TEXT not in spec.status_text
    assert UNSUPPRESSED_TEXT not in render_html_fragment(TEMPLATES, "footer.html.j2", spec)
    assert '"[c]" (confidential)' in appendix_markdown(spec, TEMPLATES)
