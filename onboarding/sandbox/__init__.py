"""A stand-in for the payment provider, run as its own process: ``python -m onboarding.sandbox``.

It implements the contract in ``docs/payments-contract.openapi.yaml`` with the standard library
only (no Django), so the HTTP client backend cannot tell it from a real provider. See
``docs/payments-sandbox.md`` for the magic values and the fault controls.

One job per module: :mod:`.domain` (account rules), :mod:`.provider` (the state behind one lock),
:mod:`.faults`, :mod:`.scheduler`, :mod:`.webhooks` (events, signatures, delivery), :mod:`.http`
(the route table and the server) and :mod:`.__main__` (the command line). Taking payments:
:mod:`.sales` (the rules and the fee), :mod:`.payment_sessions` (sessions, payments, refunds and
the ledger), :mod:`.hosted_page` with :mod:`.hosted_texts` (where the buyer pays) and
:mod:`.payment_routes`.
"""

from .config import Config
from .faults import Faults
from .http import ROUTES, make_server
from .provider import Sandbox
from .stats import empty_stats
from .webhooks import EVENT_ID_HEADER, SIGNATURE_HEADER, sign

__all__ = [
    "EVENT_ID_HEADER",
    "ROUTES",
    "SIGNATURE_HEADER",
    "Config",
    "Faults",
    "Sandbox",
    "empty_stats",
    "make_server",
    "sign",
]
