"""icrunbook: incident-command runbooks as code.

The library API lives in :mod:`icrunbook.api`; the ``icrun`` command line is a thin layer over it.
"""

__version__ = "0.1.0"
