"""Step 'plan': which notebooks to run for which areas.

A build runs every chapter for the whole ICB and for every place of the active place
scheme (``ina.yml`` ``place_scheme``): jobs = areas x chapters. The plan is pure data so
that it can be printed (``ina areas``), tested and handed to worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ina.errors import ConfigError

ICB_AREA_ID = "icb"

AreaKind = Literal["icb", "place"]


@dataclass(frozen=True)
class Area:
    """One geography a report is written for: the whole ICB or one place."""

    id: str
    name: str
    kind: AreaKind


@dataclass(frozen=True)
class Job:
    """One chapter notebook to execute for one area."""

    area: Area
    chapter: str
    notebook: Path

    @property
    def name(self) -> str:
        """``<chapter>/<area>``: how progress output and errors name the job."""
        return f"{self.chapter}/{self.area.id}"


@dataclass(frozen=True)
class BuildPlan:
    """Everything a build will run, in report order."""

    root: Path
    areas: tuple[Area, ...]
    chapters: tuple[str, ...]
    jobs: tuple[Job, ...]

    @property
    def places(self) -> tuple[Area, ...]:
        """The areas that get a place PDF (every area but the ICB)."""
        return tuple(area for area in self.areas if area.kind == "place")


def plan_areas(settings: Any) -> tuple[Area, ...]:
    """The ICB first, then the places of the active scheme in ``ina.yml`` order."""
    areas = [Area(ICB_AREA_ID, str(settings.icb.name), "icb")]
    for place in settings.places:
        if str(place.id) == ICB_AREA_ID:
            raise ConfigError(f"place id {ICB_AREA_ID!r} is reserved for the whole ICB")
        areas.append(Area(str(place.id), str(place.name), "place"))
    return tuple(areas)


def plan_build(settings: Any) -> BuildPlan:
    """Areas x chapters, each chapter's notebook checked to exist before anything runs."""
    root = Path(settings.root)
    chapters = tuple(str(chapter) for chapter in settings.chapters)
    if not chapters:
        raise ConfigError(f"{settings.config_path}: 'chapters' is empty; list at least one")
    notebooks = {chapter: root / "notebooks" / f"{chapter}.ipynb" for chapter in chapters}
    missing = [str(path) for path in notebooks.values() if not path.is_file()]
    if missing:
        raise ConfigError(
            f"{settings.config_path}: 'chapters' names notebooks that do not exist: "
            + ", ".join(missing)
        )
    areas = plan_areas(settings)
    jobs = tuple(
        Job(area=area, chapter=chapter, notebook=notebooks[chapter])
        for area in areas
        for chapter in chapters
    )
    return BuildPlan(root=root, areas=areas, chapters=chapters, jobs=jobs)
