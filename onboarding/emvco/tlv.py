"""The payload's grammar: ID (2 digits), length (2 digits, in characters), value; and its CRC."""

from __future__ import annotations

import re

from .values import PayloadError

TWO_DIGITS = re.compile(r"[0-9]{2}")
HEX4 = re.compile(r"[0-9A-Fa-f]{4}")


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection, no final
    XOR) of the UTF-8 bytes of ``data``, as 4 upper-case hexadecimal digits.

    The payload's CRC covers everything before it, its own ID and length ``6304`` included.
    """
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def is_ans(value: str) -> bool:
    """In the EMV common character set (Alphanumeric Special): printable ASCII, 0x20-0x7E."""
    return all(" " <= character <= "~" for character in value)


def data_object(id: str, value: str) -> str:
    """``id`` + length + ``value``; the length counts characters, not UTF-8 bytes (the
    specification's rule for String values, which may be in any script)."""
    if not TWO_DIGITS.fullmatch(id):
        raise PayloadError(f"ID {id!r} is not two digits")
    if not 1 <= len(value) <= 99:
        raise PayloadError(f"ID {id}: a value is 1 to 99 characters long, not {len(value)}")
    return f"{id}{len(value):02d}{value}"


def read(text: str, where: str = "payload") -> list[tuple[str, str]]:
    """The data objects of ``text`` in their order, as ``(id, value)`` pairs.

    IDs must be unique at each level; a length must be ``01``-``99`` and fit in what is left.
    """
    objects: list[tuple[str, str]] = []
    seen: set[str] = set()
    position = 0
    while position < len(text):
        header = text[position : position + 4]
        if len(header) < 4:
            raise PayloadError(
                f"{where}: {len(header)} characters left at {position}, too few "
                "for an ID and a length"
            )
        id, length = header[:2], header[2:]
        if not TWO_DIGITS.fullmatch(id):
            raise PayloadError(f"{where}: the ID at {position} is {id!r}, not two digits")
        if not TWO_DIGITS.fullmatch(length) or length == "00":
            raise PayloadError(f"{where}: ID {id} has length {length!r}, not 01 to 99")
        end = position + 4 + int(length)
        if end > len(text):
            raise PayloadError(
                f"{where}: ID {id} says {int(length)} characters, "
                f"only {len(text) - position - 4} are left"
            )
        if id in seen:
            raise PayloadError(f"{where}: ID {id} appears twice")
        seen.add(id)
        objects.append((id, text[position + 4 : end]))
        position = end
    return objects
