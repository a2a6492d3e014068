from __future__ import annotations

import json
from typing import Any

from django.core.checks import CheckMessage, Error, Warning, register


@register()
def signing_keys_configured(app_configs: Any, **kwargs: Any) -> list[Error]:
    from .conf import app_settings
    from .credentials import load_key

    keys = app_settings.SIGNING_KEYS
    if not keys:
        return [
            Error(
                "No key to sign certificate credentials with.",
                hint="Set LMS_CERTIFICATES_SIGNING_KEYS to a list of private Ed25519 JWKs "
                "(JSON strings); lms.certificates.keys.new_signing_key() makes one.",
                id="certificates.E001",
            )
        ]
    errors = []
    for position, text in enumerate(keys):
        try:
            load_key(text)
        except (ValueError, TypeError, KeyError, json.JSONDecodeError) as error:
            errors.append(
                Error(
                    f"LMS_CERTIFICATES_SIGNING_KEYS[{position}] is not a private Ed25519 JWK: "
                    f"{error}",
                    hint='Make one with: python -c "from lms.certificates.keys import '
                    'new_signing_key; print(new_signing_key())"',
                    id="certificates.E002",
                )
            )
    return errors


@register()
def status_list_size(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    from .conf import app_settings

    if app_settings.STATUS_LIST_SIZE >= 131_072:
        return []
    return [
        Warning(
            f"LMS_CERTIFICATES_STATUS_LIST_SIZE is {app_settings.STATUS_LIST_SIZE}, below the "
            "W3C minimum of 131,072 entries.",
            hint="A small list lets a verifier narrow down whose certificate it checks; leave "
            "the setting unset outside tests.",
            id="certificates.W001",
        )
    ]
