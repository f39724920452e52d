"""`suppression:` in ina.yml: off only by an explicit `none`; rules that hide nothing refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ina.config import load_settings
from ina.errors import ConfigError
from ina.publishing import is_disabled

REPO_ROOT = Path(__file__).resolve().parents[2]


def _config(folder: Path, suppression: object) -> Path:
    data = yaml.safe_load((REPO_ROOT / "ina.yml").read_text(encoding="utf-8"))
    data["suppression"] = suppression
    (folder / "notebooks").mkdir(exist_ok=True)
    for name in data["chapters"]:
        (folder / "notebooks" / f"{name}.ipynb").write_text("{}", encoding="utf-8")
    path = folder / "ina.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    text = str(caught.value)
    assert "\n" not in text
    return text


def test_the_shipped_rule_uses_the_gss_symbol() -> None:
    rule = load_settings(REPO_ROOT / "ina.yml").suppression
    assert (rule.min_count, rule.max_count, rule.marker) == (1, 7, "[c]")
    assert not is_disabled(rule)


@pytest.mark.parametrize(
    ("suppression", "message"),
    [
        (
            {"min_count": 0, "max_count": 0, "marker": "[c]"},
            "suppression.max_count: must be at least 1",
        ),
        (
            {"min_count": 1, "max_count": 0, "marker": "[c]"},
            "suppression.max_count: must be an integer >= min_count",
        ),
        (
            {"min_count": 5, "max_count": 3, "marker": "[c]"},
            "suppression.max_count: must be an integer >= min_count",
        ),
        ({"min_count": 1, "max_count": 7, "marker": "0"}, "suppression.marker: must be a symbol"),
        ({"min_count": 1, "max_count": 7, "marker": "[x]"}, "suppression.marker: must be a symbol"),
        ({"min_count": 1, "max_count": 7, "marker": " "}, "suppression.marker"),
        ({"disabled": True}, "suppression: 'disabled' is not a known key"),
        ("off", "suppression: must be a mapping of keys or `none`"),
        (False, "suppression: must be a mapping of keys or `none`"),
    ],
)
def test_rules_that_hide_nothing_or_hide_badly_are_one_line_errors(
    tmp_path: Path, suppression: object, message: str
) -> None:
    line = _error(_config(tmp_path, suppression))
    assert message in line
    if "max_count" in message:
        assert "suppression: none" in line or "min_count" in message


def test_none_turns_suppression_off_explicitly(tmp_path: Path) -> None:
    rule = load_settings(_config(tmp_path, "none")).suppression
    assert is_disabled(rule)
    assert rule.model_dump()["disabled"] is True
