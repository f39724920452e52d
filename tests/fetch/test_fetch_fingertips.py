"""``ina fetch``: recorded Fingertips API answers served by a local HTTP server, never the internet.

The responses in ``responses/`` are in the API's real ``all_data/csv/by_indicator_id``
layout (27 columns, CRLF, England and parent rows included, a quoted newline in an
indicator name, column 23 named after the parent area type).
"""

from __future__ import annotations

import socket
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ina.cli import EXIT_INPUT, app
from ina.errors import FetchError
from ina.fetch import fingertips as ft
from ina.sources import read_fingertips

RESPONSES = Path(__file__).parent / "responses"
runner = CliRunner()

#: Two indicators at two area types keep the recorded answers small.
LEVELS = (ft.AreaLevel(6, 15, "regions"), ft.AreaLevel(221, 15, "ICBs"))


@dataclass
class Script:
    """What the fake API answers for each child area type: (status, body) in turn."""

    answers: dict[str, list[tuple[int, bytes]]]
    seen: list[str] = field(default_factory=list)
    delay: float = 0.0

    def next(self, child: str) -> tuple[int, bytes]:
        queue = self.answers.get(child) or [(404, b"Not Found")]
        return queue.pop(0) if len(queue) > 1 else queue[0]


@pytest.fixture
def api() -> Iterator[tuple[str, Script]]:
    """A local stand-in for https://fingertips.phe.org.uk/api (thread, free port)."""
    script = Script({})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's name for the GET handler
            url = urllib.parse.urlsplit(self.path)
            script.seen.append(self.path)
            if script.delay:
                threading.Event().wait(script.delay)
            child = urllib.parse.parse_qs(url.query).get("child_area_type_id", [""])[0]
            status, body = script.next(child) if url.path.endswith(ft.ENDPOINT) else (404, b"")
            self.send_response(status)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api", script
    finally:
        server.shutdown()
        server.server_close()


def recorded(name: str) -> bytes:
    return (RESPONSES / name).read_bytes()


def _fetch(url: str, output: Path, **options: object) -> ft.FetchResult:
    settings: dict[str, object] = {"timeout": 5.0, "attempts": 3, "backoff": 0.0} | options
    return ft.fetch_fingertips(
        output,
        indicator_ids=[92310, 90366],
        practice_ids=(),
        root_url=url,
        levels=LEVELS,
        **settings,  # type: ignore[arg-type]
    )


def test_success_writes_one_export_the_reader_accepts(
    api: tuple[str, Script], tmp_path: Path
) -> None:
    url, script = api
    script.answers = {"6": [(200, recorded("regions.csv"))], "221": [(200, recorded("icbs.csv"))]}
    output = tmp_path / "data_raw" / "fingertips" / "fingertips_api.csv"
    result = _fetch(url, output)
    assert len(script.seen) == 2
    assert "indicator_ids=90366,92310&child_area_type_id=6&parent_area_type_id=15" in script.seen[0]
    # England's 92310 row is in both answers and kept once: 4 + 3 - 1 rows.
    assert result.rows == 6
    extract = read_fingertips(output)
    frame = extract.frame
    assert len(frame) == 6
    assert set(frame["area_code"]) == {"E92000001", "E12000006", "E54000068"}
    # Both parent-named comparison columns survive, each row under its own heading.
    assert "compared_to_icbs_value_or_percentiles" in frame.columns
    assert "compared_to_percentiles" in frame.columns
    icb_le = frame[(frame["area_code"] == "E54000068") & (frame["indicator_id"] == 90366)]
    assert icb_le["value"].iloc[0] == pytest.approx(79.81)
    assert icb_le["indicator_name"].iloc[0] == "Life expectancy at\nbirth"
    assert not list(output.parent.glob("*.part"))
    again = tmp_path / "again.csv"
    script.answers = {"6": [(200, recorded("regions.csv"))], "221": [(200, recorded("icbs.csv"))]}
    _fetch(url, again)
    assert again.read_bytes() == output.read_bytes()  # same answers, same bytes


def test_a_failed_request_is_retried_then_succeeds(api: tuple[str, Script], tmp_path: Path) -> None:
    url, script = api
    script.answers = {
        "6": [(503, b"Service Unavailable"), (200, recorded("regions.csv"))],
        "221": [(200, recorded("icbs.csv"))],
    }
    waits: list[float] = []
    body = ft.get_with_retries(
        ft.plan_requests([92310], root_url=url, levels=LEVELS)[0].url,
        timeout=5,
        attempts=3,
        backoff=0.5,
        sleep=waits.append,
    )
    assert body == recorded("regions.csv")
    assert waits == [0.5]  # one wait, the first backoff
    assert len(script.seen) == 2


def test_backoff_doubles_and_the_last_failure_is_one_line(api: tuple[str, Script]) -> None:
    url, script = api
    script.answers = {"6": [(500, b"oops")]}
    waits: list[float] = []
    with pytest.raises(FetchError) as error:
        ft.get_with_retries(
            f"{url}/{ft.ENDPOINT}?child_area_type_id=6",
            timeout=5,
            attempts=4,
            backoff=1.0,
            sleep=waits.append,
        )
    assert waits == [1.0, 2.0, 4.0]
    assert len(script.seen) == 4
    message = str(error.value)
    assert "HTTP 500" in message and "after 4 attempts" in message and "\n" not in message


