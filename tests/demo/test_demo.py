"""ina.demo: deterministic bytes, the committed data_raw/ is current, formats, plausible scale."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from ina.demo import DEFAULT_SEED, DEFAULT_SOURCES, build_world, write_demo_data
from ina.demo._world import NATIONAL_LSOA_COUNT, distinct_ranks

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT / ".." / "shared"


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo_a")
    write_demo_data(root)
    return root


@pytest.fixture(scope="module")
def world():
    return build_world(DEFAULT_SEED)


def path_of(root: Path, name: str) -> Path:
    value = DEFAULT_SOURCES[name]
    assert isinstance(value, str)
    return root / value


# --- determinism --------------------------------------------------------------------------


def test_byte_identical_across_runs(demo_root: Path, tmp_path: Path) -> None:
    written = write_demo_data(tmp_path)
    # 25 extracts (two registered_by_age files, twelve Live Well ones) + README
    assert len(written) == 26
    first, second = tree_bytes(demo_root / "data_raw"), tree_bytes(tmp_path / "data_raw")
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], f"{name} differs between two runs"


def test_another_seed_gives_other_data(demo_root: Path, tmp_path: Path) -> None:
    write_demo_data(tmp_path, seed=DEFAULT_SEED + 1)
    a = path_of(demo_root, "deaths").read_bytes()
    b = path_of(tmp_path, "deaths").read_bytes()
    assert a != b


def test_committed_data_raw_is_current(tmp_path: Path) -> None:
    """data_raw/ in the repository is exactly what ``ina demo-data`` writes for the
    repository's ina.yml (regenerate with it after changing ina.demo or the catalogue:
    the Fingertips-format export is computed from the other extracts)."""
    committed = REPO_ROOT / "data_raw"
    if not committed.is_dir():
        pytest.skip("data_raw/ not present in this checkout")
    (tmp_path / "ina.yml").write_bytes((REPO_ROOT / "ina.yml").read_bytes())
    write_demo_data(tmp_path)
    assert tree_bytes(committed) == tree_bytes(tmp_path / "data_raw")


def test_the_fingertips_export_gives_england_for_every_fingertips_indicator(
    tmp_path: Path,
) -> None:
    from ina.indicators import load_catalogue
    from ina.indicators.comparators import fingertips_comparators
    from ina.sources import read_fingertips

    export = read_fingertips(REPO_ROOT / "data_raw" / "fingertips" / "fingertips_comparators.csv")
    catalogue = load_catalogue()
    with_id = catalogue.only([i.id for i in catalogue if i.fingertips_id is not None])
    found = fingertips_comparators(with_id, export.frame)
    assert set(found.loc[found["area_id"] == "england", "indicator_id"]) == set(with_id.ids)
    # The ICB rows are the engine's values on the demo extracts (consistent by construction).
    # Published measures (survey-based) have one ICB row per period of their trend.
    icb = export.frame[export.frame["area_code"] == "E54000068"]
    from ina.demo._fingertips import PUBLISHED_YEARS

    expected: dict[int, int] = {}
    for indicator in with_id:  # male and female life expectancy share one id
        one = len(PUBLISHED_YEARS) if indicator.method == "published" else 1
        expected[indicator.fingertips_id] = expected.get(indicator.fingertips_id, 0) + one
    assert icb.groupby("indicator_id").size().to_dict() == expected


def test_paths_follow_ina_yml(tmp_path: Path) -> None:
    config = (REPO_ROOT / "ina.yml").read_text(encoding="utf-8")
    config = config.replace("data_raw/deaths/deaths_2020_2024.csv", "data_raw/elsewhere/deaths.csv")
    (tmp_path / "ina.yml").write_text(config, encoding="utf-8")
    written = write_demo_data(tmp_path)
    assert tmp_path / "data_raw" / "elsewhere" / "deaths.csv" in written
    assert not (tmp_path / "data_raw" / "deaths").exists()


def test_xlsx_has_fixed_timestamps(demo_root: Path) -> None:
    workbook = openpyxl.load_workbook(path_of(demo_root, "national_population"))
    assert workbook.properties.created.year == 2026
    assert workbook.properties.modified == workbook.properties.created


# --- formats ------------------------------------------------------------------------------


def test_ons_lookups_have_bom_and_lf(demo_root: Path) -> None:
    for name in ("small_area_lookup", "district_lookup"):
        data = path_of(demo_root, name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), name
        assert b"\r\n" not in data
    header = path_of(demo_root, "small_area_lookup").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == (
        "LSOA21CD,LSOA21NM,SICBL24CD,SICBL24CDH,SICBL24NM,ICB24CD,ICB24CDH,ICB24NM,LAD24CD,LAD24NM,ObjectId"
    )


def test_nhs_digital_files_crlf_and_dates(demo_root: Path) -> None:
    for relative in (
        "data_raw/gp_registrations/gp-reg-pat-prac-map.csv",
        "data_raw/gp_registrations/gp-reg-pat-prac-sing-age-female.csv",
        "data_raw/gp_registrations/gp-reg-pat-prac-lsoa-all.csv",
    ):
        data = (demo_root / relative).read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf")
        lines = data.split(b"\r\n")
        assert len(lines) > 100 and b"\n" not in lines[1]
        assert re.fullmatch(rb"\d{2}[A-Z][a-z]{2}\d{4}", lines[1].split(b",")[1]), relative


def test_file_7_header_matches_the_real_file(demo_root: Path) -> None:
    sample = SHARED / "real-data" / "iod2025_header_sample"
    files = sorted(sample.glob("*.csv")) if sample.is_dir() else []
    if not files:
        pytest.skip("IoD2025 header sample not found in ../shared")
    with files[0].open(encoding="utf-8-sig", newline="") as handle:
        real = next(csv.reader(handle))
    with path_of(demo_root, "deprivation").open(encoding="utf-8", newline="") as handle:
        demo = next(csv.reader(handle))
    assert demo == real
    assert len(demo) == 56


def test_mye2_workbook_layout(demo_root: Path) -> None:
    workbook = openpyxl.load_workbook(path_of(demo_root, "national_population"), read_only=True)
    assert workbook.sheetnames == ["MYE2 - Males", "MYE2 - Females"]
    rows = list(workbook["MYE2 - Females"].iter_rows(values_only=True))
    header_row = next(i for i, row in enumerate(rows) if row[0] == "Code")
    assert header_row > 0  # title rows above the header
    header = rows[header_row]
    assert header[:4] == ("Code", "Name", "Geography", "All ages")
    assert [int(a) for a in header[4:]] == list(range(91))
    body = rows[header_row + 1 :]
    codes = [r[0] for r in body]
    assert codes[:4] == ["E92000001", "E12000006", "E10000020", "E10000029"]
    assert len(codes) == 16
    for row in body:
        assert row[3] == sum(row[4:])


def test_snpp_layout_and_totals(demo_root: Path) -> None:
    frame = pd.read_csv(path_of(demo_root, "population_projections"), dtype={"AGE_GROUP": str})
    assert list(frame.columns[:5]) == ["AREA_CODE", "AREA_NAME", "COMPONENT", "SEX", "AGE_GROUP"]
    assert list(frame.columns[5:]) == [str(y) for y in range(2022, 2048)]
    assert set(frame["SEX"]) == {"females", "males"}
    assert {"0", "89", "90 and over", "All ages"} <= set(frame["AGE_GROUP"])
    years = [str(y) for y in range(2022, 2048)]
    ages = frame.loc[frame["AGE_GROUP"] != "All ages"].groupby(["AREA_CODE", "SEX"])[years].sum()
    totals = frame.loc[frame["AGE_GROUP"] == "All ages"].set_index(["AREA_CODE", "SEX"])[years]
    pd.testing.assert_frame_equal(ages.sort_index(), totals.sort_index(), check_names=False)


def test_sape_totals_and_mye2_districts_agree(demo_root: Path) -> None:
    sape = pd.read_csv(path_of(demo_root, "resident_population"))
    age_columns = [c for c in sape.columns if re.fullmatch(r"[FM]\d+", c)]
    assert len(age_columns) == 182
    assert (sape[age_columns].sum(axis=1) == sape["Total"]).all()
    workbook = openpyxl.load_workbook(path_of(demo_root, "national_population"), read_only=True)
    mye2_total = 0
    for sheet in workbook.sheetnames:
        for row in workbook[sheet].iter_rows(values_only=True):
            if isinstance(row[0], str) and row[0].startswith("E07"):
                mye2_total += row[3]
    assert mye2_total == sape["Total"].sum()


def test_registration_files_agree(demo_root: Path) -> None:
    by_age = pd.concat(
        pd.read_csv(demo_root / p, dtype={"AGE": str}) for p in DEFAULT_SOURCES["registered_by_age"]
    )
    all_rows = by_age.loc[by_age["AGE"] == "ALL"].groupby("CODE")["NUMBER_OF_PATIENTS"].sum()
    age_rows = by_age.loc[by_age["AGE"] != "ALL"].groupby("CODE")["NUMBER_OF_PATIENTS"].sum()
    pd.testing.assert_series_equal(all_rows, age_rows)
    assert set(by_age["AGE"]) == {"ALL", "95+", *map(str, range(95))}
    by_area = pd.read_csv(path_of(demo_root, "registered_by_small_area"))
    pd.testing.assert_series_equal(
        by_area.groupby("PRACTICE_CODE")["NUMBER_OF_PATIENTS"].sum(), all_rows, check_names=False
    )


# --- codes and geography ------------------------------------------------------------------


def test_codes_are_clearly_synthetic(world) -> None:
    assert world.small_areas["lsoa_code"].str.fullmatch(r"X01\d{6}").all()
    assert world.practices["practice_code"].str.fullmatch(r"Z9\d{4}").all()
    assert world.practices["pcn_code"].str.fullmatch(r"UZ\d{4}").all()
    assert world.small_areas["lsoa_name"].str.fullmatch(r".+ \d{3}[A-E]").all()


def test_sub_icbs_as_the_contract_says(world) -> None:
    sa = world.small_areas
    by_district = sa.groupby("district_code")["sub_icb_code"].agg(
        lambda s: s.value_counts().to_dict()
    )
    assert set(by_district["E07000244"]) == {"26A", "06L"}  # East Suffolk: Waveney part in 26A
    mid = by_district["E07000203"]
    assert set(mid) == {"06L", "07K"} and mid["06L"] > 4 * mid["07K"]
    assert by_district["E07000245"] == {"07K": by_district["E07000245"]["07K"]}
    norfolk = sa.loc[sa["county_code"] == "E10000020", "sub_icb_code"]
    assert (norfolk == "26A").all()


def test_scale_counts(world) -> None:
    assert 950 <= len(world.small_areas) <= 1150
    assert 140 <= len(world.practices) <= 180
    assert 35 <= world.practices["pcn_code"].nunique() <= 45


# --- population and deprivation -------------------------------------------------------------


def test_population_size_and_age_structure(world) -> None:
    population = world.population
    total = population.sum()
    assert 1_600_000 <= total <= 1_800_000
    share_65 = population[:, :, 65:].sum() / total
    assert 0.23 <= share_65 <= 0.27  # older than England (~19%)
    area_sizes = population.sum(axis=(1, 2))
    assert 1_400 <= np.median(area_sizes) <= 1_800


def test_england_is_england_shaped(demo_root: Path) -> None:
    workbook = openpyxl.load_workbook(path_of(demo_root, "national_population"), read_only=True)
    total = older = 0
    for sheet in workbook.sheetnames:
        for row in workbook[sheet].iter_rows(values_only=True):
            if row[0] == "E92000001":
                total += row[3]
                older += sum(row[4 + 65 :])
    assert 56_000_000 <= total <= 58_500_000
    assert 0.17 <= older / total <= 0.21


def test_deprivation_ranks_deciles_and_core20(world, demo_root: Path) -> None:
    iod = pd.read_csv(path_of(demo_root, "deprivation"))
    rank = iod["Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"]
    decile = iod[
        "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
    ]
    score = iod["Index of Multiple Deprivation (IMD) Score"]
    assert rank.is_unique and rank.between(1, NATIONAL_LSOA_COUNT).all()
    assert (decile == np.ceil(rank * 10 / NATIONAL_LSOA_COUNT)).all()
    order = rank.argsort()
    assert (np.diff(score.to_numpy()[order]) <= 0).all()  # higher score = more deprived
    population = iod["Total population: mid 2022"]
    core20 = population[decile <= 2].sum() / population.sum()
    assert 0.11 <= core20 <= 0.16
    # Deprivation is concentrated where it really is.
    by_district = (decile <= 2).groupby(iod["Local Authority District name (2024)"]).mean()
    assert by_district["Great Yarmouth"] > 0.25 and by_district["Norwich"] > 0.25
    assert by_district["South Norfolk"] < 0.05 and by_district["Broadland"] < 0.05


def test_distinct_ranks_are_distinct_and_ordered() -> None:
    percentile = np.array([0.5, 0.5, 0.5, 0.0, 1.0, 1.0, 0.99999])
    ranks = distinct_ranks(percentile, total=100)
    assert len(set(ranks)) == len(ranks)
    assert ranks.min() >= 1 and ranks.max() <= 100
    assert ranks[3] == 1 and ranks[4] <= 100
    assert (np.diff(ranks[np.argsort(percentile, kind="stable")]) > 0).all()


# --- deaths and births ----------------------------------------------------------------------


def local_quintile(world) -> pd.Series:
    """ICB-local deprivation fifth of each small area (0 = most deprived)."""
    sa = world.small_areas
    return pd.Series(pd.qcut(sa["imd_rank"], 5, labels=False).to_numpy(), index=sa["lsoa_code"])


def life_expectancy(deaths_by_age: np.ndarray, person_years: np.ndarray) -> float:
    """Single-year life table (a_x = 0.5), open last age; enough to check the gap's size."""
    m = deaths_by_age / person_years
    q = m / (1 + 0.5 * m)
    q[-1] = 1.0
    survivors = np.concatenate([[1.0], np.cumprod(1 - q[:-1])])
    lived = survivors - 0.5 * survivors * q
    lived[-1] = survivors[-1] / m[-1]
    return float(lived.sum())


