"""Deaths, births, Fingertips, QOF and Nomis readers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sources_helpers import assert_error, csv_text, real_file, write

from ina.errors import InputError
from ina.sources import (
    read_births,
    read_deaths,
    read_fingertips,
    read_nomis_census,
    read_qof_mapping,
    read_qof_prevalence,
)

DEATHS_HEADER = ["DOR", "DOD", "SEX", "AGEINYRS", "LSOAR", "ICD10U"]


def death_rows() -> list[list[object]]:
    return [
        ["2024-01-05", "2024-01-02", 1, 83, "X01000001", "I219"],
        ["2024-02-01", "2024-01-30", 2, 0, "X01000002", "P07"],
    ]


def test_deaths_good(tmp_path: Path) -> None:
    frame = read_deaths(write(tmp_path, "d.csv", csv_text(DEATHS_HEADER, death_rows()))).frame
    assert list(frame.columns) == [
        "registration_date",
        "death_date",
        "sex",
        "age",
        "lsoa_code",
        "underlying_cause",
        "age_days",
        "place_of_death",
    ]
    assert frame["sex"].tolist() == ["male", "female"]
    assert str(frame["registration_date"].dtype).startswith("datetime64")


DETAIL_HEADER = [*DEATHS_HEADER, "AGEINDAYS", "POD_TYPE"]


def detail_rows() -> list[list[object]]:
    return [[*death_rows()[0], "", "care_home"], [*death_rows()[1], 3, "hospital"]]


def test_deaths_without_detail_columns_have_missing_age_days_and_place(tmp_path: Path) -> None:
    frame = read_deaths(write(tmp_path, "d.csv", csv_text(DEATHS_HEADER, death_rows()))).frame
    assert list(frame.columns)[-2:] == ["age_days", "place_of_death"]
    assert frame["age_days"].isna().all() and frame["age_days"].dtype == "float64"
    assert frame["place_of_death"].isna().all()


def test_deaths_with_age_in_days_and_place(tmp_path: Path) -> None:
    frame = read_deaths(write(tmp_path, "d.csv", csv_text(DETAIL_HEADER, detail_rows()))).frame
    assert frame["age_days"].isna().tolist() == [True, False]
    assert frame["age_days"].tolist()[1] == 3.0
    assert frame["place_of_death"].tolist() == ["care_home", "hospital"]


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (0, "AGEINDAYS", "12", "age in days given for a death aged 1 year or over"),
        (1, "AGEINDAYS", "366", "out of range"),
        (1, "AGEINDAYS", "3.5", "not a whole number"),
        (1, "POD_TYPE", "nursing_home", "unknown place of death"),
        (1, "POD_TYPE", "", "unknown place of death"),
    ],
)
def test_bad_death_details(tmp_path: Path, row: int, column: str, value: str, message: str) -> None:
    rows = detail_rows()
    rows[row][DETAIL_HEADER.index(column)] = value
    path = write(tmp_path, "d.csv", csv_text(DETAIL_HEADER, rows))
    with pytest.raises(InputError) as error:
        read_deaths(path)
    assert_error(error, path, row=row + 2, column=column, message=message)


def test_demo_deaths_age_in_days_and_place() -> None:
    deaths = Path(__file__).resolve().parents[2] / "data_raw/deaths/deaths_2020_2024.csv"
    frame = read_deaths(deaths).frame
    infants = frame[frame["age"] == 0]
    assert infants["age_days"].notna().all()
    assert frame.loc[frame["age"] > 0, "age_days"].isna().all()
    assert 0.6 < (infants["age_days"] < 28).mean() < 0.8  # about 70% neonatal
    share = frame["place_of_death"].value_counts(normalize=True)
    usual = share["home"] + share["care_home"] + share["religious"]
    assert 0.43 < usual < 0.52 and 0.39 < share["hospital"] < 0.48
    assert 0.03 < share["hospice"] < 0.07
    cancer = frame["underlying_cause"].str.startswith("C")
    hospice = frame["place_of_death"] == "hospice"
    assert hospice[cancer].mean() > 2 * hospice[~cancer].mean()


@pytest.mark.parametrize(
    ("cell", "value", "column", "message"),
    [
        ((1, 3), "-1", "AGEINYRS", "negative"),
        ((1, 3), "old", "AGEINYRS", "not a number"),
        ((1, 2), "3", "SEX", "unknown sex"),
        ((1, 5), "I21.9", "ICD10U", "ill-formed"),
        ((1, 1), "2024-02-03", "DOD", "after the registration"),
        ((1, 0), "2024-13-01", "DOR", "date"),
    ],
)
def test_deaths_bad(
    tmp_path: Path, cell: tuple[int, int], value: str, column: str, message: str
) -> None:
    rows = death_rows()
    rows[cell[0]][cell[1]] = value
    path = write(tmp_path, "d.csv", csv_text(DEATHS_HEADER, rows))
    with pytest.raises(InputError) as error:
        read_deaths(path)
    assert_error(error, path, row=cell[0] + 2, column=column, message=message)


def test_deaths_missing_column(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", csv_text(DEATHS_HEADER[:-1], [r[:-1] for r in death_rows()]))
    with pytest.raises(InputError) as error:
        read_deaths(path)
    assert_error(error, path, row=None, column="ICD10U", message="missing")


BIRTHS_HEADER = ["DOR", "DOB", "SEX", "BIRTHWGT", "GESTATN", "AGEBM", "LSOAR"]


def test_births_good_with_unknown_weight(tmp_path: Path) -> None:
    rows = [
        ["2023-03-01", "2023-02-20", 2, 3400, 39, 31, "X01000001"],
        ["2023-03-02", "2023-02-21", 1, "", "", 28, "X01000002"],
    ]
    frame = read_births(write(tmp_path, "b.csv", csv_text(BIRTHS_HEADER, rows))).frame
    assert frame["birth_weight_g"].tolist()[0] == 3400
    assert frame["birth_weight_g"].isna().tolist() == [False, True]
    assert str(frame["gestation_weeks"].dtype) == "Int64"
    rows[1][3] = "35OO"
    path = write(tmp_path, "bad.csv", csv_text(BIRTHS_HEADER, rows))
    with pytest.raises(InputError) as error:
        read_births(path)
    assert_error(error, path, row=3, column="BIRTHWGT", message="not a number")


FINGERTIPS = [
    "fingertips_jargonautical/indicators-CountyUA.data.csv",
    "fingertips_heec/smok_qof_prev.csv",
    "fingertips_heec/dementia_qof_prev.csv",
    "fingertips_heec/ld_qof_prev.csv",
    "fingertips_heec/ed_under5.csv",
    "fingertips_gp_imd/indicator-data.csv",
]
FINGERTIPS_ROWS = [852, 11360, 224, 464, 7610, 6547]


@pytest.mark.parametrize(("relative", "rows"), zip(FINGERTIPS, FINGERTIPS_ROWS, strict=True))
def test_real_fingertips_exports(relative: str, rows: int) -> None:
    extract = read_fingertips(real_file(relative))
    frame = extract.frame
    assert len(frame) == rows
    assert frame["value"].dtype == "float64"
    assert {"indicator_id", "area_code", "time_period", "lower_ci_95_0_limit"} <= set(frame.columns)


def test_real_fingertips_26_columns_embedded_newline_and_norfolk() -> None:
    path = real_file(FINGERTIPS[0])
    extract = read_fingertips(path)
    frame = extract.frame
    assert frame.shape[1] == 26 and extract.provenance[0].format.endswith("26col_csv")
    assert frame["indicator_name"].iloc[0] == "Campylobacter incidence rate/100,000"
    assert {"E10000020", "E10000029"} <= set(frame["area_code"])
    assert extract.name == "fingertips_93356"


def test_fingertips_bad_value_line_counts_embedded_newlines(tmp_path: Path) -> None:
    header = (
        "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,"
        "Sex,Age,Category Type,Category,Time period,Value,Lower CI 95.0 limit,"
        "Upper CI 95.0 limit,Count,Denominator"
    )
    good = '1,"Two\nlines",,,E92000001,England,England,Persons,All ages,,,2015,1.5,1,2,3,200'
    bad = '1,"Two\nlines",,,E10000020,Norfolk,County,Persons,All ages,,,2015,high,1,2,3,200'
    path = write(tmp_path, "f.csv", "\n".join([header, good, bad]) + "\n", crlf=True)
    with pytest.raises(InputError) as error:
        read_fingertips(path)
    assert_error(error, path, row=4, column="Value", message="not a number")


def test_real_qof_prevalence_and_mapping() -> None:
    prevalence = read_qof_prevalence(real_file("qof_2223/PREVALENCE_2223.csv")).frame
    assert len(prevalence) == 133938
    assert (
        prevalence.loc[
            (prevalence["practice_code"] == "A81001") & (prevalence["group_code"] == "AF"),
            "register",
        ].item()
        == 112
    )
    mapping = read_qof_mapping(real_file("qof_2223/MAPPING_NHS_GEOGRAPHIES_2223.csv")).frame
    assert len(mapping) == 6378
    norfolk = mapping[mapping["icb_code"] == "QMM"]
    assert norfolk["icb_name"].eq("NHS Norfolk and Waveney Integrated Care Board").all()


def test_qof_prevalence_bad_register(tmp_path: Path) -> None:
    header = ["PRACTICE_CODE", "GROUP_CODE", "REGISTER", "PATIENT_LIST_TYPE", "PRACTICE_LIST_SIZE"]
    path = write(
        tmp_path,
        "q.csv",
        csv_text(
            header, [["Z90001", "AF", "12.0", "TOTAL", 900], ["Z90001", "AST", "1.5", "06OV", 800]]
        ),
    )
    with pytest.raises(InputError) as error:
        read_qof_prevalence(path)
    assert_error(error, path, row=3, column="REGISTER", message="whole number")


def test_real_nomis_ts007a_preamble_and_trailing_blank_lines() -> None:
    extract = read_nomis_census(
        real_file("census2021_nomis/TS007A_age_by_five_year_age_bands_lsoa11.csv")
    )
    frame = extract.frame
    assert extract.provenance[0].rows == 35672
    assert frame["category"].nunique() == 18
    hartlepool = frame[frame["area_code"] == "E01011954"]
    assert hartlepool["count"].sum() == 2284


def test_real_nomis_ts021_footnotes_are_not_data() -> None:
    frame = read_nomis_census(real_file("census2021_nomis/TS021_ethnic_group_lsoa11.csv")).frame
    assert frame["category"].nunique() == 5
    assert frame["area_code"].str.fullmatch(r"[EW]01\d{6}").all()


def test_nomis_total_mismatch_reports_line_after_preamble(tmp_path: Path) -> None:
    text = (
        '\n"TS007A - Age"\n"ONS Crown Copyright"\n"Date       :","2021"\n\n'
        '"2021 super output area - lower layer","mnemonic","Total","A","B"\n\n'
        '"Norwich 001A","E01026542",10,4,6\n"Norwich 001B","E01026543",10,4,5\n\n\n'
        '"","footnote"\n'
    )
    path = write(tmp_path, "n.csv", text)
    with pytest.raises(InputError) as error:
        read_nomis_census(path)
    assert_error(error, path, row=9, column="Total", message="sum of its parts")
