"""The published QA report (Markdown + CSV) and the ``ina qa`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from ina.cli import app
from ina.quality import FINDING_COLUMNS, render_report, run_quality_checks, write_qa_report
from ina.quality import report as report_module


def publish(folder: Path, tables: dict[str, str]) -> Path:
    """A folder shaped like published outputs: data/<area>/<chapter>/<id>.csv + manifest."""
    for relative, text in tables.items():
        path = folder / "data" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    areas = [{"id": "icb", "name": "The ICB", "kind": "icb"}]
    (folder / "manifest.json").write_text(json.dumps({"areas": areas}), encoding="utf-8")
    return folder


PREVIOUS = {
    "icb/ch/rates.csv": "label,dsr,dsr_lower,dsr_upper\na|b,10,9,11\nc,20,18,22\n",
    "icb/ch/parts.csv": "name,people\nA,10\nB,20\nThe ICB,30\n",
}
CURRENT = {
    "icb/ch/rates.csv": "label,dsr,dsr_lower,dsr_upper\nc,20,18,22\na|b,12,11,13\n",
    "icb/ch/parts.csv": "name,people\nA,10\nB,20\nThe ICB,40\n",
}


def test_report_counts_by_check_and_severity_then_lists_sorted_findings(tmp_path) -> None:
    previous = publish(tmp_path / "previous", PREVIOUS)
    current = publish(tmp_path / "current", CURRENT)
    result = run_quality_checks(
        current / "data", previous_data_dir=previous / "data", area_names={"icb": "The ICB"}
    )
    assert result.counts_text() == "0 errors, 5 warnings, 0 notes"
    # the parts-sum on the ICB row first, then the moves: people of the ICB row, then the
    # dsr and both limits of row a|b (matched by key although the rows were re-sorted)
    findings = result.findings
    assert findings["check"].tolist() == ["parts-sum", *["value-moved"] * 4]
    assert findings["table"].tolist() == ["parts", "parts", "rates", "rates", "rates"]
    assert findings["column"].tolist()[2:] == ["dsr", "dsr_lower", "dsr_upper"]
    text = render_report(result)
    assert "| parts-sum | 0 | 1 | 0 |" in text and "| value-moved | 0 | 4 | 0 |" in text
    assert "label=a\\|b" in text  # a pipe in a key does not break the Markdown table
    assert "inputs fingerprint" in text and "2 tables compared" in text
    assert str(tmp_path) not in text  # no absolute paths: the report is portable
    assert render_report(result) == text  # deterministic


def test_written_files_round_trip_and_the_report_is_capped(tmp_path, monkeypatch) -> None:
    current = publish(tmp_path / "current", CURRENT)
    previous = publish(tmp_path / "previous", PREVIOUS)
    result = run_quality_checks(current / "data", previous_data_dir=previous / "data")
    monkeypatch.setattr(report_module, "REPORT_ROW_LIMIT", 2)
    report, findings = write_qa_report(result, tmp_path / "qa")
    read_back = pd.read_csv(findings, dtype=str, keep_default_na=False)
    assert list(read_back.columns) == list(FINDING_COLUMNS)
    pd.testing.assert_frame_equal(read_back, result.findings, check_dtype=False)
    text = report.read_text(encoding="utf-8")
    assert f"{len(result.findings) - 2} more findings are listed in `qa-findings.csv`" in text


def test_summary_line_names_the_report(tmp_path) -> None:
    result = run_quality_checks(publish(tmp_path, CURRENT) / "data")
    assert result.summary_line("outputs/qa/qa-report.md") == (
        "QA: 0 errors, 0 warnings, 0 notes (no previous release to compare with); "
        "see outputs/qa/qa-report.md"
    )


def test_ina_qa_exits_1_on_errors_and_0_otherwise(tmp_path) -> None:
    runner = CliRunner()
    good = publish(tmp_path / "good", CURRENT)
    result = runner.invoke(app, ["qa", "--outputs", str(good), "--previous", str(good)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("QA: 0 errors, 1 warning, 0 notes")  # parts-sum
    bad = publish(
        tmp_path / "bad", {"icb/ch/rates.csv": "label,dsr,dsr_lower,dsr_upper\nx,5,6,7\n"}
    )
    result = runner.invoke(app, ["qa", "--outputs", str(bad)])
    assert result.exit_code == 1
    assert "QA: 1 error, 0 warnings, 0 notes" in result.output
    missing = runner.invoke(app, ["qa", "--outputs", str(tmp_path / "nowhere")])
    assert missing.exit_code == 4
