"""Download the catalogue's Fingertips indicators into one Fingertips "download data" CSV.

Why: the Fingertips comparators (England, the region, other ICBs) are published by OHID
and are the same numbers its web tool shows. Exporting them by hand, indicator by
indicator and area type by area type, is slow and easy to get wrong; ``ina fetch`` asks
the Fingertips API for every ``fingertips_id`` of the catalogue at every area type the
INA compares with and writes one CSV that :func:`ina.sources.read_fingertips` reads as
``sources: fingertips``.

The API's ``all_data/csv/by_indicator_id`` endpoint answers in the web tool's download
layout (27 columns, England and parent rows included), one request per child area type
with every indicator id comma-separated. Column 23 is named after the parent area type
("Compared to Region value or percentiles", "Compared to ICBs value or percentiles"...), so
the file keeps the union of the responses' columns in first-seen order, each row's
comparison under its own heading. Rows repeated between responses (England, the regions)
are kept once. Plain ``urllib`` is used: no extra dependency, and the base URL can point
anywhere (``--base-url`` or ``INA_FINGERTIPS_URL``), which is how the tests serve
recorded responses locally.
"""

from __future__ import annotations

import csv
import io
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ina.errors import FetchError
from ina.sources.fingertips import KEY as READER_KEY

DEFAULT_BASE_URL = "https://fingertips.phe.org.uk/api"
BASE_URL_ENV = "INA_FINGERTIPS_URL"
ENDPOINT = "all_data/csv/by_indicator_id"
DEFAULT_OUTPUT = Path("data_raw") / "fingertips" / "fingertips_api.csv"
#: Columns every Fingertips export has (and ina's reader requires), and the row key.
REQUIRED_HEADER = ("Indicator ID", "Area Code", "Area Type", "Time period", "Value")
ROW_KEY = tuple(READER_KEY)  # the reader's duplicate-row key
#: HTTP answers worth asking again (the server is busy or restarting), not a wrong request.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class AreaLevel:
    """A Fingertips area type requested, with the parent type its rows are compared with.

    Ids are Fingertips' ``AreaTypeID``: 15 England, 6 Regions (statistical), 221 ICBs,
    66 ICB sub-locations (sub-ICB locations), 502 Counties & UAs (from Apr 2023), 501
    Districts & UAs (from Apr 2023), 7 GPs. ``practice_only`` levels are requested only
    for indicators born at GP practices (GP-level data exist only for those).
    """

    child: int
    parent: int
    label: str
    practice_only: bool = False


AREA_LEVELS: tuple[AreaLevel, ...] = (
    AreaLevel(6, 15, "regions"),
    AreaLevel(221, 15, "ICBs"),
    AreaLevel(66, 221, "sub-ICB locations"),
    AreaLevel(502, 6, "counties and unitary authorities"),
    AreaLevel(501, 6, "districts and unitary authorities"),
    AreaLevel(7, 66, "GP practices", practice_only=True),
)


@dataclass(frozen=True)
class Request:
    """One API call: which indicators at which area type, and its full URL."""

    level: AreaLevel
    indicator_ids: tuple[int, ...]
    url: str


@dataclass(frozen=True)
class FetchResult:
    """What was written: the file, its data rows and the requests made."""

    path: Path
    rows: int
    requests: tuple[Request, ...]


def base_url(option: str | None = None) -> str:
    """The API root: the ``--base-url`` option, else ``$INA_FINGERTIPS_URL``, else OHID's."""
    chosen = option or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    return chosen.rstrip("/")


