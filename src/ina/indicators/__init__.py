"""Indicators as data: the catalogue (``definitions/<chapter>.yml``) and one engine.

- :mod:`ina.indicators.catalogue`: the validated definitions (what each indicator counts,
  its statistic, polarity, benchmark and targets);
- :mod:`ina.indicators.measures`: numerators and denominators as a source, a filter and
  counted or summed;
- :mod:`ina.indicators.areas`: every area an indicator is reported for (England, the ICB,
  sub-ICBs, places, PCNs, practices) and which small areas or practices make each up;
- :mod:`ina.indicators.engine`: every indicator for every area at once, and the annual
  series behind the recent trends;
- :mod:`ina.indicators.recipes`: the few numerators that are not a filtered count
  (projected change).
"""

from ina.indicators.catalogue import (
    CHAPTERS,
    DEFINITIONS_DIR,
    METHODS,
    PHIP_DOMAINS,
    SECTIONS,
    Benchmark,
    Catalogue,
    Indicator,
    Target,
    load_catalogue,
    own_rule_hidden,
)

__all__ = [
    "CHAPTERS",
    "DEFINITIONS_DIR",
    "METHODS",
    "PHIP_DOMAINS",
    "SECTIONS",
    "Benchmark",
    "Catalogue",
    "Indicator",
    "Target",
    "load_catalogue",
    "own_rule_hidden",
]
