"""The one pipeline every command runs: file → document → plan → result → reporter.

- :mod:`~icrunbook.pipeline.plan`: the checks a file gets under its config and overrides (the
  structural stages always, then the active rules);
- :mod:`~icrunbook.pipeline.check`: one document checked against a plan, into a result;
- :mod:`~icrunbook.pipeline.runner`: discovery, config lookup, ``exclude``, the cache, workers,
  streaming and the repository-wide rules, for ``validate``, ``lint``, ``render`` and ``rules``.
"""