def test_a_client_error_is_not_retried(api: tuple[str, Script]) -> None:
    url, script = api
    script.answers = {"6": [(400, b"bad indicator id")]}
    with pytest.raises(FetchError, match="HTTP 400"):
        ft.get_with_retries(
            f"{url}/{ft.ENDPOINT}?child_area_type_id=6", timeout=5, attempts=4, backoff=0
        )
    assert len(script.seen) == 1


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_offline_is_one_line_and_exit_code_3(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/api"
    result = runner.invoke(
        app,
        ["fetch", "--root", str(tmp_path), "--base-url", url, "--retries", "1", "--backoff", "0"],
    )
    assert result.exit_code == EXIT_INPUT, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "fetch error" in lines[0] and "cannot reach http://127.0.0.1" in lines[0]
    assert "after 2 attempts" in lines[0] and "INA_FINGERTIPS_URL" in lines[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / ft.DEFAULT_OUTPUT).exists()


def test_http_500_through_the_cli_is_exit_code_3(
    api: tuple[str, Script], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, script = api
    script.answers = {"6": [(500, b"Internal Server Error")]}
    monkeypatch.setenv(ft.BASE_URL_ENV, url)  # the base URL from the environment
    monkeypatch.setattr(ft, "AREA_LEVELS", LEVELS)
    result = runner.invoke(
        app, ["fetch", "--root", str(tmp_path), "-i", "92310", "--retries", "2", "--backoff", "0"]
    )
    assert result.exit_code == EXIT_INPUT, result.output
    assert "HTTP 500" in result.output and "after 3 attempts" in result.output
    assert len(script.seen) == 3
    assert not (tmp_path / ft.DEFAULT_OUTPUT).exists()


def test_a_malformed_answer_is_refused(api: tuple[str, Script], tmp_path: Path) -> None:
    url, script = api
    script.answers = {"6": [(200, recorded("maintenance.html"))]}
    with pytest.raises(FetchError) as error:
        _fetch(url, tmp_path / "out.csv")
    assert "not a Fingertips CSV" in str(error.value)
    assert "'Indicator ID'" in str(error.value)
    assert not (tmp_path / "out.csv").exists()


def test_a_csv_with_a_short_row_is_refused(api: tuple[str, Script], tmp_path: Path) -> None:
    url, script = api
    cut = recorded("icbs.csv").rsplit(b",", 8)[0]  # the last row loses its last 8 fields
    script.answers = {"6": [(200, recorded("regions.csv"))], "221": [(200, cut)]}
    with pytest.raises(FetchError, match="malformed CSV: line 4 has 19 fields"):
        _fetch(url, tmp_path / "out.csv")


def test_a_slow_server_times_out(api: tuple[str, Script], tmp_path: Path) -> None:
    url, script = api
    script.answers = {"6": [(200, recorded("regions.csv"))]}
    script.delay = 1.0
    with pytest.raises(FetchError, match=r"no answer from http://127\.0\.0\.1:\d+ within 0\.2 s"):
        _fetch(url, tmp_path / "out.csv", timeout=0.2, attempts=1)


def test_no_rows_at_all_is_an_error_not_an_empty_file(
    api: tuple[str, Script], tmp_path: Path
) -> None:
    url, script = api
    script.answers = {
        "6": [(200, recorded("header_only.csv"))],
        "221": [(200, recorded("header_only.csv"))],
    }
    with pytest.raises(FetchError, match="no rows"):
        _fetch(url, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


def test_dry_run_lists_the_requests_and_touches_nothing(
    api: tuple[str, Script], tmp_path: Path
) -> None:
    url, script = api
    result = runner.invoke(app, ["fetch", "--root", str(tmp_path), "--base-url", url, "--dry-run"])
    assert result.exit_code == 0, result.output
    every, _ = ft.catalogue_ids()
    ids = ",".join(map(str, every))
    for level in ft.AREA_LEVELS:
        if level.practice_only:
            continue
        expected = f"child_area_type_id={level.child}&parent_area_type_id={level.parent}"
        assert f"GET {url}/{ft.ENDPOINT}?indicator_ids={ids}&{expected}" in result.output
    assert "nothing downloaded" in result.output
    assert script.seen == []
    assert not (tmp_path / "data_raw").exists()


def test_practice_level_is_requested_only_for_practice_born_indicators() -> None:
    none = ft.plan_requests([92310], [], root_url="http://x/api")
    assert 7 not in {r.level.child for r in none}
    some = ft.plan_requests([92310, 200], [200], root_url="http://x/api")
    practice = [r for r in some if r.level.child == 7]
    assert len(practice) == 1 and practice[0].indicator_ids == (200,)
    assert "parent_area_type_id=66" in practice[0].url


def test_the_catalogue_ids_are_the_fingertips_ids() -> None:
    every, practice = ft.catalogue_ids()
    assert 92310 in every and 90366 in every  # percent_65_plus, life expectancy
    assert set(practice) <= set(every)
    assert list(every) == sorted(set(every))


def test_base_url_option_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ft.BASE_URL_ENV, raising=False)
    assert ft.base_url() == "https://fingertips.phe.org.uk/api"
    monkeypatch.setenv(ft.BASE_URL_ENV, "http://mirror.example/api/")
    assert ft.base_url() == "http://mirror.example/api"
    assert ft.base_url("http://option/api") == "http://option/api"
