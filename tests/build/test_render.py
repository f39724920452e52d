"""The pandoc + Typst renderer (always) and the Quarto renderer (when quarto is on PATH)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from test_assemble import executed_notebook

from ina.build.assemble import ChapterOutput, ReportSpec, SourceRow
from ina.build.render import render_report

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_STATUS = "DEMONSTRATION DATA — synthetic, not for decisions"


def pdf_page_count(pdf: Path) -> int:
    """Pages in a PDF: pdfinfo when installed, else the page objects in the file."""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))


def pdf_text(pdf: Path) -> str | None:
    if not shutil.which("pdftotext"):
        return None
    result = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def report_spec(tmp_path: Path, *, status: str = "demo", kind: str = "icb") -> ReportSpec:
    tmp_path.mkdir(parents=True, exist_ok=True)
    notebook_path = tmp_path / "chapter.ipynb"
    nbformat.write(executed_notebook(), notebook_path)
    return ReportSpec(
        area_id="icb" if kind == "icb" else "west-norfolk",
        area_name="NHS Norfolk and Suffolk ICB" if kind == "icb" else "West Norfolk",
        area_kind="Whole ICB" if kind == "icb" else "Place profile: PHIP alliances",
        title="Integrated Needs Assessment 2026",
        organisation="NHS Norfolk and Suffolk ICB",
        data_status=status,
        chapters=(ChapterOutput("chapter", notebook_path),),
        sources=(SourceRow("deaths", "data_raw/deaths/deaths.csv", "2026-08-01", 1234, "ab" * 32),),
        suppression={"min_count": 1, "max_count": 7, "marker": "*"},
        scheme_label="PHIP alliances",
    )


def render(tmp_path: Path, renderer: str, **spec_options: str) -> tuple[Path, Path, Path]:
    spec = report_spec(tmp_path, **spec_options)
    html, pdf = tmp_path / "out" / "report.html", tmp_path / "out" / "report.pdf"
    html.parent.mkdir()
    work = tmp_path / "work"
    render_report(
        spec, renderer=renderer, project_root=REPO_ROOT, work_dir=work, html=html, pdf=pdf
    )
    return html, pdf, work


def test_pandoc_html_has_numbered_captions_alt_text_status_and_no_code(tmp_path: Path) -> None:
    html, _, _ = render(tmp_path, "pandoc")
    text = html.read_text(encoding="utf-8")
    assert "<figcaption>Figure 1: Two bars</figcaption>" in text
    assert 'alt="Bar chart: b is twice a."' in text
    assert "fig-alt" not in text
    assert "Table 1: A table" in text
    assert "Table 2: Source extracts used in this report" in text
    assert 'class="ina-footer demo"' in text and text.count(DEMO_STATUS) >= 3
    assert "ab" * 32 in text  # the source checksum in the appendix
    for never in ("secret code", "stream text", "plt.show", "plain repr"):
        assert never not in text
    # self-contained: the figure is embedded, nothing is fetched
    assert 'src="data:image/png;base64,' in text
    assert not re.search(r'src="(?!data:)', text)


def test_pandoc_pdf_has_cover_contents_and_status_in_typst_source(tmp_path: Path) -> None:
    _, pdf, work = render(tmp_path, "pandoc")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf_page_count(pdf) >= 4  # cover, contents, chapter, appendix
    typst_source = (work / "report.typ").read_text(encoding="utf-8")
    assert 'alt: "Bar chart: b is twice a."' in typst_source
    assert "<fig-bars>" in typst_source
    assert "secret code" not in typst_source
    text = pdf_text(pdf)
    if text is not None:
        assert "Integrated Needs Assessment 2026" in text
        assert "Figure 1: Two bars" in text
        assert "Table 1: A table" in text
        assert text.count("DEMONSTRATION DATA") >= pdf_page_count(pdf)  # every footer


def test_place_pdf_names_the_place_and_final_data_has_no_demo_banner(tmp_path: Path) -> None:
    _, pdf, _ = render(tmp_path, "pandoc", status="final", kind="place")
    text = pdf_text(pdf)
    if text is None:
        pytest.skip("pdftotext is not installed")
    assert "West Norfolk" in text
    assert "DEMONSTRATION" not in text
    assert "Final" in text


def test_rendering_is_byte_for_byte_repeatable(tmp_path: Path) -> None:
    first_html, first_pdf, _ = render(tmp_path / "a", "pandoc")
    second_html, second_pdf, _ = render(tmp_path / "b", "pandoc")
    assert first_html.read_bytes() == second_html.read_bytes()
    assert first_pdf.read_bytes() == second_pdf.read_bytes()


@pytest.mark.skipif(shutil.which("quarto") is None, reason="quarto is not on PATH")
def test_quarto_renders_the_same_sources(tmp_path: Path) -> None:
    html, pdf, _ = render(tmp_path, "quarto")
    text = html.read_text(encoding="utf-8")
    assert "Two bars" in text and "Bar chart: b is twice a." in text
    assert "secret code" not in text
    assert pdf_page_count(pdf) >= 3
