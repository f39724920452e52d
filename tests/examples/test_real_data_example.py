"""examples/real-data/ina.yml end to end: validate, build, and the published totals.

Issue 9 item 5: a partial INA of NHS Norfolk and Suffolk ICB from the real public files
in ``../shared/real-data``. The example is copied as committed into a throw-away folder
laid out like the repository (``<tmp>/repo/examples/real-data/ina.yml``, with
``<tmp>/shared`` linking to the shared folder) so its relative paths are exercised, then
``ina validate`` and ``ina build`` run as a user would run them. The totals it publishes
are checked against sums computed here straight from the source files with the csv
module and openpyxl, not with ina's readers: the ICB's registered patients, its Core20
residents and its hypertension register.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ina.cli import app

pytestmark = [pytest.mark.slow, pytest.mark.real_data]

REPO = Path(__file__).resolve().parents[2]
REAL_DATA = REPO.parent / "shared" / "real-data"
EXAMPLE = REPO / "examples" / "real-data"
ICB_ODS, SUB_ICBS = "T6Y0W", ("26A", "06L", "07K")
PLACES = {"norfolk-and-waveney": "26A", "ipswich-and-east-suffolk": "06L", "west-suffolk": "07K"}
REPORT = "report/integrated-needs-assessment-2026"


def _rows(relative: str) -> list[dict[str, str]]:
    with (REAL_DATA / relative).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _sheet(relative: str, sheet: str, header_row: int) -> list[tuple]:
    import openpyxl

    book = openpyxl.load_workbook(REAL_DATA / relative, read_only=True, data_only=True)
    rows = list(book[sheet].iter_rows(min_row=header_row + 1, values_only=True))
    book.close()
    return rows


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The example copied as committed and built once: (outputs, validate out, build out)."""
    if not REAL_DATA.is_dir():
        pytest.skip("../shared/real-data is not available")
    root = tmp_path_factory.mktemp("real-example")
    (root / "shared").symlink_to(REAL_DATA.parent, target_is_directory=True)
    (root / "shared" / "real-data").resolve(strict=True)
    project = root / "repo" / "examples" / "real-data"
    project.mkdir(parents=True)
    shutil.copyfile(EXAMPLE / "ina.yml", project / "ina.yml")
    for linked in ("notebooks", "templates", "_quarto.yml"):
        (project / linked).symlink_to(REPO / linked)
    config = project / "ina.yml"
    runner = CliRunner()
    # Wide enough that the coverage table does not fold a source's name.
    validated = runner.invoke(app, ["validate", "--config", str(config)], env={"COLUMNS": "240"})
    assert validated.exit_code == 0, validated.output
    result = runner.invoke(app, ["build", "--config", str(config)])
    assert result.exit_code == 0, result.output
    return project / "outputs", validated.output, result.output


