"""Make sure .env exists and holds a strong SECRET_KEY and a first admin password.

Safe to rerun: values already set are kept; only blank or missing ones are filled in.
Secrets are written to .env and never printed. `make env` runs it with the system Python,
before anything is installed: it needs the standard library and backend/cli/exit_codes.py alone.
"""

from __future__ import annotations

import argparse
import re
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the repository is not on the path
from backend.cli import exit_codes  # noqa: E402 - needs the path above; imports nothing itself

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


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(
        prog="python scripts/first_run_env.py",
        description="Create .env from .env.example and fill a blank SECRET_KEY and DEFAULT_ADMIN_PASSWORD "
        "with random values (values already set are kept).",
    ).parse_args(argv)
    env_file = ROOT / ".env"
    created = not env_file.exists()
    try:
        filled = ensure_env(env_file, ROOT / ".env.example")
    except OSError as exc:
        print(f"error: cannot write {env_file}: {exc.strerror} ({exc.filename})", file=sys.stderr)
        return exit_codes.USAGE
    if created:
        print(f"wrote {env_file} from .env.example")
    if filled:
        print(f"generated {', '.join(filled)} in .env (not shown; read them there)")
    return exit_codes.OK


if __name__ == "__main__":
    sys.exit(main())
