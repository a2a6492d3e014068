import pytest


@pytest.fixture(autouse=True)
def _texts_in_memory(sms_outbox):
    """Every sign-in test reads the codes it is sent from memory."""
