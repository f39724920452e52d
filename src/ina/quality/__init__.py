"""Data-quality (QA) checks run by every build before it publishes.

In the style of ScotPHO's profile-update QA and the OHID Fingertips data-quality rules,
every published table (``data/<area>/<chapter>/<id>.csv``) is checked

* **within the release** (:mod:`ina.quality.within`): values inside their confidence
  intervals, lower <= upper, percentages within [0, 100], no negative counts (errors:
  they stop the build), parts adding up to their total row or column (warnings);
* **between releases** (:mod:`ina.quality.between`): numbers that moved by more than 5%
  since the previous published outputs (warnings), rows, columns and tables that
  appeared or disappeared (notes), rows matched by key, not position.

The report (:mod:`ina.quality.report`) is published as ``qa/qa-report.md`` and
``qa/qa-findings.csv``. ``ina qa`` re-runs the checks on a published folder.
"""

from ina.quality._tables import PublishedTable, published_csvs, read_published_table
from ina.quality.between import DEFAULT_MOVE_THRESHOLD, compare_tables
from ina.quality.findings import FINDING_COLUMNS, SEVERITIES, combine_findings
from ina.quality.report import (
    FINDINGS_NAME,
    QA_DIR,
    REPORT_NAME,
    QaResult,
    raise_on_errors,
    render_report,
    run_quality_checks,
    summary_counts,
    write_qa_report,
)
from ina.quality.within import check_table, check_tables

__all__ = [
    "DEFAULT_MOVE_THRESHOLD",
    "FINDINGS_NAME",
    "FINDING_COLUMNS",
    "QA_DIR",
    "REPORT_NAME",
    "SEVERITIES",
    "PublishedTable",
    "QaResult",
    "check_table",
    "check_tables",
    "combine_findings",
    "compare_tables",
    "published_csvs",
    "raise_on_errors",
    "read_published_table",
    "render_report",
    "run_quality_checks",
    "summary_counts",
    "write_qa_report",
]
