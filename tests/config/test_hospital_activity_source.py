"""ina.config: ``sources.hospital_activity`` is optional, like ``fingertips``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ina.config import load_settings
from ina.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]
REPO_CONFIG = REPO_ROOT / "ina.yml"


def write_config(folder: Path, data: dict) -> Path:
    path = folder / "ina.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_repository_config_names_the_demo_activity_file() -> None:
    settings = load_settings(REPO_CONFIG)
    assert "hospital_activity" in settings.source_names()
    path = settings.source_path("hospital_activity")
    assert path == REPO_ROOT.resolve() / "data_raw/hospital_activity/activity_2022_2024.csv"


def test_hospital_activity_may_be_left_out(tmp_path: Path) -> None:
    data = yaml.safe_load(REPO_CONFIG.read_text(encoding="utf-8"))
    del data["sources"]["hospital_activity"]
    settings = load_settings(write_config(tmp_path, data))
    assert settings.sources.hospital_activity is None
    assert "hospital_activity" not in settings.source_names()
    with pytest.raises(ConfigError, match="hospital_activity"):
        settings.source_path("hospital_activity")


def test_hospital_activity_is_resolved_against_the_config_folder(tmp_path: Path) -> None:
    data = yaml.safe_load(REPO_CONFIG.read_text(encoding="utf-8"))
    data["sources"]["hospital_activity"] = "extracts/sus_ae_nel.csv"
    settings = load_settings(write_config(tmp_path, data))
    assert (
        settings.source_path("hospital_activity") == tmp_path.resolve() / "extracts/sus_ae_nel.csv"
    )
    dump = settings.model_dump_for_manifest()
    assert dump["sources"]["hospital_activity"] == "extracts/sus_ae_nel.csv"
