"""Every published HTML page in a real browser: WCAG 2.2 A and AA with axe-core, at a
desktop (1366 px) and a phone (390 px) width, plus what axe cannot judge alone.

The Public Sector Bodies Accessibility Regulations require WCAG 2.2 AA. axe-core runs the
rules tagged ``wcag2a``, ``wcag2aa``, ``wcag21a``, ``wcag21aa``, ``wcag22aa``; any
violation fails the test with the rule, the help text and the first elements affected.
The test also checks that every image has alt text, every table a caption and header
cells, that the page never scrolls sideways at 390 px (tables and charts scroll in their
own regions: WCAG 1.4.10), and that no request leaves ``file:`` or ``data:`` (the report
works offline and calls nothing). Set ``$INA_SCREENSHOTS`` to a folder to keep a
full-page screenshot of each page at each width.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

WIDTHS = {"desktop": (1366, 900, False), "phone": (390, 844, True)}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def html_pages(outputs: Path) -> list[Path]:
    pages = [outputs / "index.html"]
    pages += sorted((outputs / "report").glob("*.html"))
    pages += sorted((outputs / "places").glob("*.html"))
    return pages


def _open(browser, page: Path, width: str) -> None:
    columns, rows, mobile = WIDTHS[width]
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": columns, "height": rows, "deviceScaleFactor": 1, "mobile": mobile},
    )
    browser.get_log("performance")  # forget earlier pages' requests
    browser.get(page.resolve().as_uri())


def _requests(browser) -> list[str]:
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(str(message["params"]["request"]["url"]))
    return urls


def _axe(browser, axe_source: str) -> list[dict]:
    browser.execute_script(axe_source)
    result = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},
                           resultTypes: ['violations']})
           .then(r => done(r.violations.map(v => ({
               id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 3).map(
                   n => n.target.join(' ') + ': ' + n.failureSummary)}))))
           .catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));
        """,
        WCAG_TAGS,
    )
    return list(result)


def _screenshot(browser, page: Path, width: str) -> None:
    folder = os.environ.get("INA_SCREENSHOTS")
    if not folder:
        return
    height = browser.execute_script("return document.documentElement.scrollHeight")
    columns, _, mobile = WIDTHS[width]
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": columns, "height": min(int(height), 16000), "deviceScaleFactor": 1,
         "mobile": mobile},
    )  # fmt: skip
    target = Path(folder) / f"{page.parent.name}-{page.stem}-{width}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(target))


@pytest.fixture(scope="module")
def pages(built_outputs: Path) -> list[Path]:
    found = html_pages(built_outputs)
    assert found[0].is_file(), "outputs/index.html, the landing page, is missing"
    assert len(found) >= 3, f"expected the ICB page and every place page, found {found}"
    return found


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_has_no_wcag_22_aa_violation(
    browser, axe_source: str, pages: list[Path], width: str
) -> None:
    failures = []
    for page in pages:
        _open(browser, page, width)
        for violation in _axe(browser, axe_source):
            failures.append(
                f"{page.parent.name}/{page.name} at {WIDTHS[width][0]} px: {violation['id']} "
                f"({violation.get('impact')}): {violation['help']}; "
                + " | ".join(violation["nodes"])
            )
        _screenshot(browser, page, width)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_images_tables_and_requests(browser, pages: list[Path], width: str) -> None:
    problems = []
    for page in pages:
        _open(browser, page, width)
        where = f"{page.parent.name}/{page.name} at {WIDTHS[width][0]} px"
        report = browser.execute_script(
            """
            const text = e => (e ? e.textContent.trim() : '');
            return {
              images: [...document.querySelectorAll('img, svg[role="img"]')].map(i => ({
                  src: (i.getAttribute('src') || 'inline svg').slice(0, 60),
                  alt: i.tagName === 'IMG' ? (i.getAttribute('alt') || '').trim()
                                           : (i.getAttribute('aria-label') || '').trim()})),
              tables: [...document.querySelectorAll('table')].map(t => ({
                  id: t.id, caption: text(t.querySelector('caption')),
                  headers: t.querySelectorAll('th').length})),
              pageWidth: document.documentElement.scrollWidth,
              viewport: window.innerWidth,
            };
            """
        )
        problems += [
            f"{where}: image {image['src']} has no alt text"
            for image in report["images"]
            if not image["alt"]
        ]
        for table in report["tables"]:
            if not table["caption"]:
                problems.append(f"{where}: table {table['id'] or '(no id)'} has no caption")
            if table["headers"] == 0:
                problems.append(f"{where}: table {table['id'] or '(no id)'} has no header cells")
        if report["pageWidth"] > report["viewport"] + 1:
            problems.append(
                f"{where}: the page scrolls sideways ({report['pageWidth']} px wide in a "
                f"{report['viewport']} px window)"
            )
        problems += [
            f"{where}: requests {url[:100]}"
            for url in _requests(browser)
            if not url.startswith(LOCAL_SCHEMES)
        ]
    assert not problems, "\n".join(problems)


def test_report_pages_link_their_data_and_workbook(browser, pages: list[Path]) -> None:
    """Every figure and table links its CSV; every area page its PDF and Excel workbook,
    and every link to a local file resolves."""
    problems = []
    for page in pages[1:]:
        _open(browser, page, "desktop")
        found = browser.execute_script(
            """
            const blocks = [...document.querySelectorAll('main figure, main table')];
            const linked = blocks.map(b => {
              let next = (b.closest('.ina-scroll') || b).nextElementSibling;
              if (b.tagName === 'TABLE') next = (b.closest('.ina-scroll') || b).nextElementSibling;
              return {id: b.id, link: next && next.querySelector('a.ina-download, a[href$=".csv"]')
                                      ? next.querySelector('a').getAttribute('href') : ''};
            });
            return {blocks: linked,
                    links: [...document.querySelectorAll('a[href]')]
                             .map(a => a.getAttribute('href'))};
            """
        )
        where = f"{page.parent.name}/{page.name}"
        problems += [
            f"{where}: {block['id'] or 'a table'} has no CSV link under it"
            for block in found["blocks"]
            if not block["link"].endswith(".csv")
        ]
        links = found["links"]
        if not any(link.endswith(".xlsx") for link in links):
            problems.append(f"{where}: no link to its Excel workbook")
        if not any(link.endswith(".pdf") for link in links):
            problems.append(f"{where}: no link to its PDF")
        for link in links:
            if link.startswith(("#", "http:", "https:", "mailto:")):
                continue
            if not (page.parent / link.split("#")[0]).resolve().exists():
                problems.append(f"{where}: link {link} points at nothing")
    assert not problems, "\n".join(problems)
