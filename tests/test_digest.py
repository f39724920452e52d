"""inputs_digest: one key for data frames and plain values."""

from __future__ import annotations

import pandas as pd

from ina._digest import inputs_digest


def test_frames_count_by_values_columns_dtypes_and_index() -> None:
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert inputs_digest(frame, 3) == inputs_digest(frame.copy(), 3)
    assert inputs_digest(frame) != inputs_digest(frame.assign(a=[1, 3]))
    assert inputs_digest(frame) != inputs_digest(frame.rename(columns={"b": "c"}))
    assert inputs_digest(frame) != inputs_digest(frame.astype({"a": "float64"}))
    assert inputs_digest(frame) != inputs_digest(frame.set_axis([5, 6]))
    assert inputs_digest("ab", "c") != inputs_digest("a", "bc")  # inputs are separated
