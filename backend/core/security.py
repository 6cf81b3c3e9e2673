"""Password hashing (argon2) and signed access tokens (JWT, HS256)."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
ALGORITHM = "HS256"
# User ids are 32-bit integers on PostgreSQL; a longer subject is no user.
_MAX_SUBJECT_DIGITS = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def new_session_id() -> str:
    """A random 128-bit session id: the token carries it, the database only its hash."""
    return secrets.token_urlsafe(16)


def session_key(session_id: str) -> str:
    """What the user_sessions table stores for a session id (a stolen table lets no one in)."""
    return hashlib.sha256(session_id.encode()).hexdigest()


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    session_id: str
    stamp: str


def create_access_token(
    *, user_id: int, session_id: str, stamp: str, secret_key: str, expires_at: datetime
) -> str:
    """Sign a token for one session of one account, valid until ``expires_at``."""
    claims = {
        "sub": str(user_id),
        "sid": session_id,
        "stamp": stamp,
        "iat": datetime.now(UTC),
        "exp": expires_at,
    }
    return jwt.encode(claims, secret_key, algorithm=ALGORITHM)


# Tokens already verified, by (key, token): a client sends the same token with every request,
# and checking its signature cost more CPU than the request's whole session lookup. Only a
# token that passed every check is kept, with its expiry, which is checked again at each use.
# Bounded: emptied when full (a dict's single operations are atomic across threads).
_verified: dict[tuple[str, str], tuple[TokenClaims, float]] = {}
_MAX_VERIFIED = 4096


def decode_access_token(token: str, *, secret_key: str) -> TokenClaims | None:
    """The token's claims, or None when it is forged, expired, incomplete or malformed."""
    known = _verified.get((secret_key, token))
    if known is not None:
        claims, expires = known
        if time.time() < expires:
            return claims
        _verified.pop((secret_key, token), None)
        return None
    verified, expires = _verify(token, secret_key=secret_key)
    if verified is not None:
        if len(_verified) >= _MAX_VERIFIED:
            _verified.clear()
        _verified[(secret_key, token)] = (verified, expires)
    return verified


def _verify(token: str, *, secret_key: str) -> tuple[TokenClaims | None, float]:
    try:
        payload = jwt.decode(
            token,
            secret_key,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "sub", "sid", "stamp"]},
        )
    except jwt.PyJWTError:
        return None, 0.0
    subject, session_id, stamp = payload["sub"], payload["sid"], payload["stamp"]
    # A subject of plain ASCII digits only: "1e3", "١٢" (other scripts' digits), "-1" and
    # numbers past 32 bits are no user, and int() must not be the judge of that.
    if not (isinstance(subject, str) and 0 < len(subject) <= _MAX_SUBJECT_DIGITS and subject.isascii()):
        return None, 0.0
    if not subject.isdigit() or not isinstance(session_id, str) or not isinstance(stamp, str):
        return None, 0.0
    user_id = int(subject)
    if not 1 <= user_id <= 2_147_483_647:
        return None, 0.0
    return TokenClaims(user_id=user_id, session_id=session_id, stamp=stamp), float(payload["exp"])
