"""Chapter computations: one module per INA chapter, each returning tidy tables.

:mod:`ina.chapters.context` gathers an area's inputs once (sources restricted to the area
and its comparator); :mod:`ina.chapters.population` and :mod:`ina.chapters.deprivation`
compute the tables; the notebooks only wire these to :mod:`ina.charts` and
:mod:`ina.publishing`.
"""
