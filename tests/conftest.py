import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _languages(settings):
    settings.LANGUAGE_CODE = "fr"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Row ids come back after a rolled-back test; a cached page list must not outlive its test.
    cache.clear()
