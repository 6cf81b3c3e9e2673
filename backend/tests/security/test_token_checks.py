"""Access tokens: a token verified once is trusted again only under the same key and until it expires."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from backend.core import security

KEY = "k" * 64
OTHER_KEY = "o" * 64


def _token(*, key: str = KEY, seconds: float = 60) -> str:
    return security.create_access_token(
        user_id=7,
        session_id="sid-1",
        stamp="stamp-1",
        secret_key=key,
        expires_at=datetime.now(UTC) + timedelta(seconds=seconds),
    )


def test_a_verified_token_is_refused_once_it_expires() -> None:
    token = _token(seconds=1)
    claims = security.decode_access_token(token, secret_key=KEY)
    assert claims == security.TokenClaims(user_id=7, session_id="sid-1", stamp="stamp-1")
    assert security.decode_access_token(token, secret_key=KEY) == claims
    time.sleep(2)  # past the expiry, which the token carries in whole seconds
    assert security.decode_access_token(token, secret_key=KEY) is None
    assert security.decode_access_token(token, secret_key=KEY) is None


def test_a_token_verified_under_one_key_is_refused_under_another() -> None:
    token = _token()
    assert security.decode_access_token(token, secret_key=KEY) is not None
    assert security.decode_access_token(token, secret_key=OTHER_KEY) is None


def test_a_forged_token_is_refused_every_time() -> None:
    token = _token()
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    for _ in range(3):
        assert security.decode_access_token(forged, secret_key=KEY) is None
    assert security.decode_access_token(token, secret_key=KEY) is not None


def test_many_tokens_keep_the_memory_bounded() -> None:
    for number in range(security._MAX_VERIFIED + 10):
        token = security.create_access_token(
            user_id=1 + number,
            session_id="sid",
            stamp="s",
            secret_key=KEY,
            expires_at=datetime.now(UTC) + timedelta(minutes=5),
        )
        assert security.decode_access_token(token, secret_key=KEY) is not None
    assert len(security._verified) <= security._MAX_VERIFIED
