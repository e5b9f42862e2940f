"""How the text rules judge real phrasing: confusion tables on the labelled set in
``tests/data/phrasing/`` (mitigation actions, status-update sentences, each with its source).
A benchmark, not a test: it prints precision, recall and the misjudged texts, and never fails
(``tests/test_phrasing_set.py`` holds the thresholds).

Run it from the checkout: ``python benchmarks/phrasing.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
os.environ.setdefault("ICRUN_TODAY", "2026-11-27")

from phrasing_set import POSITIVES, evaluate


def main() -> None:
    for rule, confusion in evaluate().items():
        print(confusion.table(POSITIVES[rule]))
        for text in confusion.misjudged:
            print(f"  misjudged: {text}")
        print()


if __name__ == "__main__":
    main()