def catalogue_ids() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``(every fingertips_id, those born at GP practices)`` of the packaged catalogue."""
    from ina.indicators.catalogue import load_catalogue

    every: set[int] = set()
    practice: set[int] = set()
    for indicator in load_catalogue():
        if indicator.fingertips_id is None:
            continue
        every.add(indicator.fingertips_id)
        if indicator.born_at == "practice":
            practice.add(indicator.fingertips_id)
    return tuple(sorted(every)), tuple(sorted(practice))


def plan_requests(
    indicator_ids: Iterable[int],
    practice_ids: Iterable[int] = (),
    *,
    root_url: str = DEFAULT_BASE_URL,
    levels: Sequence[AreaLevel] | None = None,
) -> tuple[Request, ...]:
    """The calls to make, in a fixed order (same catalogue, same file)."""
    levels = AREA_LEVELS if levels is None else levels
    every = tuple(sorted(set(indicator_ids)))
    practice = tuple(sorted(set(practice_ids) & set(every)))
    requests: list[Request] = []
    for level in levels:
        ids = practice if level.practice_only else every
        if not ids:
            continue
        query = urllib.parse.urlencode(
            {
                "indicator_ids": ",".join(map(str, ids)),
                "child_area_type_id": level.child,
                "parent_area_type_id": level.parent,
            },
            safe=",",
        )
        requests.append(Request(level, ids, f"{root_url.rstrip('/')}/{ENDPOINT}?{query}"))
    return tuple(requests)


Getter = Callable[[str, float], bytes]


def http_get(url: str, timeout: float) -> bytes:
    """GET ``url`` (urllib); HTTP errors raise :class:`urllib.error.HTTPError`."""
    request = urllib.request.Request(url, headers={"Accept": "text/csv", "User-Agent": "ina"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return bytes(response.read())


def get_with_retries(
    url: str,
    *,
    timeout: float,
    attempts: int,
    backoff: float,
    get: Getter = http_get,
    sleep: Callable[[float], None] = time.sleep,
) -> bytes:
    """The body of ``url``, asking again after a dropped connection, a timeout or a 5xx.

    Waits ``backoff``, then twice that, ... between attempts. A 4xx answer is not retried
    (asking again will not change it). The last failure becomes one :class:`FetchError`
    line naming the server, what went wrong and what to do.
    """
    host = urllib.parse.urlsplit(url)
    server = f"{host.scheme}://{host.netloc}"
    problem = "no attempt made"
    for attempt in range(1, max(1, attempts) + 1):
        try:
            return get(url, timeout)
        except urllib.error.HTTPError as error:
            problem = f"the Fingertips API answered HTTP {error.code} {error.reason}"
            if error.code not in RETRY_STATUSES:
                raise FetchError(f"{problem} for {url}") from None
        except TimeoutError:
            problem = f"no answer from {server} within {timeout:g} s"
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                problem = f"no answer from {server} within {timeout:g} s"
            else:
                problem = f"cannot reach {server} ({_reason(reason)})"
        except OSError as error:  # a connection reset mid-answer
            problem = f"cannot reach {server} ({_reason(error)})"
        if attempt < attempts:
            sleep(backoff * 2 ** (attempt - 1))
    raise FetchError(
        f"{problem} after {attempts} attempt{'s' if attempts != 1 else ''}; check the network "
        f"connection (or set --base-url / {BASE_URL_ENV}) and run ina fetch again"
    )


def _reason(reason: object) -> str:
    text = getattr(reason, "strerror", None) or str(reason)
    return " ".join(str(text).split()) or type(reason).__name__


def parse_response(body: bytes, url: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a Fingertips CSV answer; anything else is a FetchError."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = body.decode("cp1252", errors="replace")
    rows = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    header = [cell.strip() for cell in rows[0]] if rows else []
    missing = [column for column in REQUIRED_HEADER if column not in header]
    if missing:
        first = text.strip().splitlines()[0][:60] if text.strip() else "(empty)"
        raise FetchError(
            f"the Fingertips API answered {url} with something that is not a Fingertips "
            f"CSV (no {missing[0]!r} column; it starts {first!r}); try again later"
        )
    body_rows = rows[1:]
    for number, row in enumerate(body_rows, start=2):
        if len(row) != len(header):
            raise FetchError(
                f"the Fingertips API answered {url} with a malformed CSV: line {number} has "
                f"{len(row)} fields but the header has {len(header)}; try again later"
            )
    return header, body_rows


def merge(
    responses: Sequence[tuple[list[str], list[list[str]]]],
) -> tuple[list[str], list[list[str]]]:
    """One table: the union of the columns (first-seen order), each distinct row once."""
    columns: list[str] = []
    for header, _ in responses:
        columns.extend(c for c in header if c not in columns)
    seen: set[tuple[str, ...]] = set()
    merged: list[list[str]] = []
    for header, rows in responses:
        position = {name: index for index, name in enumerate(header)}
        key_at = [position.get(name) for name in ROW_KEY]
        for row in rows:
            key = tuple(row[i].strip() if i is not None else "" for i in key_at)
            if key in seen:
                continue
            seen.add(key)
            merged.append([row[position[c]] if c in position else "" for c in columns])
    return columns, merged


def write_csv(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    """Write atomically, after checking the file reads as ``sources: fingertips``.

    The rows go to ``<name>.part``, which :func:`ina.sources.read_fingertips` must accept
    before it replaces ``path``: a failed or odd fetch never leaves half a file, or a
    file the build would refuse, in ``data_raw/``.
    """
    from ina.errors import InputError
    from ina.sources.fingertips import read_fingertips

    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(rows)
    try:
        read_fingertips(temporary, name="fingertips")
    except InputError as error:
        temporary.unlink(missing_ok=True)
        raise FetchError(f"the Fingertips API data do not read as an export: {error}") from None
    temporary.replace(path)


def fetch_fingertips(
    output: Path,
    *,
    indicator_ids: Sequence[int] | None = None,
    practice_ids: Sequence[int] | None = None,
    root_url: str | None = None,
    timeout: float = 60.0,
    attempts: int = 4,
    backoff: float = 2.0,
    get: Getter = http_get,
    progress: Callable[[Request, int, int], None] | None = None,
    levels: Sequence[AreaLevel] | None = None,
) -> FetchResult:
    """Request every planned call, merge the answers and write ``output``.

    ``indicator_ids`` default to the catalogue's ``fingertips_id``s (``practice_ids`` to
    those born at practices). ``progress(request, done, total)`` is called after each
    call. The file is checked with :func:`ina.sources.read_fingertips` before it is
    written, so what ``ina fetch`` writes is exactly what ``sources: fingertips`` accepts.
    """
    if indicator_ids is None:
        indicator_ids, default_practice = catalogue_ids()
        practice_ids = default_practice if practice_ids is None else practice_ids
    requests = plan_requests(
        indicator_ids, practice_ids or (), root_url=base_url(root_url), levels=levels
    )
    if not requests:
        raise FetchError("no Fingertips indicator ids to fetch (the catalogue has none)")
    responses = []
    for done, request in enumerate(requests, start=1):
        body = get_with_retries(
            request.url, timeout=timeout, attempts=attempts, backoff=backoff, get=get
        )
        responses.append(parse_response(body, request.url))
        if progress is not None:
            progress(request, done, len(requests))
    columns, rows = merge(responses)
    if not rows:
        raise FetchError(
            "the Fingertips API returned no rows for indicators "
            + ", ".join(map(str, requests[0].indicator_ids))
            + "; check the ids in the catalogue"
        )
    write_csv(output, columns, rows)
    return FetchResult(output, len(rows), requests)
