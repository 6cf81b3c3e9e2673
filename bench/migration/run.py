"""Benchmark the migration tool against pgloader and a plain SQLAlchemy migrator.

Every method copies the same seed_demo SQLite file into the same PostgreSQL server. Before
each run the target database is recreated with the Alembic schema and checkpointed; after
each run the target's row counts and content checksums are compared with the source's, so a
method that loses or changes data is reported as such, not as fast. Methods alternate within
each round; medians are reported. See bench/migration/README.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from backend.db import migrations  # noqa: E402
from backend.scripts.seed_demo import seed_demo  # noqa: E402
from backend.tests.transfer import row_checksums  # noqa: E402
from backend.transfer import verify  # noqa: E402
from backend.transfer.plan import build_plan  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "migration"
PYTHON = sys.executable


def source_file(students: int) -> Path:
    path = RESULTS / f"school-{students}.db"
    if not path.exists():
        RESULTS.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        engine = create_engine(f"sqlite:///{partial}")
        migrations.upgrade(engine)
        report = seed_demo(engine=engine, students=students)
        engine.dispose()
        partial.rename(path)
        print(f"seeded {report.total_rows:,} rows into {path} in {report.seconds:.1f}s", flush=True)
    return path


def reset_target(server: str, name: str) -> str:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    migrations.upgrade(engine)
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text("CHECKPOINT"))
    admin.dispose()
    return url


def pgloader_command(source: Path, url: str, workdir: Path) -> list[str]:
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    script = workdir / "load.pgl"
    script.write_text(
        f"LOAD DATABASE FROM sqlite://{source} INTO {plain}\n"
        "  WITH data only, truncate, reset sequences\n"
        "  EXCLUDING TABLE NAMES LIKE 'alembic_version';\n"
    )
    return ["pgloader", "--quiet", str(script)]


def command(method: str, source: Path, url: str, workdir: Path) -> list[str]:
    if method == "tool":
        # The report gives the peak RSS of the writer and of its render worker, which GNU time
        # cannot add up (it reports the larger of the two); the table shows their sum.
        return [PYTHON, "-m", "backend.scripts.migrate_sqlite_to_postgres", "--sqlite-path", str(source),
                "--postgres-url", url, "--quiet",
                "--report-json", str(workdir / "tool-report.json")]  # fmt: skip
    if method == "pgloader":
        return pgloader_command(source, url, workdir)
    return [PYTHON, str(ROOT / "bench" / "migration" / "plain_migrator.py"), str(source), url]


def timed(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds and peak RSS (kB, from GNU time) of one run."""
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(
            f"{cmd[0]} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        )
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))  # type: ignore[union-attr]
    return seconds, peak, done.stdout


def target_checksums(url: str) -> dict[str, verify.Checksum]:
    engine = create_engine(url)
    with engine.connect() as conn:
        conn.execute(text("SET TimeZone = 'UTC'"))
        sums = {t.name: row_checksums.target_checksum(conn, t) for t in build_plan().tables}
    engine.dispose()
    return sums


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20000, help="seed_demo size (20000 = ~1M rows)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per method, alternating (default 3)")
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--methods", nargs="+", default=["tool", "pgloader", "plain"])
    args = parser.parse_args()

    source = source_file(args.students)
    with sqlite3.connect(source) as connection:
        expected = row_checksums.checksums(connection, build_plan().tables)
    rows = sum(c.rows for c in expected.values())
    runs: dict[str, list[tuple[float, int]]] = {m: [] for m in args.methods}
    with tempfile.TemporaryDirectory() as workdir:
        for round_ in range(1, args.rounds + 1):
            for method in args.methods:
                url = reset_target(args.server, "sms_bench_migration")
                seconds, peak, _ = timed(command(method, source, url, Path(workdir)))
                phases = ""
                if method == "tool":
                    report = json.loads((Path(workdir) / "tool-report.json").read_text())
                    peak = max(peak, int(sum(report["peak_rss_mb"].values()) * 1024))
                    phases = "  " + ", ".join(f"{k} {v:.2f}" for k, v in report["phases"].items())
                problems = verify.mismatches(expected, target_checksums(url))
                if problems:
                    raise SystemExit(f"{method} did not copy the source faithfully: {problems}")
                runs[method].append((seconds, peak))
                print(f"round {round_} {method:<9} {seconds:7.2f}s  peak RSS {peak / 1024:6.1f} MB  verified"
                      f"{phases}", flush=True)  # fmt: skip
    reference = statistics.median(s for s, _ in runs["pgloader"]) if "pgloader" in runs else None
    plain = statistics.median(s for s, _ in runs["plain"]) if "plain" in runs else None
    lines = [
        f"{rows:,} rows (seed_demo --students {args.students}), {args.rounds} alternating runs per method, "
        f"medians; every run verified (counts + content checksums).",
        "",
        "| method | median s | rows/s | vs pgloader | vs plain | peak RSS MB | runs (s) |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    summary = {}
    for method, results in runs.items():
        median = statistics.median(s for s, _ in results)
        peak = max(p for _, p in results) / 1024
        ratio = f"{median / reference:.2f}x" if reference else "-"
        to_plain = f"{median / plain:.2f}x" if plain else "-"
        listed = ", ".join(f"{s:.1f}" for s, _ in results)
        figures = f"{median:.2f} | {rows / median:,.0f} | {ratio} | {to_plain} | {peak:.0f}"
        lines.append(f"| {method} | {figures} | {listed} |")
        summary[method] = {"median_seconds": median, "peak_rss_mb": peak, "runs": results}
    table = "\n".join(lines)
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"results-{args.students}.md").write_text(table + "\n")
    (RESULTS / f"results-{args.students}.json").write_text(json.dumps({"rows": rows, **summary}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
