"""Signing keys for the credentials. Importable from settings: no Django here."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from joserfc.jwk import OKPKey


def new_signing_key() -> str:
    """A fresh private Ed25519 JWK as a JSON string, with its RFC 7638 thumbprint as ``kid``."""
    key = OKPKey.generate_key("Ed25519", private=True)
    data = key.as_dict(private=True)
    data["kid"] = key.thumbprint()
    return json.dumps(data)


def signing_key_from_file(path: Path) -> str:
    """The key kept in ``path``, created on first use (mode 0600) so a development machine
    needs no configuration. Two processes starting together end up with the same key: the
    file appears atomically, and the loser of the race reads the winner's."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".signing-key-")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(new_signing_key())
            os.chmod(temporary, 0o600)
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(temporary)
    return path.read_text()
