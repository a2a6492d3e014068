"""A keyed permutation of ``range(size)``: entry ``i`` of a status list's counter becomes a slot
that looks random, and no two counter values share a slot.

A balanced Feistel network (four rounds of HMAC-SHA256 under the list's own random seed) permutes
the smallest range of an even number of bits that holds ``size``; cycle-walking maps the few values
that land past ``size`` back into it. Without the seed, a slot says nothing about when its
certificate was issued, as the W3C Bitstring Status List asks.
"""

from __future__ import annotations

import hashlib
import hmac

ROUNDS = 4


def _half_bits(size: int) -> int:
    bits = max(2, (size - 1).bit_length())
    return (bits + 1) // 2


def _round(seed: bytes, number: int, value: int, half: int) -> int:
    message = number.to_bytes(1, "big") + value.to_bytes(8, "big")
    digest = hmac.new(seed, message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") & ((1 << half) - 1)


def _feistel(seed: bytes, value: int, half: int) -> int:
    mask = (1 << half) - 1
    left, right = value >> half, value & mask
    for number in range(ROUNDS):
        left, right = right, left ^ _round(seed, number, right, half)
    return (left << half) | right


def slot(seed: bytes, size: int, counter: int) -> int:
    """The slot of counter value ``counter`` (0 <= counter < size) in a list of ``size``."""
    if not 0 <= counter < size:
        raise ValueError(f"counter {counter} is outside a list of {size}")
    half = _half_bits(size)
    value = _feistel(seed, counter, half)
    # Cycle-walking: the domain is at most four times the size, so this ends after a few steps
    # on average, and it stays a permutation of range(size).
    while value >= size:
        value = _feistel(seed, value, half)
    return value
