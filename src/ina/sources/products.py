"""Which published product a file is, and which product each ``sources:`` key expects.

Why this exists: a team rarely has every extract, so it tries what it has. A file of the
wrong product (the ePCN workbook as the practice map, the MYEB3 components-of-change
series as the MYE2 population workbook) used to be refused with whatever the reader hit
first: "no header row found", "File is not a zip file", "export the sheet as CSV". Those
are true but do not say what to do. :func:`explain` turns such a refusal into one line
that says what the file is, that this source key does not take it, the exact product
(publisher, product, file name) the key expects, and which key does read the file when
one does.

Recognition is by content (header cells of the first records, or workbook sheet names),
never by file name, because users rename downloads. It runs only after a reader has
refused a file, so it costs nothing on the normal path.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ina.errors import InaError, InputError

#: ``ina.yml`` ``sources`` key → the published product it reads (publisher, product, file).
EXPECTED: dict[str, str] = {
    "small_area_lookup": (
        "the ONS Open Geography Portal LSOA to Sub ICB Locations (to LAD) lookup "
        "(e.g. LSOA21_SICBL24_LAD24 or LSOA_(2011)_to_Sub_ICB_Locations_(July_2022) csv)"
    ),
    "lsoa_best_fit": (
        "the ONS Open Geography Portal LSOA (2011) to LSOA (2021) to Local Authority "
        "District (2022) lookup csv (exact fit or best fit: LSOA11CD, LSOA21CD, CHGIND)"
    ),
    "district_lookup": (
        "the ONS Open Geography Portal Lower Tier to Upper Tier Local Authority lookup "
        "(e.g. LTLA24_UTLA24 csv)"
    ),
    "deprivation": (
        "the MHCLG English Indices of Deprivation, IoD2025 File 7 (csv) or IoD2019 File 1 (xlsx)"
    ),
    "resident_population": (
        "the ONS small area population estimates by single year of age and sex "
        "(SAPE, e.g. sapelsoasyoa2022 csv or xlsx)"
    ),
    "resident_totals": (
        "the ONS small area population estimates as totals per LSOA (the mid-year "
        "population density workbook, e.g. SAPE21DT11 xlsx)"
    ),
    "national_population": (
        "the ONS mid-year population estimates workbook with sheets 'MYE2 - Females' and "
        "'MYE2 - Males' (e.g. ukpopestimatesmid2022 xlsx)"
    ),
    "population_projections": (
        "the ONS subnational population projections csv (SNPP, e.g. 2022 SNPP Population "
        "females/males)"
    ),
    "practice_map": (
        "the NHS Digital Patients Registered at a GP Practice practice mapping file "
        "(gp-reg-pat-prac-map.csv, or the zip holding it)"
    ),
    "registered_by_age": (
        "the NHS Digital Patients Registered at a GP Practice single-year-of-age files "
        "(gp-reg-pat-prac-sing-age-female/male.csv, or gp-reg-pat-prac-sing-age-regions)"
    ),
    "registered_by_small_area": (
        "the NHS Digital Patients Registered at a GP Practice by LSOA file "
        "(gp-reg-pat-prac-lsoa-all.csv)"
    ),
    "deaths": "the ONS/NHS England PCMD record-level deaths extract (data-sharing agreement)",
    "births": "the ONS/NHS England record-level births extract (data-sharing agreement)",
    "fingertips": "an OHID Fingertips 'download data' csv export (or one written by ina fetch)",
    "hospital_activity": "an SUS/HES activity extract by LSOA (FYEAR, LSOA21, POD, ACTIVITY)",
}


@dataclass(frozen=True)
class Product:
    """A published product recognisable from its content.

    ``source`` is the ``sources:`` key that reads it (None when ina reads it under no
    key yet, or under none at all); ``also`` lists further keys that take it.
    """

    description: str
    source: str | None
    test: Callable[[list[list[str]], list[str] | None], bool]
    also: tuple[str, ...] = ()

    def accepted_by(self, key: str) -> bool:
        return key == self.source or key in self.also


def _header(*patterns: str) -> Callable[[list[list[str]], list[str] | None], bool]:
    """A CSV test: one of the first records has a cell fully matching every pattern."""
    compiled = [re.compile(p, re.IGNORECASE) for p in patterns]

    def test(records: list[list[str]], sheets: list[str] | None) -> bool:
        if sheets is not None:
            return False
        return any(all(any(c.fullmatch(cell) for cell in row) for c in compiled) for row in records)

    return test


def _sheet(pattern: str) -> Callable[[list[list[str]], list[str] | None], bool]:
    """A workbook test: a sheet's name fully matches ``pattern``."""
    compiled = re.compile(pattern, re.IGNORECASE)

    def test(records: list[list[str]], sheets: list[str] | None) -> bool:
        return sheets is not None and any(compiled.fullmatch(s.strip()) for s in sheets)

    return test


