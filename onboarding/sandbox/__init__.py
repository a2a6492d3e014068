"""A stand-in for the payment provider, run as its own process: ``python -m onboarding.sandbox``.

It implements the contract in ``docs/payments-contract.openapi.yaml`` with the standard library
only (no Django), so the HTTP client backend cannot tell it from a real provider. See
``docs/payments-sandbox.md`` for the magic values and the fault controls.
"""
