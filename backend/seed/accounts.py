"""The demo school's accounts: who can log in, and the one password they share.

The password follows from the seed and its argon2 hash uses a salt that does too, so the
same seed still gives the same rows; one hash for every account, because argon2 is slow on
purpose (~0.5 s) and a school has hundreds of teachers. That is fine for a demo and wrong for
a school: seed_demo only fills an empty database, and says so when it prints the password.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.low_level import hash_secret
from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from backend.models import User


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    full_name: str


ADMIN = DemoLogin("admin", "demo-admin@school.gr", "Ευαγγελία Μαυρίδου")
VIEWER = DemoLogin("viewer", "demo-viewer@school.gr", "Γραμματεία")
# Deactivated, with an empty name, as an account nobody finished setting up would be.
RETIRED_VIEWER = DemoLogin("viewer", "demo-viewer2@school.gr", "")
STAFF = [ADMIN, VIEWER, RETIRED_VIEWER]


def demo_password(seed: int) -> str:
    return "demo-" + hashlib.sha256(f"sms-demo-password:{seed}".encode()).hexdigest()[:10]


def demo_password_hash(seed: int) -> str:
    """The argon2id hash the app verifies, with the app's own parameters and a seed-derived salt."""
    params = PasswordHasher()  # the defaults backend.core.security hashes with
    salt = hashlib.sha256(f"sms-demo-salt:{seed}".encode()).digest()[: params.salt_len]
    return hash_secret(
        demo_password(seed).encode(),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=params.hash_len,
        type=params.type,
    ).decode()


def demo_login_hint(engine: Engine, default_admin_email: str) -> str | None:
    """What to log in with when the database holds the demo school and not the settings' first admin.

    An active demo admin means the app does not create DEFAULT_ADMIN_EMAIL's account, so pointing
    a person at it would send them to an account that does not exist.
    """
    try:
        with engine.connect() as connection:
            found = dict(
                connection.execute(
                    select(User.email, User.is_active).where(
                        User.email.in_([ADMIN.email, default_admin_email.lower()])
                    )
                ).all()
            )
    except SQLAlchemyError:  # not migrated yet, or unreachable: the app itself will say so
        return None
    if not found.get(ADMIN.email) or default_admin_email.lower() in found:
        return None
    return (
        f"This database holds the demo school: log in as {ADMIN.email}, {VIEWER.email} or a teacher "
        "(teacher001@school.gr, ...) with the password `make seed` printed."
    )
