"""EMV® QR Code Specification for Payment Systems, Merchant-Presented Mode (v1.1): the payload
a seller shows and a buyer's banking or wallet app scans.

Pure Python, no Django: :func:`build` writes a payload from a :class:`MerchantQR`, :func:`parse`
reads one back and checks every rule of the specification it can check without the payment
network's own rules (lengths, mandatory objects, character sets, RFU identifiers, unique ids,
``00`` first and ``63`` last, the CRC), raising :class:`PayloadError` with the rule broken.
"""

from .building import build, latin
from .parsing import parse
from .tlv import crc16
from .values import LanguageTemplate, MerchantAccount, MerchantQR, PayloadError

__all__ = [
    "LanguageTemplate",
    "MerchantAccount",
    "MerchantQR",
    "PayloadError",
    "build",
    "crc16",
    "latin",
    "parse",
]
