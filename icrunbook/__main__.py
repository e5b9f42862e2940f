"""``python -m icrunbook`` runs the ``icrun`` command line."""

import sys

from icrunbook.cli import main

sys.exit(main())