def _epraccur(records: list[list[str]], sheets: list[str] | None) -> bool:
    """ODS epraccur has no header: 27 fields, a practice code first, a date in field 11."""
    return (
        sheets is None
        and bool(records)
        and len(records[0]) >= 20
        and re.fullmatch(r"[A-Z]\d{5}", records[0][0].strip()) is not None
        and re.fullmatch(r"\d{8}", records[0][10].strip()) is not None
    )


def _geojson(records: list[list[str]], sheets: list[str] | None) -> bool:
    first = next((",".join(row) for row in records if any(cell.strip() for cell in row)), "")
    return sheets is None and first.lstrip().startswith("{") and '"type"' in first.replace(" ", "")


#: Most specific first: the first product whose test passes is the file's.
PRODUCTS: tuple[Product, ...] = (
    Product(
        "an OHID Fingertips 'download data' export",
        "fingertips",
        _header("Indicator ID", "Area Code", "Time period"),
    ),
    Product(
        "a Nomis Census 2021 table download (e.g. TS007A, TS021)",
        "census",
        _header("mnemonic", r"Total(:.*)?"),
    ),
    Product(
        "the MHCLG IoD2025 File 7 (all ranks, scores, deciles and denominators)",
        "deprivation",
        _header(r"LSOA code \(\d{4}\)", r"Index of Multiple Deprivation \(IMD\) Score"),
    ),
    Product(
        "an MHCLG English Indices of Deprivation csv",
        "deprivation",
        _header(r"LSOA code \(\d{4}\)", r"Index of Multiple Deprivation \(IMD\).*"),
    ),
    Product(
        "the MHCLG IoD File 1 workbook (IMD rank and decile by LSOA)",
        "deprivation",
        _sheet(r"IMD\d{4}"),
    ),
    Product(
        "the NHS Digital ePCN workbook (PCN details and core partners; no sub-ICB or ICB columns)",
        None,
        _sheet(r"PCN (Core Partner )?Details"),
    ),
    Product(
        "the ONS SAPE population density workbook (LSOA totals and area, no age or sex)",
        "resident_totals",
        _sheet(r".*Population Density.*"),
    ),
    Product(
        "an ONS mid-year estimates workbook (MYE sheets)",
        "national_population",
        _sheet(r"MYE\d.*"),
    ),
    Product(
        "an ONS small area population estimates workbook (SAPE)",
        "resident_population",
        _sheet(r"Mid-\d{4} (Persons|Females|Males|LSOA).*"),
    ),
    Product(
        "the ONS mid-year estimates detailed time series (MYEB1/2/3: population and "
        "components of change by local authority)",
        None,
        _header(r"ladcode\d\d", r"(population|births|deaths)_\d{4}"),
    ),
    Product(
        "the ONS mid-year estimates detailed time series (MYEB1/2/3: population and "
        "components of change by local authority)",
        None,
        _header(r"ladcode\d\d", r"laname\d\d", r"population_\d{4}"),
    ),
    Product(
        "an ONS Open Geography LSOA to Sub ICB Location lookup",
        "small_area_lookup",
        _header(r"LSOA\d\dCD", r"SICBL\d\dCD"),
    ),
    Product(
        "the ONS LSOA (2011) to LSOA (2021) lookup",
        "lsoa_best_fit",
        _header(r"LSOA11CD", r"LSOA21CD"),
    ),
    Product(
        "an ONS Open Geography LSOA lookup without Sub ICB Location columns",
        None,
        _header(r"LSOA\d\dCD", r"LSOA\d\dNM"),
    ),
    Product(
        "an ONS Open Geography Lower Tier to Upper Tier Local Authority lookup",
        "district_lookup",
        _header(r"LTLA\d\dCD", r"UTLA\d\dCD"),
    ),
    Product(
        "the NHS Digital QOF prevalence (registers by practice) csv",
        "qof_prevalence",
        _header("PRACTICE_CODE", "GROUP_CODE", "REGISTER"),
    ),
    Product(
        "the NHS Digital QOF mapping of NHS geographies csv",
        "qof_mapping",
        _header("PRACTICE_CODE", "PCN_ODS_CODE", "ICB_ODS_CODE"),
    ),
    Product(
        "the NHS Digital Patients Registered at a GP Practice practice mapping file",
        "practice_map",
        _header("PRACTICE_CODE", "PCN_CODE", "ICB_CODE"),
    ),
    Product(
        "the NHS Digital Patients Registered at a GP Practice by LSOA file",
        "registered_by_small_area",
        _header("PRACTICE_CODE", "LSOA_CODE", "NUMBER_OF_PATIENTS"),
    ),
    Product(
        "an NHS Digital Patients Registered at a GP Practice by age file (organisations)",
        "registered_by_age",
        _header("ORG_TYPE", "ORG_CODE", "AGE", "NUMBER_OF_PATIENTS"),
    ),
    Product(
        "an NHS Digital Patients Registered at a GP Practice file (practices by sex and age)",
        "registered_by_age",
        _header("TYPE", "CODE", "SEX", "AGE", "NUMBER_OF_PATIENTS"),
    ),
    Product(
        "the NHS Digital ODS GP practice file (epraccur: practice addresses, no header "
        "row, no PCN or ICB)",
        None,
        _epraccur,
    ),
    Product(
        "an ONS subnational population projections csv (SNPP)",
        "population_projections",
        _header("AREA_CODE", "COMPONENT", "AGE_GROUP"),
    ),
    Product("a record-level deaths extract", "deaths", _header("DOR", "DOD", "AGEINYRS", "LSOAR")),
    Product("a record-level births extract", "births", _header("DOR", "DOB", "BIRTHWGT", "LSOAR")),
    Product(
        "a hospital activity extract",
        "hospital_activity",
        _header("FYEAR", r"LSOA\d\d", "POD", "ACTIVITY"),
    ),
    Product("a GeoJSON boundary file (ina takes no boundaries as a source)", None, _geojson),
)


