"""Run every QA check on a release and publish the report the team reads before sign-off.

``ina build`` calls :func:`run_quality_checks` on its staging folder (step 'qa'), writes
``qa/qa-report.md`` and ``qa/qa-findings.csv`` next to the other outputs (so they are in
``manifest.json`` with checksums) and stops before publishing when a within-release check
found an error (:func:`raise_on_errors`). Warnings and notes are for the intelligence
team to read and explain, as in ScotPHO's QA step before an indicator update.

Both files are deterministic: sorted findings, no timestamps, no absolute paths. The
report does name its comparison basis (no previous release, or the previous release's
title and a fingerprint of its inputs' checksums), so "no findings" can never be mistaken
for "nothing compared".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ina.errors import BuildError, ConfigError
from ina.quality._tables import DEFAULT_MARKER, published_csvs, read_published_table
from ina.quality.between import DEFAULT_MOVE_THRESHOLD, compare_tables
from ina.quality.findings import FINDING_COLUMNS, SEVERITIES, combine_findings, table_findings
from ina.quality.within import check_tables

QA_DIR = "qa"
REPORT_NAME = "qa-report.md"
FINDINGS_NAME = "qa-findings.csv"
REPORT_ROW_LIMIT = 500
"""Findings listed in the Markdown report; the CSV always has all of them."""

WITHIN_CHECKS = ("interval", "percent-range", "negative-count", "zero-population", "parts-sum")
BETWEEN_CHECKS = (
    "value-moved",
    "suppression-changed",
    "value-changed",
    "row-added",
    "row-removed",
    "column-added",
    "column-removed",
    "table-added",
    "table-removed",
)


@dataclass(frozen=True)
class QaResult:
    """The findings of one QA run and what they were compared with."""

    findings: pd.DataFrame
    tables_checked: int
    previous_release: str | None
    """How the previous release is identified, or None when there was none."""
    tables_compared: int
    threshold: float

    def count(self, severity: str) -> int:
        return int((self.findings["severity"] == severity).sum())

    @property
    def errors(self) -> pd.DataFrame:
        return self.findings[self.findings["severity"] == "error"]

    def counts_text(self) -> str:
        """``0 errors, 1 warning, 12 notes``."""
        return ", ".join(
            f"{self.count(severity)} {severity}{'' if self.count(severity) == 1 else 's'}"
            for severity in SEVERITIES
        )

    def summary_line(self, report_path: str | Path | None = None) -> str:
        """``QA: 0 errors, 3 warnings, 12 notes; see outputs/qa/qa-report.md``."""
        line = "QA: " + self.counts_text()
        if self.previous_release is None:
            line += " (no previous release to compare with)"
        return line + (f"; see {report_path}" if report_path is not None else "")


def _previous_release_label(previous_outputs: Path) -> str:
    """Name the previous release by what it was built from, never by its own bytes.

    Its manifest's checksum would change with every rebuild (the manifest lists this very
    report), so no two builds could be byte-identical; its title and a fingerprint of its
    inputs' checksums identify it just as well and stay put while the inputs do.
    """
    import hashlib
    import json

    from ina.build.publish import MANIFEST_NAME

    manifest = previous_outputs / MANIFEST_NAME
    try:
        content = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"the outputs published before this build (no readable {MANIFEST_NAME})"
    inputs = sorted(str(entry.get("sha256", "")) for entry in content.get("inputs", []) if entry)
    fingerprint = hashlib.sha256("\n".join(inputs).encode("utf-8")).hexdigest()[:16]
    title = str(content.get("title") or "untitled")
    return (
        f"the outputs published before this build ({title}; "
        f"inputs fingerprint {fingerprint}, from the SHA-256 of its {len(inputs)} input files)"
    )


def run_quality_checks(
    data_dir: str | Path,
    *,
    previous_data_dir: str | Path | None = None,
    area_names: Mapping[str, str] | None = None,
    threshold: float = DEFAULT_MOVE_THRESHOLD,
    marker: str = DEFAULT_MARKER,
    compare: bool = True,
) -> QaResult:
    """Within-release checks on every CSV under ``data_dir``, and between-release checks
    against ``previous_data_dir`` when it exists.

    ``area_names`` (area id -> name) lets the parts-sum check recognise each area's own
    total row (the ICB's row in the ICB's tables). ``threshold`` is the fraction a number
    may move between releases before it is a warning.
    """
    if not threshold > 0:
        raise ConfigError(f"QA move threshold must be a positive fraction, got {threshold!r}")
    data_dir = Path(data_dir)
    new_files = published_csvs(data_dir)
    new_tables = {
        name: read_published_table(path, data_dir, marker=marker)
        for name, path in new_files.items()
    }
    found = [check_tables(new_tables.values(), dict(area_names or {}))]
    previous = Path(previous_data_dir) if previous_data_dir is not None else None
    previous_label: str | None = None
    compared = 0
    if compare and previous is not None and previous.is_dir():
        previous_label = _previous_release_label(previous.parent)
        old_files = published_csvs(previous)
        for name in sorted(new_files.keys() & old_files.keys()):
            old_table = read_published_table(old_files[name], previous, marker=marker)
            found.append(compare_tables(new_tables[name], old_table, threshold=threshold))
            compared += 1
        for name in sorted(new_files.keys() - old_files.keys()):
            found.append(
                table_findings(
                    new_tables[name],
                    check="table-added",
                    severity="note",
                    message="table is new in this release",
                )
            )
        for name in sorted(old_files.keys() - new_files.keys()):
            old_table = read_published_table(old_files[name], previous, marker=marker)
            found.append(
                table_findings(
                    old_table,
                    check="table-removed",
                    severity="note",
                    message="table was in the previous release but is not in this one",
                )
            )
    return QaResult(
        findings=combine_findings(found),
        tables_checked=len(new_tables),
        previous_release=previous_label,
        tables_compared=compared,
        threshold=threshold,
    )


def _markdown_cell(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _markdown_table(frame: pd.DataFrame) -> list[str]:
    header = "| " + " | ".join(_markdown_cell(column) for column in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = frame.astype(str).map(_markdown_cell).agg(" | ".join, axis=1)
    return [header, rule, *("| " + body + " |")]


def summary_counts(findings: pd.DataFrame, *, between_releases: bool = True) -> pd.DataFrame:
    """Findings per check and severity, every check that ran listed (zeros too), in a
    fixed order; the between-release checks only when there was a previous release."""
    checks = [*WITHIN_CHECKS, *(BETWEEN_CHECKS if between_releases else ())]
    checks += sorted(set(findings["check"]) - set(checks))
    counts = (
        findings.groupby(["check", "severity"]).size().unstack(fill_value=0)
        if not findings.empty
        else pd.DataFrame()
    )
    counts = counts.reindex(index=checks, columns=list(SEVERITIES), fill_value=0)
    counts.index.name = "check"
    return counts.astype(int).reset_index()


def render_report(result: QaResult) -> str:
    """The Markdown QA report: what was checked, counts by check and severity, findings."""
    findings = result.findings
    if result.previous_release is None:
        basis = "none found: this is a first release, so the between-release checks did not run"
    else:
        basis = (
            f"{result.previous_release}; {result.tables_compared} tables compared, "
            f"a number moving by more than {result.threshold:.0%} is a warning"
        )
    lines = [
        "# Data quality (QA) report",
        "",
        "Checks run by `ina build` on every published table and figure data file "
        "(`data/<area>/<chapter>/<id>.csv`, after small-number suppression) before publishing.",
        "Errors stop the build; warnings and notes are for the analyst to review and explain.",
        "",
        f"- Tables checked: {result.tables_checked}",
        f"- Previous release: {basis}",
        f"- Findings: {result.counts_text()}",
        "",
        "## Summary by check and severity",
        "",
        *_markdown_table(
            summary_counts(findings, between_releases=result.previous_release is not None)
        ),
        "",
        "## Findings",
        "",
    ]
    if findings.empty:
        lines.append("No findings.")
    else:
        shown = findings.head(REPORT_ROW_LIMIT)
        lines.extend(_markdown_table(shown))
        if len(findings) > len(shown):
            lines += [
                "",
                f"{len(findings) - len(shown)} more findings are listed in `{FINDINGS_NAME}`.",
            ]
    return "\n".join(lines) + "\n"


def write_qa_report(result: QaResult, folder: str | Path) -> tuple[Path, Path]:
    """Write ``qa-report.md`` and ``qa-findings.csv`` into ``folder``; return both paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / REPORT_NAME
    report.write_text(render_report(result), encoding="utf-8")
    findings = folder / FINDINGS_NAME
    result.findings[list(FINDING_COLUMNS)].to_csv(findings, index=False, lineterminator="\n")
    return report, findings


def raise_on_errors(result: QaResult, *, report_path: str | Path | None = None) -> None:
    """Raise BuildError (step 'qa') naming the first error's table, row and column."""
    errors = result.errors
    if errors.empty:
        return
    first = errors.iloc[0]
    where = f"data/{first['area']}/{first['chapter']}/{first['table']}.csv"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    see = f"; full report: {report_path}" if report_path is not None else ""
    raise BuildError(
        f"step 'qa' found {len(errors)} error{'s' if len(errors) > 1 else ''} in the "
        f"published tables{more}: {where}, row {first['row_key']}, column "
        f"{first['column']}: {first['message']}{see}; the previous outputs are untouched"
    )
