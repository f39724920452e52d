"""ONS Open Geography lookups: LSOA → sub-ICB (→ district) and district → county.

ONS names lookup columns by entity and vintage year (``LSOA21CD``, ``SICBL24CDH``,
``LAD24CD``, ``LTLA22CD``), and the set of columns differs between products (the real
``LSOA_(2011)_to_Sub_ICB_Locations_(July_2022)`` file has no LAD columns), so columns are
found by prefix and two-digit year rather than by exact name. Files are UTF-8 with BOM.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import Extract, has_columns, read_csv_table, read_file_bytes, resolve_columns

SMALL_AREA_COLUMNS = {
    "lsoa_code": r"LSOA\d\dCD",
    "lsoa_name": r"LSOA\d\dNM",
    "sub_icb_ons_code": r"SICBL\d\dCD",
    "sub_icb_code": r"SICBL\d\dCDH",
    "sub_icb_name": r"SICBL\d\dNM",
    "district_code": r"LAD\d\dCD",
    "district_name": r"LAD\d\dNM",
}

DISTRICT_COLUMNS = {
    "district_code": r"LTLA\d\dCD",
    "district_name": r"LTLA\d\dNM",
    "county_code": r"UTLA\d\dCD",
    "county_name": r"UTLA\d\dNM",
}


def read_small_area_lookup(path: str | Path, *, name: str | None = None) -> Extract:
    """Read an ONS LSOA → sub-ICB location (→ LAD) lookup.

    Tidy columns: ``lsoa_code, lsoa_name, sub_icb_ons_code, sub_icb_code, sub_icb_name,
    district_code, district_name`` (district columns NA when the file has none). One row
    per LSOA (checked).
    """
    raw = read_file_bytes(path)
    table = read_csv_table(raw, header=has_columns(r"LSOA\d\dCD"), expected="LSOA..CD header")
    columns = resolve_columns(
        table, SMALL_AREA_COLUMNS, optional=("district_code", "district_name")
    )
    frame = pd.DataFrame(
        {
            "lsoa_code": check.codes(table, columns["lsoa_code"], check.LSOA, description="LSOA"),
            "lsoa_name": check.text(table, columns["lsoa_name"]),
            "sub_icb_ons_code": check.codes(
                table, columns["sub_icb_ons_code"], check.SUB_ICB_ONS, description="sub-ICB ONS"
            ),
            "sub_icb_code": check.codes(
                table, columns["sub_icb_code"], check.ORG_CODE, description="sub-ICB ODS"
            ),
            "sub_icb_name": check.text(table, columns["sub_icb_name"]),
        }
    )
    if columns["district_code"] is not None:
        frame["district_code"] = check.codes(
            table, columns["district_code"], check.DISTRICT_EW, description="district"
        )
    else:
        frame["district_code"] = pd.Series(pd.NA, index=frame.index, dtype="str")
    if columns["district_name"] is not None:
        frame["district_name"] = check.text(table, columns["district_name"])
    else:
        frame["district_name"] = pd.Series(pd.NA, index=frame.index, dtype="str")
    check.unique(table, {columns["lsoa_code"]: frame["lsoa_code"]}, "small area")
    provenance = raw.provenance(
        name or "small_area_lookup", rows=len(frame), fmt="ons_lsoa_sub_icb_lookup_csv"
    )
    return Extract(name or "small_area_lookup", frame, (provenance,))


def read_district_lookup(path: str | Path, *, name: str | None = None) -> Extract:
    """Read an ONS lower-tier → upper-tier local authority lookup (``LTLA..CD`` ...).

    Tidy columns: ``district_code, district_name, county_code, county_name``; a unitary
    authority is its own county. One row per district (checked).
    """
    raw = read_file_bytes(path)
    table = read_csv_table(raw, header=has_columns(r"LTLA\d\dCD"), expected="LTLA..CD header")
    columns = resolve_columns(table, DISTRICT_COLUMNS)
    frame = pd.DataFrame(
        {
            "district_code": check.codes(
                table, columns["district_code"], check.DISTRICT_EW, description="district"
            ),
            "district_name": check.text(table, columns["district_name"]),
            "county_code": check.codes(
                table, columns["county_code"], check.COUNTY_EW, description="county"
            ),
            "county_name": check.text(table, columns["county_name"]),
        }
    )
    check.unique(table, {columns["district_code"]: frame["district_code"]}, "district")
    provenance = raw.provenance(
        name or "district_lookup", rows=len(frame), fmt="ons_ltla_utla_lookup_csv"
    )
    return Extract(name or "district_lookup", frame, (provenance,))
