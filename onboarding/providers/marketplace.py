"""Marketplace backends. The local one lives in the ``onboarding.marketplace`` app; this name is
kept so that settings written as ``onboarding.providers.marketplace.LocalMarketplaceBackend``
still work."""

from onboarding.marketplace.backend import LocalMarketplaceBackend

__all__ = ["LocalMarketplaceBackend"]
