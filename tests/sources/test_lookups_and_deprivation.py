"""ONS lookups and the IoD files: good files, each kind of bad file, and the real extracts."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sources_helpers import assert_error, csv_text, real_file, write

from ina.errors import InputError
from ina.sources import read_deprivation, read_district_lookup, read_small_area_lookup

LSOA_HEADER = [
    "LSOA21CD",
    "LSOA21NM",
    "SICBL24CD",
    "SICBL24CDH",
    "SICBL24NM",
    "ICB24CD",
    "ICB24CDH",
    "ICB24NM",
    "LAD24CD",
    "LAD24NM",
    "ObjectId",
]


def lsoa_rows() -> list[list[object]]:
    return [
        [
            "X01000001",
            "Norwich 001A",
            "E38000239",
            "26A",
            "NHS N&S ICB - 26A",
            "E54000068",
            "T6Y0W",
            "NHS N&S ICB",
            "E07000148",
            "Norwich",
            1,
        ],
        [
            "X01000002",
            "Norwich 001B",
            "E38000239",
            "26A",
            "NHS N&S ICB - 26A",
            "E54000068",
            "T6Y0W",
            "NHS N&S ICB",
            "E07000148",
            "Norwich",
            2,
        ],
    ]


def test_small_area_lookup_reads_demo_layout(tmp_path: Path) -> None:
    path = write(tmp_path, "l.csv", csv_text(LSOA_HEADER, lsoa_rows()), bom=True)
    extract = read_small_area_lookup(path)
    frame = extract.frame
    assert list(frame.columns) == [
        "lsoa_code",
        "lsoa_name",
        "sub_icb_ons_code",
        "sub_icb_code",
        "sub_icb_name",
        "district_code",
        "district_name",
    ]
    assert frame["district_code"].tolist() == ["E07000148", "E07000148"]
    assert extract.provenance[0].rows == 2
    assert len(extract.provenance[0].sha256) == 64


def test_small_area_lookup_missing_column_lists_expected(tmp_path: Path) -> None:
    header = [c for c in LSOA_HEADER if c != "SICBL24CDH"]
    rows = [
        [v for c, v in zip(LSOA_HEADER, r, strict=True) if c != "SICBL24CDH"] for r in lsoa_rows()
    ]
    path = write(tmp_path, "l.csv", csv_text(header, rows))
    with pytest.raises(InputError) as error:
        read_small_area_lookup(path)
    assert_error(error, path, row=None, column=r"SICBL\d\dCDH", message="missing")
    assert "LSOA\\d\\dCD" in str(error.value)  # the expected columns are listed


def test_small_area_lookup_ill_formed_code(tmp_path: Path) -> None:
    rows = lsoa_rows()
    rows[1][0] = "E0100002"
    path = write(tmp_path, "l.csv", csv_text(LSOA_HEADER, rows), bom=True, crlf=True)
    with pytest.raises(InputError) as error:
        read_small_area_lookup(path)
    assert_error(error, path, row=3, column="LSOA21CD", message="ill-formed LSOA")


def test_small_area_lookup_duplicate_row(tmp_path: Path) -> None:
    rows = lsoa_rows()
    rows.append(list(rows[0]))
    path = write(tmp_path, "l.csv", csv_text(LSOA_HEADER, rows))
    with pytest.raises(InputError) as error:
        read_small_area_lookup(path)
    assert_error(error, path, row=4, column="LSOA21CD", message="duplicate.*row 2")


def test_real_lsoa11_lookup_without_district_columns() -> None:
    path = real_file(
        "ons_lookups/LSOA_(2011)_to_Sub_ICB_Locations_(July_2022)_Lookup_in_England.csv"
    )
    frame = read_small_area_lookup(path).frame
    assert len(frame) == 32844
    assert frame["district_code"].isna().all()
    norfolk = frame[frame["sub_icb_code"] == "26A"]
    assert len(norfolk) > 500 and norfolk["sub_icb_ons_code"].eq("E38000239").all()


def test_district_lookup_good_and_bad(tmp_path: Path) -> None:
    header = ["LTLA24CD", "LTLA24NM", "UTLA24CD", "UTLA24NM", "ObjectId"]
    rows = [
        ["E07000148", "Norwich", "E10000020", "Norfolk", 1],
        ["E07000202", "Ipswich", "E10000029", "Suffolk", 2],
    ]
    good = write(tmp_path, "d.csv", csv_text(header, rows), bom=True)
    assert read_district_lookup(good).frame["county_name"].tolist() == ["Norfolk", "Suffolk"]
    rows[1][2] = "E1000029"
    bad = write(tmp_path, "bad.csv", csv_text(header, rows))
    with pytest.raises(InputError) as error:
        read_district_lookup(bad)
    assert_error(error, bad, row=3, column="UTLA24CD", message="county")


def test_real_ltla_utla_lookup_has_norfolk() -> None:
    path = real_file(
        "ons_lookups/Lower_Tier_Local_Authority_to_Upper_Tier_Local_Authority_"
        "(December_2022)_Lookup_in_England_and_Wales.csv"
    )
    frame = read_district_lookup(path).frame
    assert len(frame) == 331
    norfolk = frame[frame["county_code"] == "E10000020"]
    assert set(norfolk["district_name"]) >= {"Norwich", "Great Yarmouth", "Breckland"}
    assert len(norfolk) == 7


IOD_SAMPLE = "iod2025_header_sample/File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.HEADER_SAMPLE.csv"  # noqa: E501


def iod2025_text(tmp_path: Path, edit: dict[tuple[int, int], str] | None = None) -> Path:
    """The real 56-column header with demo rows (3 LSOAs), optionally edited."""
    header = real_file(IOD_SAMPLE).read_text(encoding="utf-8").splitlines()[0]
    width = 56
    rows = []
    for i in range(3):
        cells = ["1"] * width
        cells[:7] = [
            f"X0100000{i + 1}",
            f"Norwich 001{'ABC'[i]}",
            "E07000148",
            "Norwich",
            f"{10.5 + i}",
            str(100 + i),
            str(1 + i),
        ]
        cells[52] = str(1500 + i)
        rows.append(cells)
    for (row, column), value in (edit or {}).items():
        rows[row][column] = value
    return write(tmp_path, "f7.csv", header + "\n" + "\n".join(",".join(r) for r in rows) + "\n")


def test_iod2025_layout_reads_score_rank_decile_population(tmp_path: Path) -> None:
    frame = read_deprivation(iod2025_text(tmp_path)).frame
    assert list(frame.columns) == [
        "lsoa_code",
        "lsoa_name",
        "district_code",
        "imd_score",
        "imd_rank",
        "imd_decile",
        "total_population",
    ]
    assert frame["imd_score"].tolist() == [10.5, 11.5, 12.5]
    assert frame["total_population"].tolist() == [1500, 1501, 1502]
    assert str(frame["imd_rank"].dtype) == "int64"


@pytest.mark.parametrize(
    ("edit", "row", "column", "message"),
    [
        ({(1, 6): "11"}, 3, "Decile", "out of range"),
        ({(2, 52): "-4"}, 4, "Total population", "negative"),
        ({(0, 5): "n/a"}, 2, "Rank", "not a number"),
        ({(0, 4): "abc"}, 2, "Score", "not a number"),
        ({(2, 0): "X0100000"}, 4, "LSOA code", "ill-formed"),
        ({(2, 0): "X01000001"}, 4, "LSOA code", "duplicate"),
    ],
)
def test_iod2025_bad_values(
    tmp_path: Path, edit: dict, row: int, column: str, message: str
) -> None:
    path = iod2025_text(tmp_path, edit)
    with pytest.raises(InputError) as error:
        read_deprivation(path)
    assert_error(error, path, row=row, column=column, message=message)


def test_real_iod2025_header_sample() -> None:
    extract = read_deprivation(real_file(IOD_SAMPLE))
    frame = extract.frame
    assert len(frame) == 3
    assert frame["lsoa_code"].tolist() == ["E01000001", "E01000002", "E01000003"]
    assert frame["imd_score"].tolist() == [8.742, 4.722, 9.25]
    assert frame["imd_rank"].tolist() == [26525, 31203, 25913]
    assert frame["total_population"].tolist() == [1795, 1671, 1896]
    assert extract.provenance[0].format == "mhclg_iod_file7_csv"


def test_iod2019_file1_xlsx_layout(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("IMD2019")
    sheet.append(
        [
            "LSOA code (2011)",
            "LSOA name (2011)",
            "Local Authority District code (2019)",
            "Local Authority District name (2019)",
            "Index of Multiple Deprivation (IMD) Rank",
            "Index of Multiple Deprivation (IMD) Decile",
        ]
    )
    sheet.append(["E01026542", "Norwich 001A", "E07000148", "Norwich", 1234, 1])
    sheet.append(["E01026543", "Norwich 001B", "E07000148", "Norwich", 0, 1])
    path = tmp_path / "file1.xlsx"
    book.save(path)
    with pytest.raises(InputError) as error:
        read_deprivation(path)
    assert_error(error, path, row=3, column="Rank", message="out of range")
    sheet["E3"] = 2000.0
    book.save(path)
    frame = read_deprivation(path).frame
    assert frame["imd_rank"].tolist() == [1234, 2000]
    assert frame["imd_score"].isna().all()


def test_real_iod2019_file1() -> None:
    extract = read_deprivation(
        real_file("iod2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx")
    )
    frame = extract.frame
    assert len(frame) == 32844
    assert frame["imd_decile"].between(1, 10).all()
    assert frame["imd_rank"].max() == 32844
    assert frame.loc[frame["lsoa_code"] == "E01000001", "imd_rank"].item() == 29199
    assert extract.provenance[0].format == "mhclg_iod_file1_xlsx"
