from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from ..conf import app_settings
from .base import Backend


class ProviderNotConfigured(ImproperlyConfigured):
    pass


def get_backend(kind: str) -> Any:
    """The configured backend of ``kind`` ("payments" or "marketplace").

    Read from ``settings.ONBOARDING_PROVIDERS[kind]`` on every call, so tests can override it.
    """
    providers = app_settings.PROVIDERS
    try:
        config = providers[kind]
        backend_class = import_string(config["BACKEND"])
    except (KeyError, ImportError) as error:
        raise ProviderNotConfigured(
            f'ONBOARDING_PROVIDERS["{kind}"] needs a "BACKEND" that can be imported: {error}'
        ) from error
    if not (isinstance(backend_class, type) and issubclass(backend_class, Backend)):
        raise ProviderNotConfigured(f"{config['BACKEND']} is not an onboarding provider backend")
    return backend_class(**config.get("OPTIONS", {}))
