"""load_source / load_all_sources: dispatch on the ina.yml key, relative provenance, cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sources_helpers import csv_text, write

from ina.errors import ConfigError, InputError
from ina.sources import READERS, load_all_sources, load_source


@dataclass
class FakeSettings:
    """The three things the loaders use from ``ina.config.Settings``."""

    root: Path
    paths: dict[str, Path | list[Path]] = field(default_factory=dict)

    def source_names(self) -> list[str]:
        return list(self.paths)

    def source_path(self, name: str) -> Path | list[Path]:
        return self.paths[name]


def district_file(folder: Path, county: str = "Norfolk") -> Path:
    (folder / "data_raw" / "lookups").mkdir(parents=True, exist_ok=True)
    return write(
        folder / "data_raw" / "lookups",
        "LTLA24_UTLA24_lookup.csv",
        csv_text(
            ["LTLA24CD", "LTLA24NM", "UTLA24CD", "UTLA24NM", "ObjectId"],
            [["E07000148", "Norwich", "E10000020", county, 1]],
        ),
        bom=True,
    )


def test_every_ina_yml_source_has_a_reader() -> None:
    ina_yml = Path(__file__).resolve().parents[2] / "ina.yml"
    import yaml

    sources = yaml.safe_load(ina_yml.read_text(encoding="utf-8"))["sources"]
    assert set(sources) <= set(READERS)


def test_provenance_path_is_relative_to_config_root(tmp_path: Path) -> None:
    settings = FakeSettings(tmp_path, {"district_lookup": district_file(tmp_path)})
    extract = load_source(settings, "district_lookup", use_cache=False)
    assert extract.name == "district_lookup"
    assert extract.provenance[0].path == "data_raw/lookups/LTLA24_UTLA24_lookup.csv"
    assert extract.provenance[0].to_dict()["rows"] == 1


def test_cache_is_used_and_never_stale(tmp_path: Path) -> None:
    path = district_file(tmp_path)
    settings = FakeSettings(tmp_path, {"district_lookup": path})
    first = load_source(settings, "district_lookup")
    assert list((tmp_path / ".ina-cache").glob("district_lookup-*.pickle"))
    assert load_source(settings, "district_lookup").frame.equals(first.frame)
    district_file(tmp_path, county="Norfolk County")  # same path, new content
    changed = load_source(settings, "district_lookup")
    assert changed.frame["county_name"].tolist() == ["Norfolk County"]
    assert changed.provenance[0].sha256 != first.provenance[0].sha256
    assert len(list((tmp_path / ".ina-cache").glob("district_lookup-*.pickle"))) == 1


def test_invalid_file_is_never_cached(tmp_path: Path) -> None:
    path = district_file(tmp_path)
    path.write_text("LTLA24CD,LTLA24NM,UTLA24CD,UTLA24NM\nE0700148,Norwich,E10000020,Norfolk\n")
    settings = FakeSettings(tmp_path, {"district_lookup": path})
    for _ in range(2):
        with pytest.raises(InputError, match="row 2"):
            load_source(settings, "district_lookup")


def test_several_files_are_concatenated_with_one_provenance_each(tmp_path: Path) -> None:
    header = (
        "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,"
        "Sex,Age,Category Type,Category,Time period,Value,Count,Denominator"
    )
    files = [
        write(
            tmp_path,
            f"f{i}.csv",
            f"{header}\n{i},Ind {i},,,E92000001,England,England,Persons,All ages,,,2020,"
            f"{i}.5,1,2\n",
        )
        for i in (1, 2)
    ]
    extract = load_source(
        FakeSettings(tmp_path, {"fingertips": files}), "fingertips", use_cache=False
    )
    assert extract.frame["indicator_id"].tolist() == [1, 2]
    assert [p.path for p in extract.provenance] == ["f1.csv", "f2.csv"]


def test_unknown_source_and_empty_glob(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no reader"):
        load_source(FakeSettings(tmp_path, {"weather": tmp_path / "x.csv"}), "weather")
    with pytest.raises(InputError, match="no file matches"):
        load_source(FakeSettings(tmp_path, {"fingertips": []}), "fingertips")


def test_load_all_sources_in_config_order(tmp_path: Path) -> None:
    settings = FakeSettings(tmp_path, {"district_lookup": district_file(tmp_path)})
    assert list(load_all_sources(settings, use_cache=False)) == ["district_lookup"]
