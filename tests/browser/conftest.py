"""Fixtures for the browser tests: a built ``outputs/`` folder and headless Chromium.

Nothing here downloads a browser: the tests drive the system ``chromium`` through the system
``chromedriver`` (Debian packages ``chromium`` and ``chromium-driver``, which
``.ci/install-test-tools`` installs) with Selenium, and inject axe-core from
``tests/browser/node_modules`` (``npm install`` in this folder, also done by
``.ci/install-test-tools``). They skip, with the reason, when the browser is missing.

The outputs are those of a full build of the project's demo data in a scratch copy of the
project, or, to test a folder already built (quicker when iterating on templates), the
folder named by ``$INA_BROWSER_OUTPUTS``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DRIVERS = ("chromedriver",)


def find_executable(names: tuple[str, ...], *extra: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    for path in extra:
        if Path(path).is_file():
            return path
    return None


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = Path(os.environ.get("INA_AXE_JS", AXE_JS))
    if not path.is_file():
        pytest.skip(
            f"axe-core not found at {path}: run .ci/install-test-tools "
            "(npm install in tests/browser)"
        )
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless system Chromium through the system chromedriver (never a downloaded one)."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    chromium = find_executable(BROWSERS)
    driver_path = find_executable(DRIVERS, "/usr/lib/chromium/chromedriver")
    if chromium is None or driver_path is None:
        pytest.skip(
            "no system Chromium and chromedriver (apt-get install chromium chromium-driver, "
            "as .ci/install-test-tools does); the browser tests need a real browser"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--allow-file-access-from-files",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=1366,900",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    # Selenium Manager would download a driver when none is given: the path is given.
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def built_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published ``outputs/`` folder: ``$INA_BROWSER_OUTPUTS``, else a fresh full build."""
    given = os.environ.get("INA_BROWSER_OUTPUTS")
    if given:
        return Path(given).resolve()
    data_raw = REPO_ROOT / "data_raw"
    if not (data_raw.is_dir() and any(data_raw.rglob("*.csv"))):
        pytest.skip("data_raw/ holds no demo extracts (run `ina demo-data`)")
    from ina.build.pipeline import build

    project = tmp_path_factory.mktemp("browser-project")
    shutil.copytree(data_raw, project / "data_raw")
    shutil.copytree(REPO_ROOT / "templates", project / "templates")
    shutil.copytree(REPO_ROOT / "notebooks", project / "notebooks")
    shutil.copyfile(REPO_ROOT / "_quarto.yml", project / "_quarto.yml")
    shutil.copyfile(REPO_ROOT / "ina.yml", project / "ina.yml")
    return build(project / "ina.yml").output_dir
