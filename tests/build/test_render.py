"""The pandoc + Typst renderer (always) and the Quarto renderer (when quarto is on PATH)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from html.parser import HTMLParser
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


class _Captions(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.captions: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "figcaption":
            self._depth += 1
            self.captions.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "figcaption":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.captions[-1] += data


def figcaptions(html: str) -> list[str]:
    """The text of every <figcaption>, whitespace (and no-break spaces) collapsed.

    Renderer-agnostic: pandoc writes ``<figcaption>Figure 1: ...``, Quarto attributes, a
    newline and a no-break space; both read "Figure 1: ...".
    """
    parser = _Captions()
    parser.feed(html)
    return [" ".join(caption.replace("\xa0", " ").split()) for caption in parser.captions]


def pdf_objects(pdf: Path) -> bytes:
    """The PDF's bytes with every Flate stream inflated (for metadata checks)."""
    data = pdf.read_bytes()
    parts = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            chunk = data[match.end() : match.end() + 2_000_000]
            parts.append(zlib.decompressobj().decompress(chunk))
        except zlib.error:
            continue
    return b"\n".join(parts)


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
    assert "Figure 1: Two bars" in figcaptions(text)
    assert 'alt="Bar chart: b is twice a."' in text
    assert "fig-alt" not in text
    assert "Table 1: A table" in text
    assert "Table 2: Source extracts used in this report" in text
    assert 'class="ina-footer demo"' in text and text.count(DEMO_STATUS) >= 2
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


def test_html_has_landmarks_skip_link_static_footer_and_scroll_regions(tmp_path: Path) -> None:
    """WCAG 2.2 AA structure (issue 10): skip link, <main>, a named contents <nav>, a
    footer that is not fixed, every table in a focusable, labelled scroll region."""
    html, _, _ = render(tmp_path, "pandoc")
    text = html.read_text(encoding="utf-8")
    assert text.index('class="ina-skip-link" href="#main"') < text.index("<main")
    assert '<main id="main"' in text and text.count("<main") == 1
    assert re.search(r'<nav id="TOC" role="doc-toc" aria-labelledby="toc-title">', text)
    assert '<h1 class="title" id="ina-cover-title">' in text
    assert "position: fixed" not in text and "position:fixed" not in text
    tables = text.count("<table")
    regions = re.findall(
        r'<div class="ina-scroll" role="region" tabindex="0" aria-label="([^"]+)"', text
    )
    assert tables >= 2 and len(regions) >= tables
    assert any(label.startswith("Table 1: A table") for label in regions)
    assert "word-break: break-all" not in text and "word-break:break-all" not in text


def test_pdf_declares_pdf_ua_1_with_its_own_title_and_language(tmp_path: Path) -> None:
    _, pdf, _ = render(tmp_path / "icb", "pandoc")
    _, place_pdf, _ = render(tmp_path / "place", "pandoc", kind="place")
    for path, area in ((pdf, "NHS Norfolk and Suffolk ICB"), (place_pdf, "West Norfolk")):
        objects = pdf_objects(path)
        assert b"pdfuaid:part" in objects and re.search(rb"pdfuaid:part[^0-9]{0,3}1", objects)
        assert b"/DisplayDocTitle true" in objects
        assert re.search(rb"/Lang\s*\(en-GB\)", objects)
        title = f"Integrated Needs Assessment 2026: {area}".encode()
        assert title in objects, f"{path.name}: document title is not {title!r}"


@pytest.mark.skipif(shutil.which("quarto") is None, reason="quarto is not on PATH")
def test_quarto_and_pandoc_pdfs_have_the_same_pages_and_tables_fit(tmp_path: Path) -> None:
    """Typst styles tables of both kinds (`table`, Quarto's "quarto-float-tbl")."""
    for kind in ("icb", "place"):
        _, quarto_pdf, _ = render(tmp_path / f"q-{kind}", "quarto", kind=kind)
        _, pandoc_pdf, _ = render(tmp_path / f"p-{kind}", "pandoc", kind=kind)
        assert pdf_page_count(quarto_pdf) == pdf_page_count(pandoc_pdf)
        quarto_text, pandoc_text = pdf_text(quarto_pdf), pdf_text(pandoc_pdf)
        if quarto_text is None or pandoc_text is None:
            continue

        def table_pages(text: str) -> list[tuple[str, int]]:
            return [
                (match, number)
                for number, page in enumerate(text.split("\f"), start=1)
                for match in re.findall(r"Table \d+:", page)
            ]

        # Each table starts on the same page and none runs over the footer (the footer
        # line stays the last line of every page).
        assert table_pages(quarto_text) == table_pages(pandoc_text)
        for page in quarto_text.split("\f")[:-1]:
            assert re.search(r"Page \d+ of \d+\s*$", page), "a table ran over the footer"