def test_deaths_scale_causes_and_gap(world) -> None:
    deaths = world.deaths
    per_year = deaths["registration_date"].dt.year.value_counts()
    assert set(per_year.index) == {2020, 2021, 2022, 2023, 2024}
    assert per_year.between(19_000, 25_500).all()
    assert per_year[2020] > per_year[2024]  # COVID-19
    assert deaths["underlying_cause"].str.fullmatch(r"[A-Z]\d{2}[0-9X]").all()
    assert (deaths["death_date"] <= deaths["registration_date"]).all()
    assert (deaths["registration_date"].dt.day_of_week < 5).all()
    chapters = deaths["underlying_cause"].str[0].value_counts(normalize=True)
    assert 0.2 <= chapters["I"] <= 0.32 and 0.18 <= chapters["C"] <= 0.3
    covid = (
        deaths["underlying_cause"].eq("U071").groupby(deaths["registration_date"].dt.year).mean()
    )
    assert covid[2020] > 0.08 and covid[2024] < 0.02

    fifth = local_quintile(world)
    deaths = deaths.assign(fifth=deaths["lsoa_code"].map(fifth).to_numpy())
    sa_fifth = fifth.to_numpy()
    for sex_code, sex_index, low, high in ((1, 1, 4.5, 8.5), (2, 0, 3.5, 7.5)):
        le = {}
        for q in (0, 4):
            years = world.population[sa_fifth == q, sex_index, :].sum(axis=0) * 5.0
            ages = deaths.loc[(deaths["fifth"] == q) & (deaths["sex"] == sex_code), "age"].clip(
                upper=95
            )
            le[q] = life_expectancy(np.bincount(ages, minlength=96).astype(float), years)
        assert low <= le[4] - le[0] <= high, (sex_code, le)


