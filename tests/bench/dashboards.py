"""`make bench`: dashboard and drill-down page times at several sizes, each against the raw SQL
of its aggregate. Prints a table and exits; a benchmark, not a test (nothing here asserts time).

    BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/leeds_communities_bench make bench
    BENCH_SIZES="1000 20000" make bench

The database named by DATABASE_URL is migrated and its generated programme replaced at each size.
"""

import os
import statistics
import sys
import time

import django

REPEATS = 3


def _median_seconds(run) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


RAW_STATUS_SQL = """
SELECT status, COUNT(*) FROM (
  SELECT CASE WHEN o.commencement > %s THEN 'WHITE'
         ELSE COALESCE((SELECT u.rag FROM actionplans_statusupdate u
                        WHERE u.output_id = o.id AND u.quarter_id = %s
                        ORDER BY u.created_at DESC, u.id DESC LIMIT 1), 'BLANK') END AS status
  FROM actionplans_output o JOIN actionplans_actionplan p ON p.id = o.plan_id
  WHERE p.programme_id = %s AND (o.withdrawn IS NULL OR o.withdrawn >= %s)
) statuses {where} GROUP BY status
"""


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leeds_communities.settings.local")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from actionplans.models import Programme, Quarter
    from actionplans.scale import PROGRAMME, generate

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1000 20000 100000").split()]
    quarters = int(os.environ.get("BENCH_QUARTERS", "40"))
    print(f"Database: {connection.vendor}; {quarters} quarters of returns; median of {REPEATS}")
    print(f"{'outputs':>8} {'updates':>9} {'page':<22} {'page s':>8} {'raw SQL s':>9} {'ratio':>6}")
    client = Client()
    for size in sizes:
        made = generate(outputs=size, quarters=quarters)
        programme = Programme.objects.get(name=PROGRAMME)
        quarter = Quarter.objects.filter(year__gte=2016).order_by("-year", "-number")[0]
        query = f"?programme={programme.slug}&year={quarter.year_label}&quarter={quarter.number}"
        pages = [
            ("dashboard", "/dashboards/" + query, ""),
            (
                "drill-down (red)",
                "/dashboards/outputs/" + query + "&status=RED",
                "WHERE status = 'RED'",
            ),
            ("exceptions", "/dashboards/exceptions/" + query, "WHERE status IN ('RED', 'BLANK')"),
            ("trend (8 quarters)", "/dashboards/trend/" + query, ""),
        ]
        params = [quarter.end, quarter.pk, programme.pk, quarter.start]
        for name, url, where in pages:
            response = client.get(url)
            if response.status_code != 200:
                print(f"{url} answered {response.status_code}", file=sys.stderr)
                return 1

            def raw(where=where, params=params):
                with connection.cursor() as cursor:
                    cursor.execute(RAW_STATUS_SQL.format(where=where), params)
                    cursor.fetchall()

            page_time = _median_seconds(lambda url=url: client.get(url))
            raw_time = _median_seconds(raw)
            print(
                f"{made.outputs:>8} {made.updates:>9} {name:<22} {page_time:>8.3f} "
                f"{raw_time:>9.3f} {page_time / raw_time:>6.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
