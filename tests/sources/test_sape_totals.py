"""ina.sources.sape.read_sape_totals: residents per LSOA without age (sources: resident_totals).

Issue 9: population files with totals only (the SAPE density workbooks) are used for
what needs no age; they are their own source so that nothing needing ages reads them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sources_helpers import assert_error, real_file, write

from ina.errors import InputError
from ina.sources import read_sape_totals

DENSITY = "ons_sape/SAPE21DT11-mid-2018-lsoa-population-density.xlsx"


def _density_csv(rows: str) -> str:
    return (
        "Table SAPE21DT11: Mid-2018 Population Density\n"
        "\n"
        "Code,Name,Mid-2018 population,Area Sq Km,People per Sq Km\n" + rows
    )


def test_totals_are_read_below_title_rows_and_non_lsoa_rows_left_out(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "density.csv",
        _density_csv(
            "E92000001,England,55977178,130310,429.6\n"
            "E01026823,Norwich 007B,1800,0.5,3600\n"
            "W01000001,Isle of Anglesey 001A,1500,2.0,750\n"
        ),
    )
    extract = read_sape_totals(path)
    assert extract.frame.to_dict("list") == {
        "lsoa_code": ["E01026823", "W01000001"],
        "population": [1800, 1500],
    }
    assert extract.provenance[0].format == "ons_sape_totals_csv"
    assert extract.provenance[0].rows == 2


def test_a_bad_count_names_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "density.csv",
        _density_csv("E01026823,Norwich 007B,1800,0.5,3600\nE01026824,Norwich 007C,-5,0.4,1\n"),
    )
    with pytest.raises(InputError) as error:
        read_sape_totals(path)
    assert_error(error, path, row=5, column="Mid-2018 population", message="negative")


def test_a_file_with_single_years_only_is_not_totals(tmp_path: Path) -> None:
    path = write(tmp_path, "sape.csv", "LSOA 2021 Code,Total,F0\nE01026823,10,10\n")
    with pytest.raises(InputError, match="no header row found"):
        read_sape_totals(path)


@pytest.mark.real_data
def test_the_real_density_workbook() -> None:
    """Every LSOA of England and Wales (mid-2018, LSOA 2011): 32,844 + 1,909 rows, and
    the sum is the ONS mid-2018 estimate for England and Wales (59,115,809)."""
    import openpyxl

    path = real_file(DENSITY)
    frame = read_sape_totals(path).frame
    assert len(frame) == 32_844 + 1_909
    assert frame["lsoa_code"].is_unique
    sheet = openpyxl.load_workbook(path, read_only=True)["Mid-2018 Population Density"]
    expected = {
        row[0]: row[2]
        for row in sheet.iter_rows(min_row=6, values_only=True)
        if isinstance(row[0], str) and row[0][:3] in ("E01", "W01")
    }
    assert frame["population"].sum() == sum(expected.values()) == 59_115_809
    norwich = frame.set_index("lsoa_code").at["E01026823", "population"]
    assert norwich == expected["E01026823"]
