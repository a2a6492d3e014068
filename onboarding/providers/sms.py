"""Text message backends."""

from __future__ import annotations

import logging

from ..pii import mask_phone
from .base import SMSBackend

logger = logging.getLogger(__name__)


class ConsoleSMSBackend(SMSBackend):
    """Development and tests: the text goes to the log instead of a phone.

    The number is masked down to its last two digits, so a log never holds a learner's number.
    """

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(phone), text)
