"""The payment sandbox, one process per test module, forgotten before each test; and the
in-memory provider, for tests of the site's side alone."""

import uuid
from collections.abc import Iterator

import pytest

from onboarding.providers.fake import InMemoryPaymentsBackend

from .sandbox_process import RunningSandbox, running_sandbox


@pytest.fixture(scope="module")
def sandbox_server() -> Iterator[RunningSandbox]:
    with running_sandbox(activation_delay=0.2) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(sandbox_server: RunningSandbox) -> RunningSandbox:
    """The module's sandbox with no account, no fault and its startup configuration."""
    sandbox_server.reset()
    return sandbox_server


@pytest.fixture
def provider(sandbox: RunningSandbox, settings) -> RunningSandbox:
    """The sandbox as this process's payments provider."""
    settings.ONBOARDING_PROVIDERS = {
        **settings.ONBOARDING_PROVIDERS,
        "payments": sandbox.provider_settings(timeout=1),
    }
    return sandbox


@pytest.fixture
def in_memory_provider(settings) -> InMemoryPaymentsBackend:
    """An in-memory provider of its own as this process's payments provider."""
    options = {"name": f"test-{uuid.uuid4().hex}", "webhook_secrets": ["whsec_test"]}
    settings.ONBOARDING_PROVIDERS = {
        **settings.ONBOARDING_PROVIDERS,
        "payments": {
            "BACKEND": "onboarding.providers.fake.InMemoryPaymentsBackend",
            "OPTIONS": options,
        },
    }
    return InMemoryPaymentsBackend(**options)
