"""Build, publish and verify the INA report.

``build()`` runs the six steps of ``ina build`` (:data:`STEPS`):

1. **validate**: ``ina.config.load_settings``, ``ina.sources.load_all_sources`` and the
   cross-file code checks of ``ina.sources.consistency``;
2. **plan**: areas (the ICB + every place of the active scheme) x chapters;
3. **execute**: each chapter notebook per area with Papermill, in parallel processes;
4. **qa**: ``ina.quality`` checks every staged table (intervals, ranges, parts and
   totals) and compares it with the previous release; errors stop the build;
5. **render**: one report per area as Quarto markdown, rendered by Quarto when it is on
   PATH, else pandoc + Typst (full report as HTML and PDF, one PDF per place);
6. **publish**: ``manifest.json``, then an atomic swap into ``output_dir`` (only ever
   replacing a folder a build made: ``ina.build.safety``).

The whole build holds ``build/.lock``; its worker processes die with it
(``ina.build.workers``).

``verify()`` checks a published folder against its manifest, re-executes its notebooks
with nbval (comparing text, figures and CSVs) and re-renders its reports. See
docs/architecture.md, "The notebook contract".
"""

from ina.build.pipeline import STEPS, BuildResult, build
from ina.build.plan import Area, BuildPlan, Job, plan_areas, plan_build
from ina.build.progress import NullProgress, RichProgress
from ina.build.verify import ChapterCheck, VerifyReport, verify

__all__ = [
    "STEPS",
    "Area",
    "BuildPlan",
    "BuildResult",
    "ChapterCheck",
    "Job",
    "NullProgress",
    "RichProgress",
    "VerifyReport",
    "build",
    "plan_areas",
    "plan_build",
    "verify",
]
