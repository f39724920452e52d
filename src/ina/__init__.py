"""ina: the reproducible Integrated Needs Assessment pipeline.

The package is laid out so that each folder answers one question:

- ``ina.config``: what the user asked for (``ina.yml``), validated.
- ``ina.geography``: which small areas, districts and practices make up each place.
- ``ina.sources``: one reader per published data format, each validating its input.
- ``ina.stats``: the public health statistics (PHEindicatormethods parity, Fingertips
  benchmarking and trends).
- ``ina.chapters``: the computations behind each INA chapter.
- ``ina.charts``: figures, each with its data table and alt text.
- ``ina.build``: plan, execute, render, publish and verify the report.
- ``ina.demo``: the deterministic synthetic extracts shipped in ``data_raw/``.
- ``ina.cli``: the ``ina`` command line.
"""

__version__ = "0.1.0"
