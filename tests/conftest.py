import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _languages(settings):
    settings.LANGUAGE_CODE = "fr"


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"
