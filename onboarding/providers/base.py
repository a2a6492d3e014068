"""The interfaces of the external services onboarding talks to, and the values they exchange.

Each kind of provider is a swappable backend, configured in settings as
``{"BACKEND": "dotted.path.Class", "OPTIONS": {...}}`` and resolved on every call (see
:func:`onboarding.providers.get_backend`), so ``override_settings`` works. A backend raises
:class:`ProviderError` for a failure worth retrying and :class:`ProviderRejected` for an answer
that no retry will change.

Everything a backend receives and returns is a value declared here: an :class:`Applicant` goes in,
a :class:`PaymentAccount` with its :class:`Requirement` list comes out, and the vocabularies of
account statuses and requirement codes are this module's. A second payment provider is one module
with one :class:`PaymentsBackend` subclass; ``tests/onboarding/test_provider_contract.py`` is the
suite it must pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class ProviderError(Exception):
    """A failure worth retrying: timeout, connection error, 5xx, rate limit."""


class ProviderRejected(Exception):
    """The provider refused the request for good (4xx other than 408/409/429), or an unknown
    account reference."""


class WebhookRejected(Exception):
    """A webhook that must not be processed: bad signature, stale timestamp, malformed body."""


class AccountStatus(models.TextChoices):
    """Where a merchant account stands, in every provider's words mapped to these four."""

    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    # Open, but the provider needs more (see the requirements) before it takes payments.
    RESTRICTED = "restricted", _("Restricted")
    REJECTED = "rejected", _("Rejected")
    # Closed at our request (the seller withdrew her consent): final, takes no payments.
    CLOSED = "closed", _("Closed")


class PayoutMethod(models.TextChoices):
    """How the seller is paid."""

    WALLET = "wallet", _("Mobile wallet")
    BANK = "bank", _("Bank account (RIB)")


# What a payment provider may ask for, in the learner's words. A backend maps its provider's own
# codes to these; any other code is shown with OTHER_REQUIREMENT, as a learner must never see a code.
REQUIREMENT_LABELS: dict[str, _StrPromise] = {
    "identity_document": _("A clear photo of both sides of your national ID card."),
    "proof_of_address": _(
        "A paper that shows where you live, such as a water or electricity bill."
    ),
    "bank_account": _("Your bank RIB, checked digit by digit."),
    "phone_verification": _("A check of your mobile number."),
    "selfie": _("A photo of your face."),
    "legal_name": _("Your full name, exactly as it is written on your national ID card."),
}
OTHER_REQUIREMENT = _("Another document: the support team will tell you which one.")


def requirement_label(code: str) -> str:
    """What the learner must provide for the requirement ``code``, in the active language."""
    return str(REQUIREMENT_LABELS.get(code, OTHER_REQUIREMENT))


@dataclass(frozen=True)
class Requirement:
    """One item the provider still needs before the account is fully active."""

    code: str

    @property
    def label(self) -> str:
        return requirement_label(self.code)


@dataclass(frozen=True)
class MerchantQRAccount:
    """How a merchant-presented QR code (EMV® QRCPS) names the account: the provider's globally
    unique identifier (a reverse domain name or an AID, at most 32 characters) and the merchant
    id it reads behind it. Public by nature: it is printed on the seller's stall."""

    gui: str
    merchant_id: str


@dataclass(frozen=True)
class PaymentAccount:
    """The provider's view of a merchant account, as ``open_account``/``get_account`` return it.

    ``status`` is an :class:`AccountStatus` value. ``updated`` is when the provider last changed
    the account (timezone-aware): the workflow ignores a snapshot older than one it has applied,
    so a backend must always fill it in. ``raw`` is the provider's answer as it came, kept on the
    step for operators (personal data is removed before it is stored). ``merchant_qr`` is
    given while the account is active and can be paid by QR code, ``None`` otherwise.
    """

    ref: str
    status: str
    requirements: list[Requirement]
    updated: datetime
    raw: dict[str, Any] = field(default_factory=dict)
    merchant_qr: MerchantQRAccount | None = None

    def __post_init__(self) -> None:
        if self.updated.tzinfo is None:
            raise ValueError("PaymentAccount.updated must be timezone-aware")

    @property
    def requirement_codes(self) -> list[str]:
        return [requirement.code for requirement in self.requirements]


class DocumentKind(models.TextChoices):
    """What a document sent to the provider shows."""

    IDENTITY_CARD_FRONT = "identity_card_front", _("The front of your national ID card")
    IDENTITY_CARD_BACK = "identity_card_back", _("The back of your national ID card")
    PROOF_OF_ADDRESS = "proof_of_address", _("A bill with your address")
    SELFIE = "selfie", _("A photo of your face")
    OTHER = "other", _("A photo of the document asked for")


@dataclass(frozen=True)
class DocumentUpload:
    """A file for the provider: what it shows, the requirement it answers, and its bytes."""

    kind: str  # a DocumentKind value
    content: bytes = field(repr=False)
    content_type: str  # image/jpeg, image/png, image/webp or application/pdf
    requirement: str = ""  # the requirement code it answers (needed for kind "other")