def _published(outputs: Path, relative: str) -> list[dict[str, str]]:
    with (outputs / "data" / relative).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _pdf_text(pdf: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()


def test_validate_prints_the_coverage_and_what_the_files_lack(built) -> None:
    _, validated, _ = built
    text = " ".join(validated.split())
    assert "Coverage of the sources" in validated
    for missing in ("deaths", "births", "resident_population", "registered_by_small_area"):
        assert re.search(rf"{missing}\W+not supplied", validated), missing
    assert "configuration and 9 extract files are valid" in text


def test_html_and_pdf_for_the_icb_and_every_place(built) -> None:
    outputs, _, _ = built
    pages = [outputs / f"{REPORT}.html", outputs / f"{REPORT}.pdf"]
    pages += [
        outputs / "places" / f"{place}.{kind}" for place in PLACES for kind in ("html", "pdf")
    ]
    for page in pages:
        assert page.is_file() and page.stat().st_size > 10_000, page


def test_outputs_say_real_data_and_never_demonstration(built) -> None:
    outputs, _, _ = built
    for pdf in [outputs / f"{REPORT}.pdf", *(outputs / "places").glob("*.pdf")]:
        text = _pdf_text(pdf)
        assert "REAL DATA" in text, pdf
        assert not re.search(r"demonstration|synthetic", text, re.IGNORECASE), pdf
    for html in [outputs / "index.html", *outputs.rglob("*.html")]:
        text = html.read_text(encoding="utf-8")
        assert "REAL DATA" in text, html
        assert not re.search(r"demonstration|synthetic", text, re.IGNORECASE), html


def test_methods_state_the_vintages_used_and_coverage_the_sources_not_supplied(built) -> None:
    outputs, _, _ = built
    text = " ".join(_pdf_text(outputs / f"{REPORT}.pdf").split())
    assert "IoD2019 File 1 (IMD ranks and deciles, no scores), LSOA 2011" in text
    assert "LSOA 2021" not in text
    assert "mid-2018" in text and "QOF 2022-23" in text and "1 August 2026" in text
    assert "not available (source not supplied: births, deaths, resident_population)" in text
    coverage = {row["source"]: row["status"] for row in _published(outputs, "coverage.csv")}
    assert coverage["deaths"] == "not supplied" and coverage["qof_prevalence"] == "supplied"


def test_icb_and_place_registered_patients_equal_the_regions_file(built) -> None:
    """The regions file's SEX=ALL, AGE=ALL rows: the ICB row, and each place's sub-ICB row."""
    outputs, _, _ = built
    totals = {
        (row["ORG_TYPE"], row["ORG_CODE"]): int(row["NUMBER_OF_PATIENTS"])
        for row in _rows("nhsd_gp_reg_2026/gp-reg-pat-prac-sing-age-regions.filtered.csv")
        if row["SEX"] == "ALL" and row["AGE"] == "ALL"
    }
    expected = {"icb": totals[("ICB", ICB_ODS)]}
    expected |= {place: totals[("SUB_ICB_LOCATION_CODE", code)] for place, code in PLACES.items()}
    assert expected["icb"] == sum(expected[place] for place in PLACES)
    for area, patients in expected.items():
        table = _published(outputs, f"{area}/population/pop-registered-ages.csv")
        all_ages = next(row for row in table if row["age_group"] == "All ages")
        assert int(all_ages["registered"]) == patients, area
        assert int(all_ages["female"]) + int(all_ages["male"]) == patients
    assert expected["icb"] == 1_790_661  # as published for 1 August 2026


def test_core20_residents_equal_iod2019_deciles_1_2_times_sape_2018(built) -> None:
    """LSOAs of the three sub-ICB locations (ONS lookup), IMD decile 1-2 (IoD2019 File 1),
    residents from the mid-2018 density workbook."""
    outputs, _, _ = built
    lookup = _rows("ons_lookups/LSOA_(2011)_to_Sub_ICB_Locations_(July_2022)_Lookup_in_England.csv")
    icb_lsoas = {row["LSOA11CD"] for row in lookup if row["SICBL22CDH"] in SUB_ICBS}
    decile = {
        row[0]: int(row[5])
        for row in _sheet(
            "iod2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx", "IMD2019", 1
        )
        if row[0]
    }
    residents = {
        row[0]: int(row[2])
        for row in _sheet(
            "ons_sape/SAPE21DT11-mid-2018-lsoa-population-density.xlsx",
            "Mid-2018 Population Density",
            5,
        )
        if isinstance(row[0], str) and row[0].startswith("E01")
    }
    population = sum(residents[code] for code in icb_lsoas)
    core20 = sum(residents[code] for code in icb_lsoas if decile[code] <= 2)
    table = _published(outputs, "icb/deprivation/dep-core20-table.csv")
    icb = next(row for row in table if row["name"] == "NHS Norfolk and Suffolk ICB")
    assert int(_number(icb["core20_population"])) == core20
    assert int(_number(icb["population"])) == population
    assert sum(int(_number(row["core20_population"])) for row in table if row is not icb) == core20


def test_hypertension_register_equals_qof_2223_for_the_icbs_practices_now(built) -> None:
    """QOF 2022-23 HYP registers of the practices the August 2026 map puts in T6Y0W (they
    were in QMM and QJG in 2022-23), and their list sizes as the denominator."""
    outputs, _, _ = built
    practices = {
        row["PRACTICE_CODE"]
        for row in _rows("nhsd_gp_reg_2026/gp-reg-pat-prac-map.csv")
        if row["ICB_CODE"] == ICB_ODS
    }
    hyp = [
        row
        for row in _rows("qof_2223/PREVALENCE_2223.csv")
        if row["GROUP_CODE"] == "HYP" and row["PRACTICE_CODE"] in practices
    ]
    register = sum(int(float(row["REGISTER"])) for row in hyp)
    list_size = sum(int(row["PRACTICE_LIST_SIZE"]) for row in hyp)
    indicators = _published(outputs, "indicators.csv")
    icb = next(
        row
        for row in indicators
        if row["indicator_id"] == "hypertension_prevalence" and row["area_id"] == "icb"
    )
    assert int(_number(icb["numerator"])) == register
    assert int(_number(icb["denominator"])) == list_size
    assert icb["period"] == "2022-23"
    old_icbs = {
        row["ICB_ODS_CODE"]
        for row in _rows("qof_2223/MAPPING_NHS_GEOGRAPHIES_2223.csv")
        if row["PRACTICE_CODE"] in {r["PRACTICE_CODE"] for r in hyp}
    }
    assert old_icbs == {"QMM", "QJG"}  # the 2022-23 codes, mapped through the 2026 map
    by_place = {
        row["area_id"]: int(_number(row["numerator"]))
        for row in indicators
        if row["indicator_id"] == "hypertension_prevalence" and row["area_type"] == "place"
    }
    assert set(by_place) == set(PLACES) and sum(by_place.values()) == register


def test_qa_finds_no_zero_population(built) -> None:
    outputs, _, _ = built
    findings = _published_qa(outputs)
    assert not [row for row in findings if row["check"] == "zero-population"]
    assert not [row for row in findings if row["severity"] == "error"]


def _published_qa(outputs: Path) -> list[dict[str, str]]:
    with (outputs / "qa" / "qa-findings.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
