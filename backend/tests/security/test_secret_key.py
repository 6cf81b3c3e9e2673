"""SECRET_KEY in production must have real entropy (issue 11, item 12).

The defect: a SECRET_KEY made of one repeated character (``aaaa...``, 40 of them) was accepted
in production, and anyone can forge tokens signed with a guessable key. The app itself is
started in the end-to-end check, on both engines, so the refusal is what an operator sees.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import URL

from backend.config import MIN_SECRET_BITS, REPO_ROOT, ConfigError, load_settings, secret_entropy_bits
from backend.tests.conftest import TEST_SECRET_KEY, make_settings

WEAK = [
    "a" * 64,
    "abc" * 22,
    "0123456789" * 4,
    "changeme" * 5,
    "changeme-please-use-a-long-random-value",
    "your-secret-key-goes-here-0123456789abcdef",
    "xy" * 40,
]


@pytest.mark.parametrize("key", WEAK)
def test_production_refuses_a_predictable_key(key: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(_env_file=None, ENVIRONMENT="production", SECRET_KEY=key)
    message = str(error.value)
    assert message.startswith("SECRET_KEY ")
    assert "\n" not in message
    assert "secrets.token_urlsafe(48)" in message  # the fix-it part
    assert key not in message  # the refused key is not echoed


def test_generated_keys_always_pass() -> None:
    """first_run_env.py writes token_urlsafe(48); docker.sh and DOCKER.ps1 write 32 random bytes in hex."""
    for _ in range(2000):
        assert secret_entropy_bits(secrets.token_urlsafe(48)) >= MIN_SECRET_BITS
        assert secret_entropy_bits(secrets.token_hex(32)) >= MIN_SECRET_BITS
    load_settings(_env_file=None, ENVIRONMENT="production", SECRET_KEY=secrets.token_urlsafe(48))


def test_the_estimate() -> None:
    assert secret_entropy_bits("a" * 100) == 0
    assert secret_entropy_bits("ab" * 50) == secret_entropy_bits("ab") == 2
    assert secret_entropy_bits("changeme" * 4) == secret_entropy_bits("changeme")
    assert secret_entropy_bits(TEST_SECRET_KEY) >= MIN_SECRET_BITS


def test_development_stays_lenient() -> None:
    settings = load_settings(_env_file=None, ENVIRONMENT="development", SECRET_KEY="a" * 8)
    assert settings.SECRET_KEY == "a" * 8


def test_the_app_refuses_to_start_with_a_repeated_character_key(database_url: URL, tmp_path: Path) -> None:
    settings = make_settings(database_url, tmp_path)  # a working configuration on this engine
    env = {
        **os.environ,
        "SMS_ENV_FILE": "none",
        "ENVIRONMENT": "production",
        "DATABASE_URL": settings.database.url.render_as_string(hide_password=False),
        "SECRET_KEY": "k" * 40,
    }
    command = [sys.executable, "-c", "import backend.main as m; m.app"]
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("SMS cannot start: SECRET_KEY is too predictable")
    assert "Traceback" not in result.stderr
