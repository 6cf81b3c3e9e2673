"""What the API and backup benchmarks share: the engines to run and where PostgreSQL may be used."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --engines, --postgres-url and --json, the same in every benchmark."""
    parser.add_argument(
        "--engines", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES),
        help="a server where a throwaway database may be created (default TEST_POSTGRES_URL or local)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
