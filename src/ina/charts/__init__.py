"""Charts for the INA: matplotlib only, colour-blind-safe, directly labelled, deterministic.

One module per chart kind (:mod:`~ina.charts.pyramid`, :mod:`~ina.charts.bars`,
:mod:`~ina.charts.lines`, :mod:`~ina.charts.deciles`). Every chart function returns
``(Figure, data)`` where ``data`` is the table of exactly what was drawn (published next
to the figure), and each has a ``describe_*`` function that writes the alt text: the
chart's structure and its main message, computed from the same data.
"""
