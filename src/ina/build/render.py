"""Step 'render', part 2: report sources -> HTML and PDF, with Quarto or pandoc + Typst.

Quarto is used whenever a ``quarto`` executable is on PATH (it is installed from
conda-forge); otherwise the build drives the two engines Quarto itself drives:

- pandoc (from pypandoc-binary) turns ``report.qmd`` into self-contained HTML (images
  embedded) and into Typst, with ``templates/figures.lua`` standing in for Quarto's figure
  and table cross-references (numbering, ``fig-alt``) and ``templates/report.typst`` as the
  Typst template;
- Typst (the ``typst`` Python package) compiles the Typst to PDF.

Both paths read the same sources and the same layout (``templates/ina.typ``), so the
published report looks the same whichever renderer built it; the manifest records which,
with the versions of the pandoc and Typst it ran (Quarto bundles its own).

Every PDF declares PDF/UA-1 (:data:`PDF_STANDARD`; Quarto: ``pdf-standard: ua-1``), so
Typst refuses to write one that misses a title, a language or alt text. Every HTML page
gets landmarks and a skip link (``templates/report.html``; Quarto's own template) and
tables and charts in focusable scroll regions (``templates/web.lua``).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal

import yaml

from ina.build.assemble import ReportSpec, render_html_fragment, write_report_source
from ina.errors import BuildError

RendererName = Literal["auto", "quarto", "pandoc"]
#: The PDF standard every report declares (and Typst checks while writing it).
PDF_STANDARD = "ua-1"


@dataclass(frozen=True)
class RenderedReport:
    area_id: str
    html: Path | None
    pdf: Path


@dataclass(frozen=True)
class RendererInfo:
    """Which renderer built the outputs, with versions (recorded in the manifest)."""

    name: str
    versions: dict[str, str]

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "versions": dict(sorted(self.versions.items()))}


def quarto_executable() -> str | None:
    return shutil.which("quarto")


def pandoc_executable() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def choose_renderer(requested: RendererName = "auto") -> RendererInfo:
    """Quarto when asked for or (``auto``) when on PATH, else pandoc + Typst."""
    quarto = quarto_executable()
    if requested == "quarto" and quarto is None:
        raise BuildError("step 'render' failed: --renderer quarto but no 'quarto' on PATH")
    if quarto is not None and requested in {"auto", "quarto"}:
        return RendererInfo("quarto", quarto_versions(quarto))
    pandoc_version = _command_version([pandoc_executable(), "--version"]).split()[-1]
    return RendererInfo(
        "pandoc+typst",
        {"pandoc": pandoc_version, "typst-py": metadata.version("typst")},
    )


def quarto_versions(quarto: str) -> dict[str, str]:
    """Quarto's version and those of the pandoc and Typst it bundles and runs."""
    pandoc = _command_version([quarto, "pandoc", "--version"]).split()
    typst = _command_version([quarto, "typst", "--version"]).split()
    return {
        "quarto": _command_version([quarto, "--version"]),
        "pandoc": pandoc[-1] if pandoc else "unknown",
        "typst": typst[1] if len(typst) > 1 else (typst[0] if typst else "unknown"),
    }


