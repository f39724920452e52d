"""Find ``ina.yml`` from a notebook's ``config_path`` parameter, wherever the notebook runs.

Executed notebooks are published, so what Papermill injects into them must not name the
folder the build ran in (two builds in two folders must give the same bytes). The build
therefore injects only the config file's *name* (``config_path = "ina.yml"``) and tells
the kernel where that file is through the environment variable :data:`CONFIG_ENV`;
``ina verify`` does the same. A reviewer who opens a published notebook in Jupyter has no
such variable: the file is then looked for in the notebook's folder and its parents, which
finds the project's ``ina.yml`` when the outputs lie inside the project (the default
``outputs/``), or can be pointed at with ``INA_CONFIG=/path/to/ina.yml jupyter lab``.
"""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_ENV = "INA_CONFIG"


def locate_config(config_path: str | Path, *, start: Path | None = None) -> Path:
    """The config file a notebook means by ``config_path``.

    An absolute path is taken as it is. Otherwise, in order: ``$INA_CONFIG`` when set; the
    path relative to ``start`` (the working directory); the same name in each parent of
    ``start``. When nothing exists, the path relative to ``start`` is returned, so the
    loader's "file not found" error names what was looked for.
    """
    path = Path(config_path)
    if path.is_absolute():
        return path
    from_environment = os.environ.get(CONFIG_ENV)
    if from_environment:
        return Path(from_environment)
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        candidate = folder / path
        if candidate.is_file():
            return candidate
    return start / path