@dataclass(frozen=True)
class ProviderDocument:
    """A document as the provider acknowledged it."""

    ref: str
    account_ref: str
    kind: str
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AccountChanges:
    """Corrections to an open account's details, asked for by the provider. Empty means
    unchanged. Personal: kept out of ``repr``."""

    name: str = field(default="", repr=False)
    phone: str = field(default="", repr=False)
    rib: str = field(default="", repr=False)  # a new bank account: payouts go to the bank

    def __bool__(self) -> bool:
        return bool(self.name or self.phone or self.rib)

    def personal_values(self) -> list[str]:
        return [value.strip() for value in (self.name, self.phone, self.rib) if len(value) >= 3]


@dataclass(frozen=True)
class Applicant:
    """What a payment provider needs to open a seller's merchant account, decrypted.

    Built by :meth:`onboarding.models.ApplicantProfile.as_provider_applicant`; each backend turns
    it into its provider's request. It holds personal data: the fields that are personal are left
    out of ``repr``, and :meth:`personal_values` lists them so a backend can scrub its messages.
    """

    reference: str  # ours (the case id), so the provider's back office can tie them together
    name: str = field(repr=False)
    national_id: str = field(repr=False)
    phone: str = field(repr=False)
    shop_name: str
    payout_method: str  # a PayoutMethod value
    payout_phone: str = field(default="", repr=False)  # the wallet's number (wallet payouts)
    rib: str = field(default="", repr=False)  # the bank account (bank payouts)
    artisan_register_number: str = ""
    region: str = ""
    craft: str = ""  # the craft's code in the crafts taxonomy

    def personal_values(self) -> list[str]:
        """The personal values worth scrubbing from text (long enough to be recognised)."""
        values = (self.name, self.national_id, self.phone, self.payout_phone, self.rib)
        return [value.strip() for value in values if len(value.strip()) >= 3]


@dataclass(frozen=True)
class WebhookEvent:
    """A verified notification from the provider; ``account_ref`` is empty for other events."""

    id: str
    type: str
    account_ref: str
    created: int
    raw: dict[str, Any] = field(default_factory=dict)


class Backend:
    def __init__(self, **options: Any) -> None:
        self.options = options


class PaymentsBackend(Backend):
    """A payment provider. Subclass it in one module and name the class in
    ``ONBOARDING_PROVIDERS["payments"]["BACKEND"]``."""

    def open_account(self, applicant: Applicant, idempotency_key: str) -> PaymentAccount:
        """Open (or, for a key already used, return) the merchant account of ``applicant``.

        The same ``idempotency_key`` is sent on every retry, so a retry never opens a second
        account: a second call with a key already used returns the account the first one opened.
        """
        raise NotImplementedError

    def get_account(self, ref: str) -> PaymentAccount:
        """The account as the provider serves it now; :class:`ProviderRejected` if unknown."""
        raise NotImplementedError

    def upload_document(
        self, ref: str, document: DocumentUpload, idempotency_key: str
    ) -> ProviderDocument:
        """Send a document (an ID card side, a bill...) for account ``ref``.

        Like Stripe's file upload tied to an account, or Adyen's document API: the provider
        checks it against the account's requirements, and when none is left it reviews the
        account and says so in an ``account.updated`` webhook. The same ``idempotency_key`` on
        a retry returns the document the first call stored, never a second copy.
        """
        raise NotImplementedError

    def update_account(
        self, ref: str, changes: AccountChanges, idempotency_key: str
    ) -> PaymentAccount:
        """Correct the details of account ``ref`` (name, phone, bank RIB); return the account.

        Idempotent by ``idempotency_key`` as :meth:`open_account` is. The provider may move the
        account (its requirements met) and says so in an ``account.updated`` webhook too.
        """
        raise NotImplementedError

    def close_account(self, ref: str, idempotency_key: str) -> PaymentAccount:
        """Close account ``ref`` for good (the seller withdrew her consent); return it, closed.

        Idempotent by ``idempotency_key``: a retry returns the closed account, and closing an
        account already closed changes nothing. The provider says so in an ``account.updated``
        webhook too.
        """
        raise NotImplementedError

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        """Verify and parse a webhook; raise :class:`WebhookRejected` when it cannot be trusted.

        ``headers`` is a mapping of header names to values: ``request.headers`` or the plain
        dict a test builds.
        """
        raise NotImplementedError


class MarketplaceBackend(Backend):
    """Where a seller's profile is published. Name the class in
    ``ONBOARDING_PROVIDERS["marketplace"]["BACKEND"]``."""

    def create_or_update_seller(self, case: Any) -> str:
        """Create or update the seller profile of an onboarding case; return its reference.

        Idempotent: a second call for the same case updates the same profile.
        """
        raise NotImplementedError

    def seller_url(self, case: Any, language: str) -> str | None:
        """The address of the case's live profile for a reader of ``language``, if there is one.

        A marketplace without pages a learner can open keeps this default: no address.
        """
        return None