def identify(path: str | Path) -> Product | None:
    """The product ``path`` holds, by content, or None when it is none ina knows.

    Never raises: an unreadable or unrecognisable file is simply not identified (the
    reader's own message then stands).
    """
    from ina.sources._base import is_xlsx, read_file_bytes

    try:
        raw = read_file_bytes(path, csv_only=False)
    except (InaError, OSError):
        return None
    sheets: list[str] | None = None
    records: list[list[str]] = []
    if is_xlsx(raw):
        try:
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(raw.data), read_only=True)
            sheets = list(book.sheetnames)
            book.close()
        except Exception:  # openpyxl raises many types: a damaged workbook is not identified
            return None
    else:
        records = first_records(raw.data)
    return next((p for p in PRODUCTS if p.test(records, sheets)), None)


def first_records(data: bytes, count: int = 20, *, head_bytes: int = 64 * 1024) -> list[list[str]]:
    """The first ``count`` CSV records of ``data``'s first ``head_bytes`` (BOM dropped,
    cells stripped; none for binary data): enough to tell a product or a vintage."""
    head = data[:head_bytes]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if b"\x00" in head:
        return []
    text = head.decode("utf-8", errors="replace")
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            records.append([cell.strip() for cell in row])
            if len(records) >= count:
                break
    except csv.Error:
        pass
    return records


#: Reader messages that mean "this is not the layout I read" rather than "a cell is bad".
_LAYOUT = re.compile(
    r"no header row found|worksheet .* not found|not a CSV|cannot be opened as an \.xlsx"
    r"|not an \.xlsx workbook|required column|unrecognised layout|no category columns"
    r"|no projection-year columns|no rows with COMPONENT",
)


def explain(error: InputError, key: str, paths: Sequence[str | Path]) -> InputError:
    """The refusal a user can act on, for a reader's ``error`` on the file(s) of ``key``.

    A file recognised as another product: "this is X, not what ``sources: key`` reads;
    expected <product>" (plus the key that reads it, when there is one). A file of the
    right product, or of no known product, keeps the reader's message, and a layout
    refusal gets the expected product added, so the line always names what to get.
    """
    from ina.sources import READERS

    expected = EXPECTED.get(key)
    if expected is None:
        return error
    path = _path_of(error, paths)
    product = identify(path) if path is not None else None
    if product is not None and not product.accepted_by(key):
        hint = ""
        if product.source is not None and product.source in READERS:
            hint = f" (give it as sources: {product.source})"
        # A workbook given where a CSV is read keeps saying so (exporting will not help).
        workbook = "not a CSV but an Excel .xlsx workbook: " if "not a CSV" in error.message else ""
        return InputError(
            str(path),
            f"{workbook}this is {product.description}, not a file sources: {key} reads{hint}",
            expected=expected,
        )
    if error.row is not None or not _LAYOUT.search(str(error)):
        return error
    detail = f" ({error.expected})" if error.expected else ""
    return InputError(
        error.file,
        error.message,
        column=error.column,
        expected=f"{expected}{detail}",
        found=error.found,
    )


def _path_of(error: InputError, paths: Sequence[str | Path]) -> Path | None:
    """Which of the configured files the error is about (the one its label starts with)."""
    candidates = [Path(p) for p in paths]
    if len(candidates) == 1:
        return candidates[0]
    label = error.file.split("!")[0].split(" [")[0]
    return next((p for p in candidates if str(p) == label), None)