def _command_version(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    first_line = (result.stdout or result.stderr).strip().splitlines()
    return first_line[0].strip() if first_line else "unknown"


def _run(command: list[str], *, cwd: Path, what: str) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit code {result.returncode}"
        raise BuildError(f"step 'render' failed for {what}: {reason}")


def prepare_work_dir(spec: ReportSpec, work_dir: Path, project_root: Path) -> Path:
    """Report source, media, templates and the Quarto project file in one folder."""
    templates_dir = project_root / "templates"
    if work_dir.exists():
        shutil.rmtree(work_dir)
    source = write_report_source(spec, work_dir, templates_dir)
    shutil.copytree(templates_dir, work_dir / "templates")
    (work_dir / "cover.html").write_text(
        render_html_fragment(templates_dir, "cover.html.j2", spec), encoding="utf-8"
    )
    (work_dir / "footer.html").write_text(
        render_html_fragment(templates_dir, "footer.html.j2", spec), encoding="utf-8"
    )
    quarto_project = project_root / "_quarto.yml"
    if quarto_project.is_file():
        shutil.copyfile(quarto_project, work_dir / "_quarto.yml")
    return source


def render_with_pandoc(spec: ReportSpec, source: Path, html: Path | None, pdf: Path) -> None:
    """pandoc -> AST, then HTML (self-contained) and Typst -> PDF (typst.compile) from it."""
    import typst

    work_dir = source.parent
    pandoc = pandoc_executable()
    # The Markdown is read once into pandoc's AST (JSON, lossless): reading it is most of
    # a pandoc run (about 3 s of a report's 4), and the HTML and the Typst are both
    # written from it. The filters run per output, where they see the output format.
    ast = work_dir / "report.json"
    _run(
        [pandoc, source.name, "--from=markdown", "--to=json", f"--output={ast.name}"],
        cwd=work_dir,
        what=f"Markdown of {spec.area_id}",
    )
    common = [
        pandoc,
        ast.name,
        "--from=json",
        "--lua-filter=templates/headings.lua",
        "--lua-filter=templates/figures.lua",
        "--number-sections",
        "--toc",
        "--toc-depth=2",
    ]
    if html is not None:
        _run(
            [
                *common,
                "--to=html5",
                "--standalone",
                "--template=templates/report.html",
                "--lua-filter=templates/web.lua",
                "--embed-resources",
                "--css=templates/report.css",
                "--include-before-body=cover.html",
                "--include-after-body=footer.html",
                "--include-after-body=templates/scroll-hint.html",
                "--metadata=toc-title:Contents",
                f"--output={html.resolve()}",
            ],
            cwd=work_dir,
            what=f"HTML of {spec.area_id}",
        )
    typst_source = work_dir / "report.typ"
    _run(
        [*common, "--to=typst", "--template=templates/report.typst", f"--output={typst_source}"],
        cwd=work_dir,
        what=f"Typst of {spec.area_id}",
    )
    pdf.parent.mkdir(parents=True, exist_ok=True)
    try:
        typst.compile(
            str(typst_source), output=str(pdf), root=str(work_dir), pdf_standards=[PDF_STANDARD]
        )
    except Exception as error:  # typst raises its own TypstError with the diagnostics
        reason = str(error).strip().splitlines()
        raise BuildError(
            f"step 'render' failed for PDF of {spec.area_id}: "
            f"{reason[0] if reason else type(error).__name__}"
        ) from error


def render_with_quarto(spec: ReportSpec, source: Path, html: Path | None, pdf: Path) -> None:
    """``quarto render report.qmd --to html|typst`` in the area's project folder."""
    quarto = quarto_executable()
    if quarto is None:
        raise BuildError("step 'render' failed: 'quarto' is no longer on PATH")
    work_dir = source.parent
    metadata_file = work_dir / "_metadata.yml"
    metadata_file.write_text(
        yaml.safe_dump(
            {
                "format": {
                    "html": {
                        "include-before-body": ["templates/skip-link.html", "cover.html"],
                        "include-after-body": ["footer.html", "templates/scroll-hint.html"],
                    }
                }
            },
            sort_keys=True,
        ),
        encoding="utf-8",
    )
    formats = (["html"] if html is not None else []) + ["typst"]
    for output_format in formats:
        _run(
            [quarto, "render", source.name, "--to", output_format],
            cwd=work_dir,
            what=f"{output_format} of {spec.area_id} (quarto)",
        )
    pdf.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(work_dir / "report.pdf", pdf)
    if html is not None:
        html.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(work_dir / "report.html", html)


def render_report(
    spec: ReportSpec,
    *,
    renderer: str,
    project_root: Path,
    work_dir: Path,
    html: Path | None,
    pdf: Path,
) -> RenderedReport:
    """Write the sources of one area's report and render them (runs in a worker process)."""
    source = prepare_work_dir(spec, work_dir, project_root)
    if renderer == "quarto":
        render_with_quarto(spec, source, html, pdf)
    else:
        render_with_pandoc(spec, source, html, pdf)
    return RenderedReport(spec.area_id, html, pdf)
