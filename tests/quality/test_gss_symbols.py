"""The QA reads the GSS symbols: [c] is suppressed, [x] and [z] are no number, none is zero."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ina.quality._tables import read_published_table


def test_gss_symbols_are_not_numbers_and_only_c_is_suppressed(tmp_path: Path) -> None:
    folder = tmp_path / "icb" / "population"
    folder.mkdir(parents=True)
    path = folder / "t.csv"
    path.write_text("year,deaths,rate\n2020,[c],[c]\n2021,[x],[z]\n2022,40,1.5\n", encoding="utf-8")
    table = read_published_table(path, tmp_path)
    assert "deaths" in table.numbers and "rate" in table.numbers  # still numeric columns
    assert np.isnan(table.numbers["deaths"].iloc[:2]).all()
    assert table.numbers["deaths"].iloc[2] == 40
    assert table.suppressed["deaths"].tolist() == [True, False, False]
    assert table.suppressed["rate"].tolist() == [True, False, False]
