from __future__ import annotations

import json
from typing import Any

from django.core.checks import Error, register


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
