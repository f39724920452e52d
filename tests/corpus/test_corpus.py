"""Issue 6 "done when": a corpus of bad inputs, each through the real CLI.

Every case in :data:`corpus_cases.CASES` must exit with its code (2 configuration, 3
input), print no traceback, name the file or the ``ina.yml`` field (and its other
expected words) in its message, and leave the previous ``outputs/`` byte-for-byte
unchanged. Every case in :data:`corpus_cases.ACCEPTED` (BOM, Windows-1252, CRLF, an extra
named column) must validate. The selected cases run once per session, two at a time;
cases outside ``corpus_cases.CORE`` are marked ``slow``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from corpus_cases import ACCEPTED, CASES, CORE, EXIT_CONFIG, EXIT_INPUT, EXIT_OK, Case
from run_corpus import HERE, Outcome, make_base, run_all, tree_digest

ALL = [*CASES, *ACCEPTED]


def _params(cases: list[Case]) -> list[object]:
    return [
        pytest.param(case, id=case.id, marks=[pytest.mark.slow] if case.slow else [])
        for case in cases
    ]


@pytest.fixture(scope="session")
def outcomes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Outcome]:
    """Run every selected case once (two at a time), before the first case test."""
    selected = {
        item.callspec.params["case"].id
        for item in request.session.items
        if hasattr(item, "callspec") and isinstance(item.callspec.params.get("case"), Case)
    }
    root = tmp_path_factory.mktemp("corpus")
    base = make_base(root / "base")
    shared = tree_digest(base / "data_raw")
    results = run_all(base, root / "cases", [case for case in ALL if case.id in selected])
    # The cases' data_raw files are hard links into the base: none may have written one.
    assert tree_digest(base / "data_raw") == shared, "a corpus case wrote into shared data_raw"
    return results


def test_the_corpus_is_big_and_well_formed() -> None:
    ids = [case.id for case in ALL]
    assert len(set(ids)) == len(ids), "case ids must be unique"
    assert len(CASES) >= 60
    assert {case.exit_code for case in CASES} == {EXIT_CONFIG, EXIT_INPUT}
    assert all(case.exit_code == EXIT_OK for case in ACCEPTED)
    assert all(case.words for case in CASES), "every bad input names its file or field"
    assert set(CORE) <= set(ids), "CORE names a case that does not exist"
    assert len([case for case in CASES if not case.slow]) >= 60


@pytest.mark.parametrize("case", _params(CASES))
def test_bad_input_stops_with_one_clear_line(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.id]
    output = outcome.stdout + outcome.stderr
    assert "Traceback" not in output, output[-3000:]
    assert outcome.exit_code == case.exit_code, output[-3000:]
    message = outcome.message
    for word in case.words:
        assert word in message, f"{word!r} not in {message!r}"
    assert re.match(r"ina: (input|configuration) error: ", message), message
    assert outcome.outputs_after == outcome.outputs_before, "outputs/ changed"


@pytest.mark.parametrize("case", _params(ACCEPTED))
def test_good_variant_is_accepted(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.id]
    output = outcome.stdout + outcome.stderr
    assert "Traceback" not in output, output[-3000:]
    assert outcome.exit_code == EXIT_OK, output[-3000:]
    assert outcome.outputs_after == outcome.outputs_before


def test_cases_md_lists_every_case_with_its_exit_code() -> None:
    """CASES.md (made by ``python tests/corpus/run_corpus.py``) matches the case list."""
    text = (Path(HERE) / "CASES.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `([^`]+)` \|.*?\| (?:validate|build) \| (\d+) \|", text, re.M))
    assert listed == {case.id: str(case.exit_code) for case in ALL}
