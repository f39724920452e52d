"""Nothing lost: the output folder, publishing only what a build made, the build lock.

Issue 6, section 2: ``output_dir: data_raw`` validated and publishing deleted every source
extract; ``output_dir: .`` renamed the whole project aside. Section 6: two builds in one
folder, stale ``build/run-*`` folders, an unwritable output parent found only at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ina.build import safety
from ina.build.progress import NullProgress
from ina.build.publish import publish_atomically, write_manifest
from ina.build.safety import (
    OUTPUT_MARKER,
    BuildLock,
    check_output_dir,
    check_output_parent,
    check_replaceable,
    claim_run_dir,
    remove_stale_runs,
    write_marker,
)
from ina.config import load_settings
from ina.errors import BuildError, ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]


def settings_with_output(tmp_path: Path, output_dir: str):
    text = (REPO_ROOT / "ina.yml").read_text(encoding="utf-8")
    assert "\noutput_dir: outputs" in text
    config = tmp_path / "project" / "ina.yml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text.replace("\noutput_dir: outputs", f"\noutput_dir: {output_dir}"))
    return load_settings(config)


@pytest.mark.parametrize(
    ("output_dir", "why"),
    [
        ("data_raw", "is or lies inside data_raw/"),
        ("data_raw/deaths", "is or lies inside data_raw/"),
        (".", "is the project folder"),
        ("..", "contains the project folder"),
        ("notebooks", "is or lies inside notebooks/"),
        ("templates/out", "is or lies inside templates/"),
        ("src", "is or lies inside src/"),
        ("build", "is or lies inside build/"),
        ("ina.yml", "is the configuration file"),
    ],
)
def test_an_output_dir_that_would_replace_project_files_is_refused(
    tmp_path: Path, output_dir: str, why: str
) -> None:
    settings = settings_with_output(tmp_path, output_dir)
    with pytest.raises(ConfigError) as caught:
        check_output_dir(settings)
    message = str(caught.value)
    assert message.startswith("ina.yml: output_dir: ") and why in message
    assert "\n" not in message


def test_an_output_dir_holding_or_inside_a_configured_source_is_refused(tmp_path: Path) -> None:
    text = (REPO_ROOT / "ina.yml").read_text(encoding="utf-8")
    config = tmp_path / "project" / "ina.yml"
    config.parent.mkdir()
    config.write_text(
        text.replace("data_raw/births/births_2020_2024.csv", "extracts/births.csv").replace(
            "\noutput_dir: outputs", "\noutput_dir: extracts"
        )
    )
    with pytest.raises(ConfigError, match="contains or lies inside the source extracts/births"):
        check_output_dir(load_settings(config))


@pytest.mark.parametrize("output_dir", ["outputs", "published/2026"])
def test_an_output_dir_of_its_own_is_accepted(tmp_path: Path, output_dir: str) -> None:
    settings = settings_with_output(tmp_path, output_dir)
    assert check_output_dir(settings) == (tmp_path / "project" / output_dir).resolve()


def test_an_absolute_output_dir_outside_the_project_is_accepted(tmp_path: Path) -> None:
    settings = settings_with_output(tmp_path, str(tmp_path / "elsewhere"))
    assert check_output_dir(settings) == (tmp_path / "elsewhere").resolve()


def test_an_output_parent_that_is_a_file_is_reported_before_the_build(tmp_path: Path) -> None:
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "blocker").write_text("not a folder")
    settings = settings_with_output(tmp_path, "blocker/outputs")
    with pytest.raises(ConfigError, match=r"ina.yml: output_dir: .*blocker is not a folder"):
        check_output_parent(settings)


def test_an_unwritable_output_parent_is_reported_before_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_with_output(tmp_path, "outputs")
    real_access = os.access
    monkeypatch.setattr(
        safety.os,
        "access",
        lambda path, mode: False if Path(path) == tmp_path / "project" else real_access(path, mode),
    )
    with pytest.raises(ConfigError, match="is not writable"):
        check_output_parent(settings)


def make_stage(folder: Path, text: str) -> Path:
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "t.csv").write_text(text)
    write_marker(folder)
    write_manifest(folder, {"title": "t"})
    return folder


def test_publish_refuses_to_replace_a_folder_it_did_not_make_and_touches_nothing(
    tmp_path: Path,
) -> None:
    output = tmp_path / "data_raw"
    (output / "deaths").mkdir(parents=True)
    (output / "deaths" / "deaths.csv").write_text("precious\n")
    (output / "manifest.json").write_text("{}")  # a manifest alone is no proof
    with pytest.raises(BuildError, match=f"not published by `ina build` .*no {OUTPUT_MARKER}"):
        publish_atomically(make_stage(tmp_path / "stage", "new\n"), output)
    assert (output / "deaths" / "deaths.csv").read_text() == "precious\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data_raw", "stage"]


def test_publish_replaces_a_folder_holding_the_marker_and_a_manifest(tmp_path: Path) -> None:
    output = tmp_path / "outputs"
    publish_atomically(make_stage(tmp_path / "first", "old\n"), output)
    assert (output / OUTPUT_MARKER).is_file()
    publish_atomically(make_stage(tmp_path / "second", "new\n"), output)
    assert (output / "data" / "t.csv").read_text() == "new\n"


def test_an_empty_existing_output_folder_may_be_replaced(tmp_path: Path) -> None:
    (tmp_path / "outputs").mkdir()
    check_replaceable(tmp_path / "outputs")


def test_a_second_lock_names_the_holder(tmp_path: Path) -> None:
    with BuildLock(tmp_path / "build"), pytest.raises(BuildError) as caught:
        BuildLock(tmp_path / "build").__enter__()
    message = str(caught.value)
    assert f"pid {os.getpid()} on {socket.gethostname()}" in message
    assert "build/.lock" in message and "\n" not in message
    with BuildLock(tmp_path / "build"):  # released on exit
        pass


def test_the_lock_of_a_dead_process_does_not_block(tmp_path: Path) -> None:
    code = (
        "import os, sys; from pathlib import Path; from ina.build.safety import BuildLock;"
        "lock = BuildLock(Path(sys.argv[1])); lock.__enter__(); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "build")], check=True)
    with BuildLock(tmp_path / "build"):
        pass


def test_stale_run_folders_are_removed_and_live_or_kept_ones_stay(tmp_path: Path) -> None:
    build_dir = tmp_path / "build"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)

    def run_folder(name: str, pid: int | None, host: str = socket.gethostname()) -> Path:
        folder = build_dir / name
        (folder / "outputs").mkdir(parents=True)
        if pid is not None:
            (folder / "owner.json").write_text(json.dumps({"pid": pid, "host": host}))
        return folder

    stale = run_folder("run-dead", dead_pid)
    ownerless = run_folder("run-ownerless", None)
    live = run_folder("run-live", os.getppid())
    other_host = run_folder("run-other-host", dead_pid, host="not-" + socket.gethostname())
    kept = build_dir / "run-kept"
    claim_run_dir(kept, keep=True)
    (kept / "owner.json").write_text(json.dumps({"pid": dead_pid, "host": socket.gethostname()}))
    assert sorted(remove_stale_runs(build_dir)) == sorted([stale, ownerless])
    assert live.is_dir() and other_host.is_dir() and kept.is_dir()
    assert not stale.exists() and not ownerless.exists()
    shutil.rmtree(build_dir)


def test_a_build_whose_output_parent_is_a_file_stops_in_validate(
    make_project, tmp_path: Path
) -> None:
    from ina.build import build

    config = make_project(tmp_path / "project", ["fixture"])
    (config.parent / "blocker").write_text("a file, not a folder")
    text = config.read_text().replace("\noutput_dir: outputs", "\noutput_dir: blocker/outputs")
    config.write_text(text)
    progress = NullProgress()
    with pytest.raises(ConfigError, match="blocker is not a folder"):
        build(config, progress=progress)
    assert progress.steps == ["validate"]  # before any notebook, not after the whole build
    assert not list((config.parent / "build").glob("run-*"))


def test_a_build_refuses_an_output_folder_it_did_not_make_before_running_anything(
    make_project, tmp_path: Path
) -> None:
    from ina.build import build

    config = make_project(tmp_path / "project", ["fixture"])
    mine = config.parent / "outputs" / "my-notes.docx"
    mine.parent.mkdir()
    mine.write_bytes(b"the only copy")
    progress = NullProgress()
    with pytest.raises(BuildError, match="not published by `ina build`"):
        build(config, progress=progress)
    assert progress.steps == ["validate"]
    assert mine.read_bytes() == b"the only copy"
    assert sorted(path.name for path in mine.parent.iterdir()) == ["my-notes.docx"]


def test_a_lock_that_cannot_be_created_is_one_build_error(tmp_path: Path) -> None:
    (tmp_path / "build").write_text("a file where the build folder should be")
    with pytest.raises(BuildError, match=r"cannot take the build lock .*build/\.lock"):
        BuildLock(tmp_path / "build").__enter__()
