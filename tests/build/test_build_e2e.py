"""`ina build` and `ina verify` end to end on the demo data.

One build per module (the fixture chapter: fast, follows the notebook contract) is shared
by the tests; a second module fixture builds the real chapters once they exist. Everything
runs in throw-away copies of the project, never in the repository's outputs/.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import FIXTURE_CHAPTER, ProjectFactory, repo_chapters_available
from test_render import figcaptions, pdf_page_count, pdf_text

from ina.build import BuildResult, build, verify
from ina.errors import InputError

pytestmark = pytest.mark.slow

PLACES = [
    "central-norfolk",
    "great-yarmouth-and-waveney",
    "ipswich-and-east-suffolk",
    "west-norfolk",
    "west-suffolk",
]
AREAS = ["icb", *PLACES]
REPORT = "report/integrated-needs-assessment-2026"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def manifest_without_qa(files: dict[str, bytes]) -> dict:
    manifest = json.loads(files["manifest.json"])
    manifest["outputs"] = {
        name: entry for name, entry in manifest["outputs"].items() if not name.startswith("qa/")
    }
    return manifest


def notebook_outputs(path: Path) -> list[list[dict]]:
    notebook = nbformat.read(path, as_version=4)
    return [cell.get("outputs", []) for cell in notebook.cells]


@pytest.fixture(scope="module")
def fixture_build(
    make_project: ProjectFactory, tmp_path_factory: pytest.TempPathFactory
) -> tuple[BuildResult, Path, dict[str, bytes]]:
    config = make_project(tmp_path_factory.mktemp("fixture-project"), [FIXTURE_CHAPTER])
    result = build(config)
    return result, config, snapshot(result.output_dir)


def test_every_expected_output_is_published(fixture_build) -> None:
    result, config, _ = fixture_build
    outputs = result.output_dir
    assert outputs == config.parent / "outputs"
    assert (outputs / f"{REPORT}.html").is_file()
    assert (outputs / f"{REPORT}.pdf").is_file()
    for place in PLACES:
        assert (outputs / "places" / f"{place}.pdf").is_file()
        assert (outputs / "places" / f"{place}.html").is_file()  # web-first: every place
    assert (outputs / "index.html").is_file()
    for area in AREAS:
        assert (outputs / "downloads" / f"{area}.xlsx").is_file()
        assert (outputs / "notebooks" / area / f"{FIXTURE_CHAPTER}.ipynb").is_file()
        for table in ("fig-age-bands", "tbl-age-bands"):
            assert (outputs / "data" / area / FIXTURE_CHAPTER / f"{table}.csv").is_file()
    assert not list((config.parent / "build").glob("run-*")), "staging folders are cleaned up"


def test_manifest_records_inputs_packages_renderer_and_every_output(fixture_build) -> None:
    _, _, published = fixture_build
    manifest = json.loads(published["manifest.json"])
    assert manifest["config"]["reporting_year"] == 2026
    assert {entry["name"] for entry in manifest["inputs"]} >= {"deaths", "births", "deprivation"}
    for entry in manifest["inputs"]:
        assert len(entry["sha256"]) == 64 and not entry["path"].startswith("/")
    assert manifest["renderer"]["name"] in {"pandoc+typst", "quarto"}
    assert manifest["packages"]["pandas"]
    assert set(manifest["outputs"]) == set(published) - {"manifest.json"}
    assert [area["id"] for area in manifest["areas"]] == [
        "icb",
        "west-norfolk",
        "central-norfolk",
        "great-yarmouth-and-waveney",
        "ipswich-and-east-suffolk",
        "west-suffolk",
    ]


def test_published_notebooks_carry_the_contract_parameters(fixture_build) -> None:
    result, config, _ = fixture_build
    notebook = nbformat.read(
        result.output_dir / "notebooks" / "west-norfolk" / f"{FIXTURE_CHAPTER}.ipynb",
        as_version=4,
    )
    parameters = notebook.metadata["papermill"]["parameters"]
    assert parameters == {
        "area": "west-norfolk",
        "config_path": config.name,  # never the build's folder: notebooks are portable
        "artefact_dir": "data",
    }
    assert "start_time" not in json.dumps(notebook.metadata)
    assert str(config.parent) not in nbformat.writes(notebook)


def test_report_has_cover_contents_captions_and_the_demo_status(fixture_build) -> None:
    result, _, _ = fixture_build
    pdf = result.output_dir / f"{REPORT}.pdf"
    assert pdf_page_count(pdf) > 2  # more than cover + contents
    html = (result.output_dir / f"{REPORT}.html").read_text(encoding="utf-8")
    assert "Figure 1: People by age band" in figcaptions(html)
    assert "DEMONSTRATION DATA — synthetic, not for decisions" in html
    assert "this stream output must not reach the report" not in html
    text = pdf_text(result.output_dir / "places" / "west-norfolk.pdf")
    if text is not None:
        assert "West Norfolk" in text and "Figure 1: People by age band" in text


def test_the_same_inputs_give_identical_tables_and_notebook_outputs(fixture_build) -> None:
    _, config, first = fixture_build
    second_result = build(config)
    second = snapshot(second_result.output_dir)
    csvs = sorted(name for name in first if name.endswith(".csv"))
    assert csvs and all(first[name] == second[name] for name in csvs)
    for name in (name for name in first if name.endswith(".ipynb")):
        assert first[name] == second[name], name  # normalised: byte-identical
    # The QA report names the release it compared with (none on a first build, the
    # previous manifest on a rebuild): by design it is the one output that differs.
    assert manifest_without_qa(first) == manifest_without_qa(second)
    assert first["qa/qa-report.md"] != second["qa/qa-report.md"]
    assert first[f"{REPORT}.pdf"] == second[f"{REPORT}.pdf"]
    assert first[f"{REPORT}.html"] == second[f"{REPORT}.html"]
    # From then on every rebuild is identical in every file: the QA report names the
    # previous release by its inputs, not by its manifest's checksum (which changed).
    third = snapshot(build(config).output_dir)
    assert third == second


def test_builds_in_two_folders_are_byte_identical_in_every_file(
    fixture_build, make_project: ProjectFactory, tmp_path: Path
) -> None:
    _, _, first = fixture_build
    config = make_project(tmp_path / "another" / "deeper-folder", [FIXTURE_CHAPTER])
    elsewhere = snapshot(build(config).output_dir)
    assert sorted(elsewhere) == sorted(first)
    assert [name for name in first if first[name] != elsewhere[name]] == []


def test_verify_fails_on_a_changed_png_or_pdf_even_with_an_updated_manifest(
    fixture_build, tmp_path: Path
) -> None:
    result, config, _ = fixture_build
    outputs = tmp_path / "outputs"
    shutil.copytree(result.output_dir, outputs)

    def first_figure(notebook: nbformat.NotebookNode) -> dict:
        return next(
            output
            for cell in notebook.cells
            for output in cell.get("outputs", [])
            if "image/png" in output.get("data", {})
        )

    # west-norfolk's figure swapped for the ICB's: a valid PNG, only its bars differ
    icb = nbformat.read(outputs / "notebooks" / "icb" / f"{FIXTURE_CHAPTER}.ipynb", as_version=4)
    notebook_path = outputs / "notebooks" / "west-norfolk" / f"{FIXTURE_CHAPTER}.ipynb"
    notebook = nbformat.read(notebook_path, as_version=4)
    figure = first_figure(notebook)
    assert figure["data"]["image/png"] != first_figure(icb)["data"]["image/png"]
    figure["data"]["image/png"] = first_figure(icb)["data"]["image/png"]
    nbformat.write(notebook, notebook_path)
    place_pdf = outputs / "places" / "west-suffolk.pdf"
    pdf = bytearray(place_pdf.read_bytes())
    pdf[len(pdf) // 2] ^= 0x01
    place_pdf.write_bytes(bytes(pdf))
    manifest = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))
    for path in (notebook_path, place_pdf):
        relative = path.relative_to(outputs).as_posix()
        manifest["outputs"][relative] = {
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "size_bytes": path.stat().st_size,
        }
    (outputs / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    report = verify(outputs, config=config)  # a copy outside the project: name its config
    assert not report.ok, report.report_problems
    assert not report.file_problems  # the checksums were made to match
    failing = {check.area: check for check in report.chapters if not check.ok}
    assert set(failing) == {"west-norfolk"}
    assert not failing["west-norfolk"].figures_match
    assert failing["west-norfolk"].notebook_outputs_match  # nbval alone would pass it
    assert "figures: fig-age-bands: re-drawn PNG differs from the published one" in (
        failing["west-norfolk"].problems
    )
    assert any(
        problem.startswith("places/west-suffolk.pdf: differs") for problem in report.report_problems
    ), report.report_problems
    # the tampered figure also changes the place PDF drawn from it
    assert any(problem.startswith("places/west-norfolk.pdf") for problem in report.report_problems)


def test_verify_passes_on_a_fresh_build(fixture_build) -> None:
    result, _, _ = fixture_build
    report = verify(result.output_dir)
    assert report.ok, [check.problems for check in report.chapters] + report.file_problems
    assert len(report.chapters) == len(AREAS)


def test_verify_fails_when_a_published_csv_cell_is_edited(fixture_build, tmp_path: Path) -> None:
    result, _, _ = fixture_build
    outputs = tmp_path / "outputs"
    shutil.copytree(result.output_dir, outputs)
    table = outputs / "data" / "icb" / FIXTURE_CHAPTER / "tbl-age-bands.csv"
    rows = list(csv.reader(table.open(encoding="utf-8")))
    rows[1][1] = str(int(rows[1][1]) + 1)
    table.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    report = verify(outputs)
    assert not report.ok
    failing = {(check.area, check.chapter) for check in report.chapters if not check.ok}
    assert failing == {("icb", FIXTURE_CHAPTER)}
    check = next(check for check in report.chapters if check.area == "icb")
    assert not check.tables_match and not check.checksums_match
    assert check.notebook_outputs_match


def test_verify_fails_when_a_markdown_table_output_is_edited(fixture_build, tmp_path: Path) -> None:
    result, _, _ = fixture_build
    outputs = tmp_path / "outputs"
    shutil.copytree(result.output_dir, outputs)
    path = outputs / "notebooks" / "west-norfolk" / f"{FIXTURE_CHAPTER}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    edited = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            markdown = output.get("data", {}).get("text/markdown", "")
            if "|" in markdown:
                output["data"]["text/markdown"] = markdown.replace("108", "109")
                edited += markdown != output["data"]["text/markdown"]
    assert edited == 1
    nbformat.write(notebook, path)
    report = verify(outputs)
    check = next(check for check in report.chapters if check.area == "west-norfolk")
    assert not report.ok and not check.notebook_outputs_match
    assert check.tables_match  # the CSVs were not touched, and re-derive equal
    assert any("Cell" in problem or "mismatch" in problem for problem in check.problems)


@pytest.mark.parametrize(
    ("relative", "row", "column", "break_file"),
    [
        (
            "data_raw/deaths/deaths_2020_2024.csv",
            None,
            "ICD10U",
            # The cause column (the 6th; the optional AGEINDAYS and POD_TYPE follow it)
            # dropped from the header and every row (from the header alone would be "more
            # fields than the header", a different error).
            lambda lines: [
                ",".join(f for i, f in enumerate(line.split(",")) if i != 5) if line else line
                for line in lines
            ],
        ),
        (
            "data_raw/deaths/deaths_2020_2024.csv",
            3,
            "LSOAR",
            lambda lines: [*lines[:2], lines[2].replace(lines[2].split(",")[4], "E0X"), *lines[3:]],
        ),
        (
            "data_raw/population/sapelsoasyoa2022.csv",
            3,
            "F0",
            lambda lines: [
                *lines[:2],
                ",".join([*lines[2].split(",")[:5], "-3", *lines[2].split(",")[6:]]),
                *lines[3:],
            ],
        ),
    ],
    ids=["missing-column", "unknown-area-code", "negative-count"],
)
def test_a_bad_extract_stops_the_build_and_leaves_previous_outputs_untouched(
    fixture_build, relative: str, row: int | None, column: str, break_file
) -> None:
    result, config, _ = fixture_build
    before = snapshot(result.output_dir)
    extract = config.parent / relative
    original = extract.read_bytes()
    lines = original.decode("utf-8").split("\n")
    extract.write_text("\n".join(break_file(lines)), encoding="utf-8")
    try:
        with pytest.raises(InputError) as caught:
            build(config)
    finally:
        extract.write_bytes(original)
    error = caught.value
    assert error.file.endswith(Path(relative).name)
    assert error.column == column and error.row == row
    assert snapshot(result.output_dir) == before


@pytest.fixture(scope="module")
def full_build(
    make_project: ProjectFactory, tmp_path_factory: pytest.TempPathFactory
) -> BuildResult:
    if not repo_chapters_available():
        pytest.skip("the chapter notebooks named in ina.yml do not exist yet")
    config = make_project(tmp_path_factory.mktemp("full-project"))
    return build(config)


def test_full_build_of_the_real_chapters_on_demo_data(full_build: BuildResult) -> None:
    outputs = full_build.output_dir
    chapters = full_build.plan.chapters
    assert (outputs / f"{REPORT}.html").is_file()
    pdf = outputs / f"{REPORT}.pdf"
    assert pdf_page_count(pdf) > 1 + len(chapters)
    for place in PLACES:
        assert pdf_page_count(outputs / "places" / f"{place}.pdf") > 2
    for area in AREAS:
        for chapter in chapters:
            assert (outputs / "notebooks" / area / f"{chapter}.ipynb").is_file()
            assert list((outputs / "data" / area / chapter).glob("*.csv")), (area, chapter)
    html = (outputs / f"{REPORT}.html").read_text(encoding="utf-8")
    assert any(caption.startswith("Figure 1: ") for caption in figcaptions(html))
    assert "DEMONSTRATION DATA — synthetic, not for decisions" in html
    assert 'class="sourceCode' not in html  # no code cells in the report


def test_verify_passes_on_the_full_build(full_build: BuildResult) -> None:
    report = verify(full_build.output_dir)
    assert report.ok, [check.problems for check in report.chapters] + report.file_problems
    assert not report.report_problems


def test_full_builds_in_two_folders_are_byte_identical_in_every_file(
    full_build: BuildResult, make_project: ProjectFactory, tmp_path: Path
) -> None:
    first = snapshot(full_build.output_dir)
    config = make_project(tmp_path / "a" / "second-copy")
    second = snapshot(build(config).output_dir)
    assert sorted(second) == sorted(first)
    assert [name for name in first if first[name] != second[name]] == []


#: Words a missing value must never be published as (issue: "A missing value reads as a
#: word"): Python's and pandas' spellings, and a percentage of nothing.
MISSING_VALUE_WORDS = re.compile(r"\b(?:nan|NaN|None|inf|NA)\b|NA%|-inf\b")


def _visible_text(html: str) -> str:
    """The text a reader sees: no tags, scripts, styles or embedded images."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r'(?s)src="data:[^"]*"', " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def test_no_published_text_shows_a_missing_value_as_nan(full_build: BuildResult) -> None:
    outputs = full_build.output_dir
    found: list[str] = []
    for page in sorted(outputs.rglob("*.html")):
        for match in MISSING_VALUE_WORDS.finditer(_visible_text(page.read_text("utf-8"))):
            found.append(f"{page.relative_to(outputs)}: {match.group(0)!r}")
    for table in sorted((outputs / "data").rglob("*.csv")):
        for match in MISSING_VALUE_WORDS.finditer(table.read_text("utf-8")):
            found.append(f"{table.relative_to(outputs)}: {match.group(0)!r}")
    if shutil.which("pdftotext"):
        for pdf in sorted(outputs.rglob("*.pdf")):
            text = pdf_text(pdf)
            for match in MISSING_VALUE_WORDS.finditer(text):
                found.append(f"{pdf.relative_to(outputs)}: {match.group(0)!r}")
    assert found == [], found[:20]