def test_births_scale_and_gradients(world) -> None:
    births = world.births
    per_year = births["registration_date"].dt.year.value_counts()
    assert per_year.between(13_500, 17_000).all()
    low_weight = births["birth_weight_g"] < 2_500
    preterm = births["gestation_weeks"] < 37
    assert 0.055 <= low_weight.mean() <= 0.09
    assert 0.06 <= preterm.mean() <= 0.095
    fifth = births["lsoa_code"].map(local_quintile(world))
    by_fifth = low_weight.groupby(fifth.to_numpy()).mean()
    assert by_fifth[0] / by_fifth[4] > 1.25  # more low birth weight in the most deprived
    assert births["mother_age"].between(13, 52).all()
    assert ((births["registration_date"] - births["birth_date"]).dt.days.between(0, 42)).all()


# --- registrations and projections -----------------------------------------------------------


def test_registered_population(world) -> None:
    registered = world.registrations.sum()
    residents = world.population.sum()
    assert 1.0 < registered / residents < 1.06  # list inflation
    assert 1_650_000 <= registered <= 1_850_000
    list_sizes = world.registrations.sum(axis=(1, 2))
    assert list_sizes.min() > 500 and list_sizes.max() < 45_000


def test_projection_growth_to_2040(demo_root: Path) -> None:
    frame = pd.read_csv(path_of(demo_root, "population_projections"), dtype={"AGE_GROUP": str})
    districts = frame.loc[
        frame["AREA_CODE"].str.startswith("E07") & (frame["AGE_GROUP"] != "All ages")
    ]
    age = districts["AGE_GROUP"].str.replace(" and over", "").astype(int)
    groups = pd.cut(age, [-1, 15, 64, 200], labels=["under_16", "16_64", "65_plus"])
    totals = districts.groupby(groups, observed=True)[["2022", "2040"]].sum()
    growth = totals["2040"] / totals["2022"] - 1
    assert 0.20 <= growth["65_plus"] <= 0.32
    assert -0.03 <= growth["16_64"] <= 0.05
    assert -0.06 <= growth["under_16"] <= 0.04
