"""Secrets in a job's stored inputs, sealed: DBOS keeps inputs in the database in clear.

The key is derived from SECRET_KEY, which every replica shares, so whichever replica takes
the job can open it; the database alone (a backup, a copy of the SQLite file) cannot.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

# Separates this key from every other use of SECRET_KEY (token signing).
_PURPOSE = b"sms-jobs-sealed-v1"


class SealBroken(Exception):
    """A sealed value that this SECRET_KEY cannot open (the key changed, or it was altered)."""


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(_PURPOSE + b"\0" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(value: str, *, secret_key: str) -> str:
    """The value encrypted and authenticated, as text safe to store."""
    return _fernet(secret_key).encrypt(value.encode()).decode()


def unseal(token: str, *, secret_key: str) -> str:
    """The value ``seal`` stored; SealBroken if this key did not seal it."""
    try:
        return _fernet(secret_key).decrypt(token.encode()).decode()
    except InvalidToken:
        raise SealBroken("the sealed value cannot be opened with this SECRET_KEY") from None
