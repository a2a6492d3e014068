"""Verification codes: 80 random bits as 16 Crockford base32 characters, read out in groups of 4.

Crockford's alphabet has no I, L, O or U, so a code read over the phone cannot be misheard as
another; what a person types is normalised back (O to 0, I and L to 1, dashes and spaces dropped).
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16  # 16 characters x 5 bits = 80 bits
TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """The stored form of a code as a person typed it, or "" if it cannot be one."""
    code = "".join(typed.split()).replace("-", "").upper().translate(TYPOS)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return ""
    return code


def grouped(code: str) -> str:
    """ABCD-EFGH-JKMN-PQRS: how the code is printed and put in URLs."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
