"""SII / RII against the PHEindicatormethods ``phe_sii`` test vectors (sii_test_cases.csv).

Point estimates are deterministic and must agree to 1e-9. The limits are simulated; the
R tests compare them with ``tolerance = 0.05`` in waldo's sense, mean(|x - y|) / |mean(y)|
per column, which is what :func:`_waldo_difference` computes.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from ina.errors import StatisticsError
from ina.stats._confidence import confidence_suffix
from ina.stats.inequality import slope_index_of_inequality

GROUPS = ["Area", "Grouping1", "Grouping2"]
POINT_COLUMNS = {"sii", "rii", "Intercept"}


def _waldo_difference(actual: np.ndarray, expected: np.ndarray) -> float:
    scale = abs(np.mean(expected))
    difference = np.mean(np.abs(actual - expected))
    return float(difference / scale) if scale > 1.49e-8 else float(difference)


def _confidence(text: str) -> float | list[float]:
    text = str(text)
    if text.startswith("c("):
        return [float(v) for v in text[2:-1].split(",")]
    return float(text)


def _our_column(reference_column: str, confidence: float | list[float]) -> str:
    if reference_column == "Intercept":
        return "intercept"
    match = re.fullmatch(r"(sii|rii)_(lower|upper)cl_(\d)", reference_column)
    if not match:
        return reference_column
    statistic, side, index = match.groups()
    if not isinstance(confidence, list):
        return f"{statistic}_{side}cl"
    level = confidence[int(index) - 1]
    return f"{statistic}_{side}{confidence_suffix(level)}cl"


def _cases(reference_dir) -> list[pd.Series]:
    path = reference_dir / "sii_test_cases.csv"
    if not path.is_file():
        pytest.skip("sii_test_cases.csv not found")
    table = pd.read_csv(path, keep_default_na=False, na_values=[""])
    return [row for _, row in table.iterrows()]


@pytest.fixture(scope="module")
def sii_sheet(read_reference) -> pd.DataFrame:
    return read_reference("sii.csv")


def test_every_reference_case(reference_dir, sii_sheet) -> None:
    failures: list[str] = []
    for case in _cases(reference_dir):
        first, last = (int(v) for v in case["input_RecordNo_range"].split()[0].split("-"))
        rows = sii_sheet[sii_sheet["RecordNo"].between(first, last)]
        arguments = dict(
            part.strip().split("=") for part in case["value_and_error_args"].split(",")
        )
        confidence = _confidence(case["confidence"])
        grouped = "ungrouped" not in case["input_RecordNo_range"]
        result = slope_index_of_inequality(
            rows,
            "Quantile",
            "Population",
            value_type=int(case["value_type"]),
            transform=bool(case["transform"]),
            multiplier=float(case["multiplier"]),
            repetitions=int(case["repetitions"]),
            confidence=confidence,
            rii=bool(case["rii"]),
            intercept=bool(case["intercept"]),
            group_by=GROUPS if grouped else None,
            **arguments,
        )
        expected_rows = [int(v) for v in str(case["expected_RecordNo"]).split(",")]
        expected = sii_sheet.set_index("RecordNo").loc[expected_rows]
        assert len(result) == len(expected), case["test_info"]
        for column in case["expected_columns"].split(","):
            ours = result[_our_column(column, confidence)].to_numpy(dtype=float)
            theirs = expected[column].to_numpy(dtype=float)
            if column in POINT_COLUMNS:
                if not np.allclose(ours, theirs, rtol=1e-9, atol=0):
                    failures.append(f"{case['test_info']}: {column} {ours} != {theirs}")
            elif _waldo_difference(ours, theirs) > 0.05:
                failures.append(f"{case['test_info']}: {column} {ours} vs {theirs}")
    assert not failures, "\n".join(failures)


def _rows(sheet: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    return sheet[sheet["RecordNo"].between(first, last)]


def test_negative_population_raises(sii_sheet) -> None:
    with pytest.raises(StatisticsError, match="negative"):
        slope_index_of_inequality(
            _rows(sii_sheet, 151, 160),
            "Quantile",
            "Population",
            value="Value",
            se="StandardError",
            group_by=GROUPS,
            repetitions=100,
        )


def test_negative_standard_error_raises(sii_sheet) -> None:
    with pytest.raises(StatisticsError, match="standard error"):
        slope_index_of_inequality(
            _rows(sii_sheet, 161, 170),
            "Quantile",
            "Population",
            value="Value",
            se="StandardError",
            group_by=GROUPS,
            repetitions=100,
        )


def test_invalid_proportion_limits_raise(sii_sheet) -> None:
    with pytest.raises(StatisticsError, match="outside 0-1"):
        slope_index_of_inequality(
            _rows(sii_sheet, 171, 180),
            "Quantile",
            "Population",
            value="Value",
            value_type=2,
            lower_cl="LowerCL",
            upper_cl="UpperCL",
            group_by=GROUPS,
            repetitions=100,
        )


def test_missing_value_field_raises(sii_sheet) -> None:
    with pytest.raises(StatisticsError, match="needs a value column"):
        slope_index_of_inequality(
            _rows(sii_sheet, 181, 190),
            "Quantile",
            "Population",
            lower_cl="LowerCL",
            upper_cl="UpperCL",
            group_by=GROUPS,
            repetitions=100,
        )


def test_missing_limits_and_se_raise(sii_sheet) -> None:
    with pytest.raises(StatisticsError, match="confidence limits are missing"):
        slope_index_of_inequality(
            _rows(sii_sheet, 191, 200),
            "Quantile",
            "Population",
            value="Value",
            lower_cl="LowerCL",
            upper_cl="UpperCL",
            group_by=GROUPS,
            repetitions=100,
        )
    with pytest.raises(StatisticsError, match="se or lower_cl"):
        slope_index_of_inequality(
            _rows(sii_sheet, 191, 200),
            "Quantile",
            "Population",
            value="Value",
            group_by=GROUPS,
            repetitions=100,
        )


def test_missing_population_or_value_warns_and_gives_na(sii_sheet) -> None:
    with pytest.warns(UserWarning, match="missing population or value"):
        result = slope_index_of_inequality(
            _rows(sii_sheet, 201, 210),
            "Quantile",
            "Population",
            value="Value",
            se="StandardError",
            group_by=GROUPS,
            repetitions=100,
        )
    assert result["sii"].isna().all() and result["sii_lowercl"].isna().all()


def test_more_than_ten_quantiles_warns(sii_sheet) -> None:
    with pytest.warns(UserWarning, match="more than 10 quantiles"):
        result = slope_index_of_inequality(
            _rows(sii_sheet, 211, 225),
            "Quantile",
            "Population",
            value="Value",
            se="StandardError",
            group_by=GROUPS,
            repetitions=100,
        )
    assert result["sii"].notna().all()


@pytest.fixture(scope="module")
def le_by_decile(read_reference) -> pd.DataFrame:
    return read_reference("sii_example_LE_data.csv")


def test_life_expectancy_by_deprivation_decile(le_by_decile) -> None:
    with pytest.warns(UserWarning, match="fewer than 5 quantiles"):
        result = slope_index_of_inequality(
            le_by_decile,
            "Decile",
            "Pop",
            value="LifeExp",
            se="SE",
            group_by=["Sex", "GeoCode"],
            repetitions=2_000,
            rii=True,
            intercept=True,
        )
    assert len(result) == le_by_decile.groupby(["Sex", "GeoCode"]).ngroups
    valid = result.dropna(subset=["sii"])
    assert len(valid) == len(result) - 2
    # Life expectancy rises from most to least deprived: the SII is positive almost always.
    assert (valid["sii"] > 0).mean() > 0.95
    assert (valid["sii_lowercl"] <= valid["sii"]).all()
    assert (valid["sii"] <= valid["sii_uppercl"]).all()
    # Independent check of the point estimate: statsmodels WLS on the relative rank.
    for (sex, area), rows in list(le_by_decile.groupby(["Sex", "GeoCode"]))[:5]:
        rows = rows.sort_values("Decile")
        share = rows["Pop"].to_numpy(float) / rows["Pop"].sum()
        rank = np.cumsum(share) - share / 2
        fit = sm.WLS(rows["LifeExp"].to_numpy(float), sm.add_constant(rank), weights=share).fit()
        ours = result[(result["Sex"] == sex) & (result["GeoCode"] == area)].iloc[0]
        assert ours["sii"] == pytest.approx(fit.params[1], rel=1e-10)
        assert ours["intercept"] == pytest.approx(fit.params[0], rel=1e-10)
        assert ours["rii"] == pytest.approx(fit.params.sum() / fit.params[0], rel=1e-10)


def _toy(n_groups: int = 3, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    deciles = np.tile(np.arange(1, 11), n_groups)
    value = 70 + 0.8 * deciles + rng.normal(0, 0.5, deciles.size)
    return pd.DataFrame(
        {
            "area": np.repeat([f"g{i}" for i in range(n_groups)], 10),
            "decile": deciles,
            "pop": rng.integers(5_000, 20_000, deciles.size),
            "value": value,
            "se": rng.uniform(0.3, 1.0, deciles.size),
        }
    )


def test_seeded_reproducible_and_row_order_free() -> None:
    data = _toy()
    first = slope_index_of_inequality(
        data, "decile", "pop", value="value", se="se", group_by="area", repetitions=5_000
    )
    again = slope_index_of_inequality(
        data.sample(frac=1, random_state=1),
        "decile",
        "pop",
        value="value",
        se="se",
        group_by="area",
        repetitions=5_000,
    )
    again = again.set_index("area").loc[first["area"]].reset_index()
    np.testing.assert_allclose(again["sii"], first["sii"], rtol=1e-12)
    other_seed = slope_index_of_inequality(
        data, "decile", "pop", value="value", se="se", group_by="area", repetitions=5_000, seed=99
    )
    assert not np.array_equal(other_seed["sii_lowercl"], first["sii_lowercl"])
    np.testing.assert_allclose(other_seed["sii_lowercl"], first["sii_lowercl"], rtol=0.05)


def test_wider_confidence_gives_wider_limits_and_reliability() -> None:
    data = _toy()
    result = slope_index_of_inequality(
        data,
        "decile",
        "pop",
        value="value",
        se="se",
        group_by="area",
        repetitions=5_000,
        confidence=(0.95, 0.998),
        reliability_stat=True,
        rii=True,
    )
    assert (result["sii_lower99_8cl"] < result["sii_lower95_0cl"]).all()
    assert (result["sii_upper99_8cl"] > result["sii_upper95_0cl"]).all()
    assert (result["sii_lower95_0cl_reliability"] > 0).all()
    assert (result["sii_lower95_0cl_reliability"] < 0.1).all()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"value_type": 3}, "value_type"),
        ({"transform": True}, "transform=True needs value_type"),
        ({"value_type": 1, "transform": True}, "needs lower_cl"),
        ({"multiplier": 0}, "multiplier"),
        ({"repetitions": 0}, "repetitions"),
        ({"lower_cl": "value"}, "both lower_cl and upper_cl"),
        ({"confidence": 0.5}, "confidence"),
    ],
)
def test_bad_arguments(arguments: dict, message: str) -> None:
    call = {"value": "value", "se": "se", "repetitions": 10, **arguments}
    with pytest.raises(StatisticsError, match=message):
        slope_index_of_inequality(_toy(1), "decile", "pop", **call)


def test_repeated_quantile_and_zero_population_raise() -> None:
    data = _toy(1)
    repeated = data.assign(decile=data["decile"].replace({2: 1}))
    with pytest.raises(StatisticsError, match="appears twice"):
        slope_index_of_inequality(repeated, "decile", "pop", value="value", se="se")
    zero = data.assign(pop=data["pop"].where(data["decile"] != 3, 0))
    with pytest.raises(StatisticsError, match="above 0"):
        slope_index_of_inequality(zero, "decile", "pop", value="value", se="se")
