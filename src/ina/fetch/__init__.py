"""Optional downloads of published extracts (``ina fetch``); never used by the build.

The build reads only the files under ``data_raw/`` (so a build is reproducible offline
and from the same bytes); this package is the one place that talks to the network, and
only when a user runs ``ina fetch``. Nothing under ``ina.build``, ``ina.sources`` or
``ina.indicators`` imports it (``tests/fetch/test_no_network_in_build.py``).
"""
