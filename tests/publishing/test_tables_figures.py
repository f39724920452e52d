"""show_table / show_figure: artefact files, Markdown formatting and determinism."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

import ina.publishing.tables as tables_module
from ina.errors import InaError
from ina.publishing import (
    Publisher,
    SuppressionRule,
    figure_png,
    findings_markdown,
    format_markdown_table,
    show_figure,
    show_table,
)

RULE = SuppressionRule()


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Capture the Markdown a table displays instead of sending it to IPython."""
    captured: list[str] = []
    monkeypatch.setattr(tables_module, "show_markdown", captured.append)
    return captured


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "place": ["North", "South|East"],
            "population": [123456, 5],
            "percent": [12.345, 0.004],
            "rate": [1234.56789, 2.0],
        }
    )


def test_show_table_writes_suppressed_csv_and_markdown(tmp_path: Path, shown: list[str]) -> None:
    path = show_table(
        _table(),
        table_id="pop-by-place",
        caption="Residents by place",
        artefact_dir=tmp_path,
        area="west-norfolk",
        chapter="population",
        rule=RULE,
        count_columns=["population"],
        derived_columns=["percent", "rate"],
        percent_columns=["percent"],
        headers={"population": "Residents", "percent": "%"},
    )
    assert path == tmp_path / "west-norfolk" / "population" / "pop-by-place.csv"
    csv_bytes = path.read_bytes()
    assert b"\r" not in csv_bytes
    assert csv_bytes.decode() == (
        "place,population,percent,rate\nNorth,123456,12.3450,1234.5679\nSouth|East,[c],[c],[c]\n"
    )
    (markdown,) = shown
    lines = markdown.splitlines()
    assert lines[0] == "| place | Residents | % | rate |"
    # Dashes follow the longest unbreakable token + 2, or the longest cell up to 20 characters
    # (pandoc sizes wide pipe tables by them).
    assert lines[1] == "|:------------|-----------:|------:|---------:|"
    assert lines[2] == "| North | 123,456 | 12.3 | 1,234.6 |"
    assert lines[3] == "| South\\|East | [c] | [c] | [c] |"
    assert lines[5] == ": Residents by place {#tbl-pop-by-place}"
    # Every table links its CSV, relative to the outputs folder (the build rebases it).
    assert lines[-1] == (
        "[Download the data of this table `pop-by-place` (CSV)]"
        "(data/west-norfolk/population/pop-by-place.csv){.ina-download}"
    )


def test_show_table_is_deterministic(tmp_path: Path, shown: list[str]) -> None:
    arguments = {
        "table_id": "t",
        "caption": "c",
        "area": "icb",
        "chapter": "population",
        "rule": RULE,
        "count_columns": ["population"],
    }
    first = show_table(_table(), artefact_dir=tmp_path / "1", **arguments).read_bytes()
    second = show_table(_table(), artefact_dir=tmp_path / "2", **arguments).read_bytes()
    assert first == second
    assert shown[0] == shown[1]


def test_show_table_refuses_tables_too_wide_for_a4(tmp_path: Path, shown: list[str]) -> None:
    wide = pd.DataFrame({f"c{i}": [1] for i in range(8)})
    with pytest.raises(InaError, match="A4"):
        show_table(
            wide,
            table_id="w",
            caption="c",
            artefact_dir=tmp_path,
            area="icb",
            chapter="x",
            rule=RULE,
        )


def test_missing_values_are_shown_as_gss_not_available(tmp_path: Path, shown: list[str]) -> None:
    frame = pd.DataFrame({"name": ["a"], "rate": [float("nan")]})
    path = show_table(
        frame,
        table_id="m",
        caption="c",
        artefact_dir=tmp_path,
        area="icb",
        chapter="x",
        rule=RULE,
    )
    # GSS: [x] not available, never blank (blank could be read as suppressed or zero).
    assert path.read_text() == "name,rate\na,[x]\n"
    assert "| a | [x] |" in shown[0]


def test_markdown_table_without_label() -> None:
    text = format_markdown_table(pd.DataFrame({"a": ["1"]}), caption="Cap")
    assert text.endswith(": Cap\n")


def _figure() -> Figure:
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.bar(["a", "b"], [1, 2])
    ax.set_title("Test")
    return fig


def test_figure_png_is_byte_identical_across_runs() -> None:
    first, second = figure_png(_figure()), figure_png(_figure())
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert first == second
    assert b"Software" not in first


