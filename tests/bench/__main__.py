"""`make bench`: generate data, then time the dashboards, packs, imports and the load test, each
figure as a ratio against its baseline, with the issue's target and PASS or FAIL.

    make bench                                        # SQLite file bench.sqlite3, 10,000 outputs
    BENCH_DATABASE_URL=postgres://127.0.0.1:5432/leeds_communities_bench \\
        BENCH_OUTPUTS=100000 BENCH_QUARTERS=20 make bench

It runs on its own database, BENCH_DATABASE_URL (a PostgreSQL database is created if missing),
never on DATABASE_URL. BENCH_PARTS chooses the parts (default "dashboards packs imports load");
BENCH_REPEATS the repetitions (default 3); BENCH_REUSE=1 keeps data generated at the same size
by an earlier run. The load test's figures come from the last `make loadtest` (load-results/).
A benchmark, not a test: it exits 0 whatever the verdicts (BENCH_STRICT=1: 1 if any FAIL).
"""

import os
import platform
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'bench.sqlite3'}"


def _create_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    connect = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **connect) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not found:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"Created the database {config['NAME']}.", flush=True)


def setup_django(*, migrate: bool = True) -> str:
    """Point Django at BENCH_DATABASE_URL (never the app's DATABASE_URL) and migrate it."""
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    app_url = os.environ.get("DATABASE_URL")
    if app_url and app_url == url and not os.environ.get("BENCH_DATABASE_URL_CONFIRMED"):
        raise SystemExit(
            "BENCH_DATABASE_URL is the app's DATABASE_URL: the benchmark replaces data, so "
            "give it a database of its own."
        )
    if url.startswith(("postgres://", "postgresql://")):
        _create_postgres_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["BENCH_DATABASE_URL"] = url
    os.environ["BENCH_DATABASE_URL_CONFIRMED"] = "1"  # the child processes inherit both
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leeds_communities.settings.local")
    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    return url


def main() -> int:
    setup_django()
    from django.db import connection

    from tests.bench.report import format_report

    parts = os.environ.get("BENCH_PARTS", "dashboards packs imports load").split()
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    started = time.perf_counter()
    sections = []
    for part in parts:
        if part == "dashboards":
            from tests.bench import dashboards

            sections.append(("Dashboards (page / raw SQL)", dashboards.run(repeats)))
        elif part == "packs":
            from tests.bench import packs

            sections.append(("Packs (whole processes)", packs.run(repeats)))
        elif part == "imports":
            from tests.bench import imports

            sections.append(("Status-update import (whole processes)", imports.run()))
        elif part == "load":
            from tests.bench import load

            sections.append(("Load test p95 (50 users / 1 user)", load.run()))
        else:
            raise SystemExit(f"BENCH_PARTS: unknown part {part!r}")
    print(
        f"\n== make bench, {time.strftime('%Y-%m-%d')}, {platform.node()}: "
        f"{os.cpu_count()} cores, {connection.vendor}, "
        f"{time.perf_counter() - started:.0f} s ==",
    )
    failed = False
    for title, figures in sections:
        print()
        print(format_report(figures, title) if figures else f"{title}\n(no figures)")
        failed = failed or any(f.verdict == "FAIL" for f in figures)
    return 1 if failed and os.environ.get("BENCH_STRICT") == "1" else 0


if __name__ == "__main__":
    sys.exit(main())
