"""Step 'publish': manifest.json, then an atomic swap of the staging folder into place.

The whole build happens in a staging folder; only when every step has succeeded is it
moved to ``settings.output_dir``: the previous outputs are renamed aside
(``outputs.previous-<id>``), the new folder renamed in, then the old one deleted. A build
that fails at any step, or a crash mid-swap, therefore never leaves a half-written
``outputs/``: at worst the previous outputs sit next to it under ``outputs.previous-*``.
Only a folder that holds the marker ``.ina-output`` and a ``manifest.json`` (proof that a
build made it) is ever renamed aside and deleted (``ina.build.safety``); anything else
is refused, untouched.

``manifest.json`` is deterministic (sorted keys, no timestamps) so that two builds of the
same inputs give the same manifest and ``ina verify`` can check every published file.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import uuid
from importlib import metadata
from pathlib import Path
from typing import Any

import ina

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1

KEY_PACKAGES = (
    "ina",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "pydantic",
    "papermill",
    "nbformat",
    "nbclient",
    "ipykernel",
    "nbval",
    "pypandoc-binary",
    "typst",
)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    """Versions of the libraries that shape the numbers and the rendering."""
    versions = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ina.__version__ if name == "ina" else "not installed"
    return versions


def published_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` except the manifest, in a stable order."""
    return sorted(
        (path for path in folder.rglob("*") if path.is_file() and path.name != MANIFEST_NAME),
        key=lambda path: path.relative_to(folder).as_posix(),
    )


def output_records(folder: Path) -> dict[str, dict[str, Any]]:
    return {
        path.relative_to(folder).as_posix(): {
            "sha256": file_sha256(path),
            "size_bytes": path.stat().st_size,
        }
        for path in published_files(folder)
    }


def write_manifest(folder: Path, content: dict[str, Any]) -> Path:
    """Write ``manifest.json`` with the outputs' checksums added (sorted, no timestamps)."""
    manifest = {**content, "manifest_version": MANIFEST_VERSION, "outputs": output_records(folder)}
    path = folder / MANIFEST_NAME
    path.write_text(
        json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n",
        encoding="utf-8",
    )
    return path


def read_manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))


def publish_atomically(stage: Path, output_dir: Path) -> None:
    """Swap ``stage`` into ``output_dir``: rename old aside, rename new in, delete old.

    When the staging folder is on another file system than ``output_dir`` (a rename would
    fail), it is first copied next to ``output_dir`` so the final step is still a rename.
    """
    from ina.build.safety import check_replaceable

    output_dir = output_dir.resolve()
    check_replaceable(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:8]
    incoming = stage
    if os.stat(stage).st_dev != os.stat(output_dir.parent).st_dev:
        incoming = output_dir.with_name(f"{output_dir.name}.incoming-{token}")
        shutil.copytree(stage, incoming)
        shutil.rmtree(stage)
    previous = output_dir.with_name(f"{output_dir.name}.previous-{token}")
    had_previous = output_dir.exists()
    if had_previous:
        output_dir.rename(previous)
    try:
        incoming.rename(output_dir)
    except OSError:
        if had_previous:
            previous.rename(output_dir)
        raise
    if had_previous:
        shutil.rmtree(previous, ignore_errors=True)
