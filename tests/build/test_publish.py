"""Atomic publishing and the deterministic manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ina.build import publish
from ina.build.publish import publish_atomically, read_manifest, write_manifest
from ina.build.safety import write_marker


def make_stage(folder: Path, text: str) -> Path:
    (folder / "data" / "icb").mkdir(parents=True)
    (folder / "data" / "icb" / "t.csv").write_text(text, encoding="utf-8")
    (folder / "report").mkdir()
    (folder / "report" / "r.html").write_text("<p>r</p>", encoding="utf-8")
    write_marker(folder)
    write_manifest(folder, {"title": "t"})
    return folder


def test_manifest_lists_every_output_with_checksums_sorted_and_without_timestamps(
    tmp_path: Path,
) -> None:
    stage = make_stage(tmp_path / "stage", "a,b\n1,2\n")
    write_manifest(stage, {"z": 1, "a": {"y": 2, "b": 3}})
    text = (stage / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(text)
    assert sorted(manifest["outputs"]) == [".ina-output", "data/icb/t.csv", "report/r.html"]
    assert len(manifest["outputs"]["data/icb/t.csv"]["sha256"]) == 64
    assert text == json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_manifest(stage, {"z": 1, "a": {"b": 3, "y": 2}})
    assert (stage / "manifest.json").read_text(encoding="utf-8") == text


def test_publish_swaps_new_outputs_in_and_removes_the_old(tmp_path: Path) -> None:
    output = tmp_path / "outputs"
    publish_atomically(make_stage(tmp_path / "first", "old\n"), output)
    publish_atomically(make_stage(tmp_path / "second", "new\n"), output)
    assert (output / "data" / "icb" / "t.csv").read_text(encoding="utf-8") == "new\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["outputs"]


def test_a_failed_swap_puts_the_previous_outputs_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "outputs"
    publish_atomically(make_stage(tmp_path / "first", "old\n"), output)
    stage = make_stage(tmp_path / "second", "new\n")
    real_rename = Path.rename

    def failing_rename(self: Path, target: Path) -> Path:
        if self == stage:
            raise OSError("disk full")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(OSError, match="disk full"):
        publish_atomically(stage, output)
    assert (output / "data" / "icb" / "t.csv").read_text(encoding="utf-8") == "old\n"


def test_package_versions_name_the_key_libraries() -> None:
    versions = publish.package_versions()
    for name in ("python", "pandas", "numpy", "papermill", "typst"):
        assert versions[name]


def test_read_manifest_round_trips(tmp_path: Path) -> None:
    stage = make_stage(tmp_path / "s", "x\n")
    write_manifest(stage, {"title": "t"})
    assert read_manifest(stage)["title"] == "t"
