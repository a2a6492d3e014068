"""Text typed by people, made safe to show to others.

Bidirectional override and embedding characters (U+202A–U+202E, U+2066–U+2069) are invisible
and reorder what follows them: in a name or a shop title they can make "gpj.exe" read as
"exe.jpg", or a price run backwards. Nobody needs them to write Arabic or French, which the
bidirectional algorithm lays out on its own, so they are removed from what learners type.
"""

from __future__ import annotations

BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
)


def without_bidi_controls(text: str) -> str:
    """``text`` without bidirectional embedding, override and isolate characters."""
    return "".join(char for char in text if char not in BIDI_CONTROLS)
