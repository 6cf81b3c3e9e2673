"""Make sure .env exists and holds a strong SECRET_KEY and a first admin password.

Safe to rerun: values already set are kept; only blank or missing ones are filled in.
Secrets are written to .env and never printed.
"""

from __future__ import annotations

import re
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATED = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(48),
    "DEFAULT_ADMIN_PASSWORD": lambda: secrets.token_urlsafe(12),
}


def ensure_env(env_file: Path, example: Path) -> list[str]:
    """Fill blank generated settings in env_file (created from example); return their names."""
    text = env_file.read_text() if env_file.exists() else example.read_text()
    filled = []
    for name, make in GENERATED.items():
        pattern = re.compile(rf"^{name}=[ \t]*$", re.MULTILINE)
        if pattern.search(text):
            text = pattern.sub(f"{name}={make()}", text, count=1)
        elif not re.search(rf"^{name}=", text, re.MULTILINE):
            text += f"\n{name}={make()}\n"
        else:
            continue
        filled.append(name)
    env_file.write_text(text)
    env_file.chmod(0o600)
    return filled


def main() -> int:
    env_file = ROOT / ".env"
    created = not env_file.exists()
    filled = ensure_env(env_file, ROOT / ".env.example")
    if created:
        print(f"wrote {env_file} from .env.example")
    if filled:
        print(f"generated {', '.join(filled)} in .env (not shown; read them there)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
