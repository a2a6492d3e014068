"""Text typed by people, made safe to show to others.

Bidirectional override, embedding and isolate characters (U+202A–U+202E, U+2066–U+2069) and the
direction marks (U+200E, U+200F, U+061C) are invisible and reorder what follows them: in a name
or a shop title they can make "gpj.exe" read as "exe.jpg", or a price run backwards. Nobody needs
them to write Arabic or French, which the bidirectional algorithm lays out on its own, so they
are removed from what learners type: names, shop names and the titles made from them.
"""

from __future__ import annotations

BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
    "\u200e\u200f\u061c"  # LRM, RLM, ALM
)


def without_bidi_controls(text: str) -> str:
    """``text`` without bidirectional embedding, override, isolate and mark characters."""
    return "".join(char for char in text if char not in BIDI_CONTROLS)
