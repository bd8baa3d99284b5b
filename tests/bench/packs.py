"""`make bench`, packs: a members' pack of about 100 pages, timed as whole processes on both
sides, with each process's peak memory (its largest resident set, from wait4):

- WeasyPrint (its command line, PDF/UA-1 as the app writes) against headless Chromium printing
  the same HTML file (the pack's print CSS inlined, so neither fetches anything);
- the app's own build (`current_pack`, a process that starts Django and stores the PDF), its
  rebuild after one report of the meeting changes, and serving it again when nothing changed
  (the content hash matches: no PDF is rendered), against the same Chromium time.

The pack's board owns a plan of BENCH_PACK_OUTPUTS outputs (default 200) in a programme of its
own, so the pack's data appendix has summaries and exceptions; its meeting has
BENCH_PACK_REPORTS illustrative reports (default 16) of BENCH_PACK_SECTIONS sections (default 6).
All of it is labelled illustrative and replaced on each run; built PDFs go to a temporary
directory, not MEDIA_ROOT.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.report import Figure, median

CHROMIUM = "/usr/bin/chromium"
BUILD_TARGET = 2.0  # a full build ≤ 2× Chromium
REBUILD_TARGET = 1.0  # a rebuild after one report changes ≤ 1× Chromium
BOARD_SLUG = "benchmark-pack-board-illustrative"
PROGRAMME_SLUG = "benchmark-pack-programme-illustrative"
PARAGRAPH = (
    "Illustrative text for the benchmark: the partnership reviewed progress against the plan, "
    "the lead agencies reported their returns and the board considered the exceptions. "
) * 6


class ProcessFailed(RuntimeError):
    pass


def run_process(command: list[str], **kwargs) -> tuple[float, float]:
    """Run `command` to its end: (seconds, peak resident memory in MB of its largest process,
    children it waited for included). ProcessFailed, with the end of its stderr, if it fails."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, **kwargs)  # noqa: S603 - our own fixed commands
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace")[-2000:]
            raise ProcessFailed(f"{' '.join(command[1:3])} failed ({process.returncode}): {tail}")
    return elapsed, usage.ru_maxrss / 1024  # Linux reports kilobytes


def _pack_board(outputs: int):
    """The pack's board, owning one plan of `outputs` outputs with returns in the latest
    generated quarter (one in four red or blank), in a programme of its own."""
    from django.utils import timezone

    from actionplans.models import ActionPlan, Output, Programme, Quarter, StatusUpdate
    from boards.models import Board, Organisation, Sector

    board, _ = Board.objects.get_or_create(
        slug=BOARD_SLUG,
        defaults={"name": "Benchmark pack board (illustrative)", "kind": Board.Kind.PARTNERSHIP},
    )
    programme, _ = Programme.objects.get_or_create(
        slug=PROGRAMME_SLUG, defaults={"name": "Benchmark pack programme (illustrative)"}
    )
    quarters = list(Quarter.objects.filter(state=Quarter.State.CLOSED).order_by("year", "number"))
    if not quarters:
        raise SystemExit("No closed quarter: run the dashboards part first (BENCH_PARTS).")
    plan, _ = ActionPlan.objects.update_or_create(
        programme=programme,
        slug="benchmark-pack-plan",
        defaults={
            "name": "Benchmark pack plan (illustrative)",
            "owner": board,
            "scope": ActionPlan.Scope.DISTRICT,
            "period_start": quarters[0].start,
            "period_end": quarters[-1].end,
            "illustrative": True,
        },
    )
    StatusUpdate.objects.filter(output__plan=plan).delete()
    Output.objects.filter(plan=plan).delete()
    agency, _ = Organisation.objects.get_or_create(
        slug="benchmark-agency-illustrative",
        defaults={"name": "Benchmark agency (illustrative)", "sector": Sector.PUBLIC},
    )
    made = Output.objects.bulk_create(
        Output(
            plan=plan,
            ref=f"BP{n:04d}",
            title=f"Illustrative benchmark output {n}",
            lead_agency=agency,
            lead_officer="Benchmark officer",
            commencement=quarters[0].start,
            illustrative=True,
        )
        for n in range(outputs)
    )
    rags = ["GREEN", "GREEN", "AMBER", "RED"]
    now = timezone.now()
    StatusUpdate.objects.bulk_create(
        StatusUpdate(
            output=output,
            quarter=quarters[-1],
            rag=rags[n % 4],
            commentary="" if rags[n % 4] == "GREEN" else "Illustrative return (benchmark).",
            created_at=now,
            source=StatusUpdate.Source.SEED,
        )
        for n, output in enumerate(made)
        if n % 10  # one in ten has no return: blank
    )
    return board


