"""Run the bad-input corpus through the real CLI; ``python tests/corpus/run_corpus.py`` also
writes ``tests/corpus/CASES.md``, the table of cases and their outcomes.

A base project (the demo's ``ina.yml``, ``data_raw``, notebooks, templates) is made once,
with a warm loader cache and a previous ``outputs/`` folder; each case gets a copy of it
(see :func:`corpus_cases.copy_project`), is mutated, and runs ``ina validate`` or ``ina
build`` in a subprocess. Two cases run at a time: each is mostly Python start-up and
reading, and the machine is shared.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from corpus_cases import ACCEPTED, CASES, Case, copy_project  # noqa: E402

INA = Path(sys.executable).with_name("ina")
PROJECT_PARTS = ("ina.yml", "_quarto.yml", "data_raw", "notebooks", "templates")
#: A previous release: a build or validate that fails must leave it byte-for-byte alone.
PREVIOUS_OUTPUTS = {
    "manifest.json": b'{"ina_version": "previous", "outputs": []}\n',
    "report/integrated-needs-assessment-2025.html": b"<html>previous release</html>\n",
    "data/icb/population/pyramid.csv": b"age,female,male\n0,10,11\n",
    "qa/qa-report.md": b"# QA report (previous)\n",
}
#: The throw-away folder of a case, cut from messages (see :attr:`Outcome.message`).
_TEMPORARY = re.compile(r"/\S*?/cases/[^/]+/")
WORKERS = 2
TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Outcome:
    """What the CLI did for one case."""

    case: Case
    exit_code: int
    stdout: str
    stderr: str
    outputs_before: str
    outputs_after: str
    seconds: float

    @property
    def messages(self) -> list[str]:
        """Every non-empty stderr line (a config error lists each problem on its own).

        The case's throw-away folder is cut from paths (``data_raw/deaths/...`` remains),
        so an expected word can never be matched by the case id in the folder name.
        """
        lines = [line.strip() for line in self.stderr.splitlines() if line.strip()]
        return [_TEMPORARY.sub("", line) for line in lines]

    @property
    def message(self) -> str:
        """The error line naming every expected word of the case (else the last line), or
        '' for success: one problem is one line; several are one line each."""
        lines = self.messages
        named = [line for line in lines if all(word in line for word in self.case.words)]
        return named[0] if named else (lines[-1] if lines else "")


def tree_digest(folder: Path) -> str:
    """SHA-256 over every file's relative path and bytes (and every folder's name)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def make_base(folder: Path) -> Path:
    """The demo project with a warm cache and a previous ``outputs/``; returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, folder / part)
        else:
            shutil.copy2(source, folder / part)
    for relative, data in PREVIOUS_OUTPUTS.items():
        path = folder / "outputs" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    result = _run(["validate"], folder)
    if result.returncode != 0:
        raise RuntimeError(f"the demo project does not validate: {result.stderr[-2000:]}")
    return folder


def _run(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    return subprocess.run(
        [str(INA), *arguments, "--config", "ina.yml"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        env=environment,
        check=False,
    )


def run_case(base: Path, work: Path, case: Case) -> Outcome:
    """Copy the base, mutate, run the CLI, and record what it did (the copy is removed)."""
    folder = work / case.id
    project = copy_project(base, folder)
    try:
        try:
            case.mutate(project)
        except Exception as error:  # a broken case must fail its own test, not the run
            return Outcome(case, -1, "", f"mutation failed: {error!r}", "", "", 0.0)
        before = tree_digest(folder / "outputs")
        started = time.perf_counter()
        result = _run([case.command], folder)
        seconds = time.perf_counter() - started
        after = tree_digest(folder / "outputs") if (folder / "outputs").is_dir() else "missing"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return Outcome(case, result.returncode, result.stdout, result.stderr, before, after, seconds)


def problems(outcome: Outcome) -> list[str]:
    """What is wrong with an outcome (the checks of ``test_corpus.py``, for the script)."""
    case, found = outcome.case, []
    if "Traceback" in outcome.stdout + outcome.stderr:
        found.append("traceback")
    if outcome.exit_code != case.exit_code:
        found.append(f"exit {outcome.exit_code}, expected {case.exit_code}")
    found += [f"{word!r} not in the message" for word in case.words if word not in outcome.message]
    if case.exit_code and not re.match(r"ina: (input|configuration) error: ", outcome.message):
        found.append("not a one-line ina error")
    if outcome.outputs_after != outcome.outputs_before:
        found.append("outputs/ changed")
    return found


def run_all(base: Path, work: Path, cases: Iterable[Case]) -> dict[str, Outcome]:
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(lambda case: run_case(base, work, case), cases))
    return {outcome.case.id: outcome for outcome in outcomes}


def cases_table(outcomes: Iterable[Outcome]) -> str:
    """The Markdown table of CASES.md: id, input, command, exit code, message."""
    rows = [
        "| id | input | command | exit | message |",
        "|---|---|---|---|---|",
    ]
    for outcome in outcomes:
        message = outcome.message.replace("|", "\\|") or "(valid)"
        for prefix in ("ina: input error: ", "ina: configuration error: "):
            message = message.replace(prefix, "")
        rows.append(
            f"| `{outcome.case.id}` | {outcome.case.description} | {outcome.case.command} "
            f"| {outcome.exit_code} | {message} |"
        )
    return "\n".join(rows) + "\n"


def write_cases_md(outcomes: dict[str, Outcome], seconds: float) -> str:
    rejected = [outcomes[case.id] for case in CASES]
    accepted = [outcomes[case.id] for case in ACCEPTED]
    text = (
        "# Bad-input corpus: cases and outcomes\n\n"
        "Generated by `python tests/corpus/run_corpus.py` from a run of the real CLI "
        "(`tests/corpus/test_corpus.py` checks this file lists every case with its exit "
        "code). Paths in messages are relative to a throw-away copy of the demo project; "
        "every case also left the previous `outputs/` byte-for-byte unchanged and printed "
        "no traceback.\n\n"
        f"{len(rejected)} bad inputs and {len(accepted)} accepted variants, "
        f"{seconds:.0f} s for the run.\n\n"
        "## Bad inputs (exit 2: configuration, 3: input)\n\n"
        + cases_table(rejected)
        + "\n## Accepted variants (exit 0)\n\n"
        + cases_table(accepted)
    )
    (HERE / "CASES.md").write_text(text, encoding="utf-8")
    return text


def main() -> int:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ina-corpus-") as temporary:
        root = Path(temporary)
        started = time.perf_counter()
        base = make_base(root / "base")
        outcomes = run_all(base, root / "cases", [*CASES, *ACCEPTED])
        seconds = time.perf_counter() - started
    write_cases_md(outcomes, seconds)
    wrong = [o.case.id for o in outcomes.values() if problems(o)]
    for o in outcomes.values():
        print(f"{o.seconds:5.1f}s {o.exit_code:3d} {o.case.id}: {o.message[:160]} {problems(o)}")
    print(f"{len(outcomes)} cases in {seconds:.0f} s; wrong: {', '.join(wrong) or 'none'}")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
