"""`make bench` (packs): the time to build a board pack of about 100 pages with WeasyPrint,
against headless Chromium printing the same HTML, and the time to serve it again when nothing
changed (the content hash matches, so no PDF is rendered). A benchmark, not a test.

The meeting, its reports and plans are generated, labelled illustrative, inside a transaction
that is rolled back: the database named by DATABASE_URL is left as it was.
"""

import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

REPEATS = 3
CHROMIUM = "/usr/bin/chromium"
PARAGRAPH = (
    "Illustrative text for the benchmark: the partnership reviewed progress against the plan, "
    "the lead agencies reported their returns and the board considered the exceptions. "
) * 6


def _median(run) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _meeting(reports: int, sections: int):
    from boards.meetings.models import AgendaItem, Meeting, Report, ReportSection
    from boards.models import Board

    board = Board.objects.create(
        name="Benchmark Board (illustrative)",
        slug="benchmark-board-illustrative",
        kind="partnership",
    )
    meeting = Meeting.objects.create(board=board, date=datetime.date(2026, 12, 3))
    for n in range(1, reports + 1):
        report = Report.objects.create(
            board=board,
            subject=f"Illustrative report {n}",
            report_of="Benchmark",
            report_to=board.name,
            summary=PARAGRAPH,
        )
        ReportSection.objects.bulk_create(
            ReportSection(
                report=report,
                order=s,
                number=f"{s}.0",
                heading=f"Section {s}",
                body="\n\n".join([PARAGRAPH] * 3),
            )
            for s in range(1, sections + 1)
        )
        AgendaItem.objects.create(meeting=meeting, order=n, title=f"Item {n}", report=report)
    return meeting


def _inline_css(html: str) -> str:
    css = (Path(__file__).resolve().parents[2] / "static/css/pack.css").read_text()
    start = html.index('<link rel="stylesheet"')
    end = html.index(">", start) + 1
    return html[:start] + f"<style>{css}</style>" + html[end:]


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leeds_communities.settings.local")
    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from boards.meetings import packs
    from leeds_communities.pdf import render_pdf

    call_command("migrate", verbosity=0)
    reports = int(os.environ.get("BENCH_PACK_REPORTS", "16"))
    sections = int(os.environ.get("BENCH_PACK_SECTIONS", "6"))
    with transaction.atomic():
        meeting = _meeting(reports, sections)
        html = packs._finish(
            packs.render_pack_html(meeting, members=True), datetime.datetime.now(datetime.UTC)
        )
        pages = render_pdf(html).page_count
        weasy = _median(lambda: render_pdf(html))
        unchanged = _median(lambda: packs._pack_document(meeting, members=True))
        transaction.set_rollback(True)

    print(f"Pack of {pages} pages ({reports} reports); median of {REPEATS}")
    print(f"{'WeasyPrint build':<40} {weasy:8.2f} s")
    print(f"{'served again, nothing changed (hash)':<40} {unchanged:8.3f} s")
    if not shutil.which(CHROMIUM):
        print(f"{CHROMIUM} not found: no Chromium comparison")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp, "pack.html"), Path(tmp, "pack.pdf")
        source.write_text(_inline_css(html), encoding="utf-8")
        command = [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        chromium = _median(
            lambda: subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603
        )
    print(f"{'Chromium --print-to-pdf (same HTML)':<40} {chromium:8.2f} s")
    print(f"{'WeasyPrint / Chromium':<40} {weasy / chromium:8.2f}")
    print(f"{'served again / Chromium':<40} {unchanged / chromium:8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