def test_show_figure_saves_png_and_suppressed_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    displayed: list[object] = []
    monkeypatch.setattr("IPython.display.display", displayed.append)
    data = pd.DataFrame({"group": ["a", "b"], "count": [3, 30]})
    path = show_figure(
        _figure(),
        figure_id="fig1",
        data=data,
        artefact_dir=tmp_path,
        area="icb",
        chapter="deprivation",
        rule=RULE,
        count_columns=["count"],
    )
    assert path.read_bytes()[:4] == b"\x89PNG"
    assert (path.parent / "fig1.csv").read_text() == "group,count\na,[c]\nb,30\n"
    # The image (with the width at which its smallest text is 12 px) and its CSV link.
    assert len(displayed) == 2
    image, link = displayed
    width = image.metadata["ina/min-width-px"]  # type: ignore[attr-defined]
    assert isinstance(width, int) and width > 0
    assert "fig1.csv" in link.data  # type: ignore[attr-defined]


def test_publisher_findings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    captured: list[str] = []
    monkeypatch.setattr("ina.publishing.show_markdown", captured.append)
    publisher = Publisher(artefact_dir=tmp_path, area="icb", chapter="population", rule=RULE)
    publisher.findings(["One.", "Two."])
    publisher.findings([])
    # A real (unnumbered, unlisted) heading, not bold text: screen readers can jump to it.
    heading = "### Key findings {.unnumbered .unlisted .ina-findings}"
    assert captured == [f"{heading}\n\n- One.\n- Two.\n"]
    assert findings_markdown([]) == ""


def test_years_are_labels_without_separators(tmp_path: Path, shown: list[str]) -> None:
    frame = pd.DataFrame({"year": [2024], "base_year": [2026], "births": [1234]})
    path = show_table(
        frame, table_id="y", caption="c", artefact_dir=tmp_path, area="icb", chapter="x", rule=RULE
    )
    assert "| 2024 | 2026 | 1,234 |" in shown[0]
    assert path.read_text() == "year,base_year,births\n2024,2026,1234\n"


def test_legible_width_follows_the_smallest_text() -> None:
    """A chart is never drawn narrower than the width at which its smallest text is 12 px."""
    from matplotlib.figure import Figure

    from ina.publishing.figures import legible_width_px

    fig = Figure(figsize=(6.0, 3.0))  # 432 pt wide
    ax = fig.subplots()
    ax.set_title("Title", fontsize=12)
    ax.tick_params(labelsize=9)
    fig.text(0.5, 0.01, "note", fontsize=6)
    assert legible_width_px(fig) == 864  # 432 pt x 12 px / 6 pt
    fig.texts[0].set_visible(False)
    assert legible_width_px(fig) == 576  # now the 9 pt tick labels are the smallest


def _matrix_input(worst: str = "worse") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "chapter": ["Start Well", "Start Well"],
            "indicator": ["Low birth weight", "Low birth weight"],
            "area": ["ICB", "West Norfolk"],
            "comparison": ["similar", worst],
        }
    )


def _show(fig: Figure, folder: Path, figure_id: str) -> bytes:
    path = show_figure(
        fig,
        figure_id=figure_id,
        data=pd.DataFrame({"a": [1]}),
        artefact_dir=folder,
        area="icb",
        chapter="summary",
        rule=RULE,
        display_image=False,
    )
    return path.read_bytes()


def test_a_figure_marked_with_the_same_inputs_is_rendered_once_with_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ina.publishing.figures as figures_module
    from ina.charts.matrix import indicator_matrix

    figures_module._RENDERED.clear()
    fresh = figure_png(indicator_matrix(_matrix_input()).figure)
    rendered: list[Figure] = []
    real_figure_png = figures_module.figure_png

    def counting(fig: Figure, **options: object) -> bytes:
        rendered.append(fig)
        return real_figure_png(fig, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(figures_module, "figure_png", counting)
    first = _show(indicator_matrix(_matrix_input()).figure, tmp_path, "m1")
    again = _show(indicator_matrix(_matrix_input()).figure, tmp_path, "m2")
    assert len(rendered) == 1  # the second, identical matrix reused the first PNG
    assert first == again == fresh
    other = _show(indicator_matrix(_matrix_input("better")).figure, tmp_path, "m3")
    assert len(rendered) == 2 and other != first  # other data: rendered anew


def test_the_render_key_changes_with_every_input_and_with_rc_params() -> None:
    from matplotlib import rc_context

    from ina.charts.matrix import indicator_matrix
    from ina.publishing.figures import RENDER_KEY_ATTRIBUTE

    def key(fig: Figure) -> str:
        return getattr(fig, RENDER_KEY_ATTRIBUTE)

    base = key(indicator_matrix(_matrix_input()).figure)
    assert base == key(indicator_matrix(_matrix_input()).figure)
    assert base != key(indicator_matrix(_matrix_input("better")).figure)
    assert base != key(indicator_matrix(_matrix_input(), comparator_name="ICB").figure)
    assert base != key(indicator_matrix(_matrix_input(), areas=["West Norfolk", "ICB"]).figure)
    with rc_context({"font.size": 13}):
        assert base != key(indicator_matrix(_matrix_input()).figure)
    assert not hasattr(_figure(), RENDER_KEY_ATTRIBUTE)  # unmarked figures are never reused
