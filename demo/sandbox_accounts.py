"""The demo's live sellers' accounts, made known to the payments sandbox that ``make run`` starts.

:mod:`demo.onboarding` builds Latifa and Omar with the in-memory provider, which gives their
accounts their references. The sandbox is another provider with its own state, so this writes
those accounts, active and under the same references, into its state file
(``PAYMENTS_SANDBOX_STATE_FILE``, the path the Procfile passes to ``--state-file``): their cases,
QR codes and orders stay as the demo made them, and a buyer can pay for their products.

The sandbox reads the file when it starts, and a running one rewrites it from memory: ``make
run`` loads the demo first. After ``load_demo_data`` against a sandbox already running, restart it.
"""

from __future__ import annotations

from django.conf import settings

from onboarding.models import OnboardingCase
from onboarding.providers.base import AccountStatus
from onboarding.sandbox.seeding import SeededAccount, seed_active_accounts

from .onboarding import SELLERS


def seed_payments_sandbox() -> int:
    """Seed every demo seller whose account is active; returns how many accounts were written."""
    shop_names = {demo_seller.person.username: demo_seller.shop_name for demo_seller in SELLERS}
    cases = OnboardingCase.objects.filter(
        learner__username__in=list(shop_names),
        payment_account_status=AccountStatus.ACTIVE,
    ).exclude(payment_account_ref="")
    accounts = [
        SeededAccount(
            ref=case.payment_account_ref,
            business_name=shop_names[case.learner.get_username()],
            metadata={"case_id": str(case.pk)},
        )
        for case in cases.select_related("learner").order_by("pk")
    ]
    return seed_active_accounts(settings.PAYMENTS_SANDBOX_STATE_FILE, accounts)
