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
