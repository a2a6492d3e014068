"""Signing in by phone number and one-time code: the business rules, without HTTP.

1. :func:`send_code` makes a 6-digit code for a number, keeps only its keyed hash, and sends it
   by SMS. It does exactly the same work whether or not the number belongs to an account, so
   neither its answer nor its timing tells anyone which numbers are learners'.
2. :func:`check_code` compares a typed code with the stored hash. A code works once, until it
   expires, and survives a limited number of wrong guesses.
3. :func:`learner_for_phone` returns the account of the number, creating a learner account on
   the first successful sign-in.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from maalem.core.phones import hmac_key, phone_digest
from maalem.core.sms import send_sms

from .conf import app_settings
from .models import LearnerPhone, SignInCode
from .retention import purge_sign_in_codes

CODE_DIGITS = 6


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def hash_code(challenge_id: uuid.UUID, code: str) -> str:
    # Keyed and bound to its row: a leaked table gives no code, and a hash is no use on
    # another row.
    return hmac.new(hmac_key(), f"{challenge_id}:{code}".encode(), hashlib.sha256).hexdigest()


def sms_text(code: str) -> str:
    minutes = max(1, app_settings.CODE_TTL // 60)
    return ngettext(
        "Your Maalem sign-in code is %(code)s. It expires in %(minutes)d minute. Never share it.",
        "Your Maalem sign-in code is %(code)s. It expires in %(minutes)d minutes. Never share it.",
        minutes,
    ) % {"code": code, "minutes": minutes}


def send_code(phone: str, language: str | None = None) -> SignInCode:
    """Make, store and send a new code for ``phone`` (E.164); earlier codes stop working.

    The text is written in ``language``, by default the active one: the language of the page
    she asked from, which she is reading now.

    Call it outside a transaction: the SMS provider is slow I/O. Raises
    :class:`~maalem.core.sms.SMSNotSent` if the provider refuses the message.
    """
    now = timezone.now()
    digest = phone_digest(phone)
    purge_sign_in_codes(now=now)
    # Only the newest code works, so asking again never adds guesses.
    SignInCode.objects.filter(phone_digest=digest, used_at__isnull=True).update(used_at=now)
    code = new_code()
    challenge_id = uuid.uuid4()
    challenge = SignInCode.objects.create(
        id=challenge_id,
        phone=phone,
        phone_digest=digest,
        code_hash=hash_code(challenge_id, code),
        expires_at=now + timedelta(seconds=app_settings.CODE_TTL),
    )
    # Never the language stored on the number's account: looking it up would take longer for a
    # learner's number than for another, and tell which numbers are learners'.
    with translation.override(language or translation.get_language()):
        text = sms_text(code)
    send_sms(phone, text)
    return challenge


class CodeProblem(enum.Enum):
    WRONG = "wrong"
    EXPIRED = "expired"
    SPENT = "spent"
    TOO_MANY_GUESSES = "too_many_guesses"


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of :func:`check_code`: the number on success, else what went wrong."""

    phone: str | None = None
    problem: CodeProblem | None = None
    attempts_left: int = 0

    @property
    def ok(self) -> bool:
        return self.phone is not None


def check_code(challenge_id: uuid.UUID | str, typed: str) -> CodeCheck:
    """Check ``typed`` against the code sent for ``challenge_id``, and use it up if right."""
    now = timezone.now()
    challenge = SignInCode.objects.filter(pk=challenge_id).first()
    if challenge is None or challenge.used_at is not None:
        return CodeCheck(problem=CodeProblem.SPENT)
    limit = app_settings.CODE_MAX_ATTEMPTS
    if challenge.attempts >= limit:
        return CodeCheck(problem=CodeProblem.TOO_MANY_GUESSES)
    if challenge.expires_at <= now:
        return CodeCheck(problem=CodeProblem.EXPIRED)
    if not hmac.compare_digest(challenge.code_hash, hash_code(challenge.pk, typed)):
        # Counted in the database, not in memory: two guesses at once both count.
        SignInCode.objects.filter(pk=challenge.pk).update(attempts=F("attempts") + 1)
        attempts = SignInCode.objects.values_list("attempts", flat=True).get(pk=challenge.pk)
        if attempts >= limit:
            return CodeCheck(problem=CodeProblem.TOO_MANY_GUESSES)
        return CodeCheck(problem=CodeProblem.WRONG, attempts_left=limit - attempts)
    # Two phones posting the right code at once: the conditional UPDATE lets one win.
    claimed = SignInCode.objects.filter(
        pk=challenge.pk, used_at__isnull=True, attempts__lt=limit, expires_at__gt=now
    ).update(used_at=now)
    if not claimed:
        return CodeCheck(problem=CodeProblem.SPENT)
    return CodeCheck(phone=challenge.phone)


def new_username() -> str:
    User = get_user_model()
    field = User.USERNAME_FIELD
    while True:
        username = f"learner-{secrets.token_hex(5)}"
        if not User._default_manager.filter(**{field: username}).exists():
            return username


def learner_for_phone(phone: str) -> Any:
    """The account whose number is ``phone``; a new learner account if there is none.

    A new account has a generated username and no usable password: the phone is how it signs in.
    """
    digest = phone_digest(phone)
    existing = LearnerPhone.objects.select_related("user").filter(phone_digest=digest).first()
    if existing is not None:
        return existing.user
    User = get_user_model()
    try:
        with transaction.atomic():
            user = User(**{User.USERNAME_FIELD: new_username()})
            user.set_unusable_password()
            user.save()
            LearnerPhone.objects.create(user=user, phone=phone)
    except IntegrityError:
        # The same number signed in from two phones at once; the unique digest let one win.
        return LearnerPhone.objects.select_related("user").get(phone_digest=digest).user
    return user


def problem_message(check: CodeCheck) -> str:
    """What the learner reads when a code is refused."""
    if check.problem is CodeProblem.WRONG:
        return ngettext(
            "This code is not right. You can try %(count)d more time.",
            "This code is not right. You can try %(count)d more times.",
            check.attempts_left,
        ) % {"count": check.attempts_left}
    if check.problem is CodeProblem.EXPIRED:
        return gettext("This code has expired. Ask for a new code.")
    if check.problem is CodeProblem.TOO_MANY_GUESSES:
        return gettext("Too many wrong codes. Ask for a new code.")
    return gettext("This code was already used or replaced. Ask for a new code.")
