"""Runbook text made safe to show: characters that would act rather than read, as escapes.

Runbook values, file names and messages end up on terminals, in CI logs and in printed
checklists. Shown as written, some characters would break a one-line diagnostic (line breaks,
including U+2028 and U+2029, which editors and browsers break at), drive the terminal (ESC and
the other C0 and C1 controls, DEL), or make a line read otherwise than it is (the bidirectional
embedding, override and isolate controls of "Trojan Source", CVE-2021-42574). :func:`visible`
writes each of them as ``\\x1b`` or ``\\u202e``. Invisible characters that change no order
(zero-width joiners, which emoji and many scripts need, and the bidi *marks*, which right-to-left
text uses) are left as they are.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, LINE and PARAGRAPH SEPARATOR, bidi embeddings and overrides
# (U+202A-U+202E), bidi isolates (U+2066-U+2069).
_SHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible(text: str, keep: str = "\t") -> str:
    """``text`` with those characters written as ``\\xNN`` (up to U+00FF) or ``\\uNNNN``, except
    the ones in ``keep``: tabs by default (layout that neither breaks a line nor acts), ``""``
    to escape them too, ``"\\t\\n"`` to keep the lines of a multi-line block.
    Backslashes are not escaped: the output is for reading, not for parsing back."""

    def escape(found: re.Match[str]) -> str:
        char = found.group()
        if char in keep:
            return char
        code = ord(char)
        return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"

    return _SHOWN.sub(escape, text)