def _meeting(board, reports: int, sections: int):
    from boards.meetings.models import AgendaItem, Meeting, Report, ReportSection

    Meeting.objects.filter(board=board).delete()
    Report.objects.filter(board=board).delete()
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


def _page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def run(repeats: int) -> list[Figure]:
    from boards.meetings import packs

    outputs = int(os.environ.get("BENCH_PACK_OUTPUTS", "200"))
    reports = int(os.environ.get("BENCH_PACK_REPORTS", "16"))
    sections = int(os.environ.get("BENCH_PACK_SECTIONS", "6"))
    board = _pack_board(outputs)
    meeting = _meeting(board, reports, sections)
    html = packs._finish(
        packs.render_pack_html(meeting, members=True), datetime.datetime.now(datetime.UTC)
    )
    if not shutil.which(CHROMIUM):
        print(f"{CHROMIUM} not found: no pack figures (they are ratios against Chromium)")
        return []
    weasyprint = str(Path(sys.executable).parent / "weasyprint")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "pack.html")
        source.write_text(_inline_css(html), encoding="utf-8")
        weasy_pdf, chromium_pdf = Path(tmp, "weasyprint.pdf"), Path(tmp, "chromium.pdf")
        weasy_command = [weasyprint, "--pdf-variant", "pdf/ua-1", str(source), str(weasy_pdf)]
        chromium_command = [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(tmp, 'chromium-profile')}",
            f"--print-to-pdf={chromium_pdf}",
            source.as_uri(),
        ]
        runs: dict[str, list[tuple[float, float]]] = {"weasyprint": [], "chromium": []}
        for n in range(repeats + 1):  # the first of each warms the file cache, untimed
            for name, command in (("weasyprint", weasy_command), ("chromium", chromium_command)):
                measured = run_process(command)
                if n:
                    runs[name].append(measured)
        pages = _page_count(weasy_pdf)
        chromium_pages = _page_count(chromium_pdf)

        media = Path(tmp, "media")
        build = [sys.executable, "-m", "tests.bench.packs", "build", str(meeting.pk), str(media)]
        built = run_process([*build, "force"], cwd=Path(__file__).resolve().parents[2])
        report = meeting.agenda_items.order_by("order").first().report
        section = report.sections.order_by("order").first()
        section.body += "\n\nA late correction to one report (benchmark)."
        section.save(update_fields=["body"])
        rebuilt = run_process(build, cwd=Path(__file__).resolve().parents[2])
        unchanged = run_process(build, cwd=Path(__file__).resolve().parents[2])

    weasy_s = median([s for s, _ in runs["weasyprint"]])
    chromium_s = median([s for s, _ in runs["chromium"]])
    weasy_mb = max(mb for _, mb in runs["weasyprint"])
    chromium_mb = max(mb for _, mb in runs["chromium"])
    print(
        f"\nPacks: {pages} pages with WeasyPrint ({chromium_pages} with Chromium), {reports} "
        f"reports, data appendix of {outputs} outputs; whole processes, median of {repeats}",
        flush=True,
    )
    return [
        Figure(f"build, WeasyPrint, {pages} pages", weasy_s, chromium_s, "Chromium", BUILD_TARGET),
        Figure("build through the app", built[0], chromium_s, "Chromium", BUILD_TARGET),
        Figure(
            "rebuild after one report changes", rebuilt[0], chromium_s, "Chromium", REBUILD_TARGET
        ),
        Figure("served again, nothing changed", unchanged[0], chromium_s, "Chromium"),
        Figure("peak memory, WeasyPrint", weasy_mb, chromium_mb, "Chromium", unit="MB"),
        Figure("peak memory, app build", built[1], chromium_mb, "Chromium", unit="MB"),
    ]


def build(meeting_pk: int, media: str, force: bool) -> int:
    """The child process: the app's pack build for the meeting (members' pack), stored under
    `media` instead of MEDIA_ROOT."""
    from tests.bench.__main__ import setup_django

    setup_django(migrate=False)
    from django.test import override_settings

    from boards.meetings import packs
    from boards.meetings.models import Meeting

    with override_settings(MEDIA_ROOT=media):
        meeting = Meeting.objects.get(pk=meeting_pk)
        packs.current_pack(meeting, members=True, force=force)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["build"]:
        sys.exit(build(int(sys.argv[2]), sys.argv[3], force=sys.argv[4:5] == ["force"]))
    print(__doc__)
    sys.exit(2)
