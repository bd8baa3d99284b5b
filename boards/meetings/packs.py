"""Board packs: one HTML document per pack, rendered to PDF once per change and stored.

The public pack never contains exempt material: an exempt report or appendix is replaced by a
notice naming the exemption, with nothing of its text, title or attachments. The members' pack
carries it, every page of it marked "Not for publication".

A pack is identified by the SHA-256 of its HTML (with the generation time left out), so a
download re-renders only the HTML (a handful of queries) and rebuilds the PDF only when
something in it changed: an agenda item, a report, an appendix or the live progress data.
"""

import datetime
import functools
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actionplans.dashboards.charts import bar_chart
from actionplans.dashboards.queries import Distribution, drilldown_url
from actionplans.models import ActionPlan, Output, Programme, Quarter, Status
from actionplans.presenters import status_tag
from actionplans.quarters import reading_quarter
from actionplans.status import latest_field
from actionplans.summary import COLUMNS, Summary, build_plans_summary, build_summary
from boards.meetings.models import (
    AgendaItem,
    Appendix,
    BoardPack,
    Meeting,
    PackBuild,
    Report,
    withheld,
)
from leeds_communities.access import MEMBER, PUBLIC
from leeds_communities.pdf import Insert, render_pdf

GENERATED_AT = "\u2063GENERATED-AT\u2063"
AS_AT = "\u2063AS-AT\u2063"


@dataclass
class PackAppendix:
    appendix: Appendix
    withheld: bool
    summary: Summary | None = None
    pdf: bytes | None = None
    pdf_pages: int = 0

    @property
    def upload_anchors(self) -> list[str]:
        """One placeholder page per page of the uploaded PDF, drawn on after rendering."""
        return [f"upload-{self.appendix.pk}-{n}" for n in range(self.pdf_pages)]


def _read_upload(appendix: Appendix) -> tuple[bytes | None, int]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not appendix.file:
        return None, 0
    try:
        with appendix.file.open("rb") as handle:
            content = handle.read()
        return content, len(PdfReader(io.BytesIO(content)).pages)
    except (OSError, PdfReadError, ValueError):
        return None, 0


@dataclass
class PackItem:
    item: AgendaItem
    report: Report | None
    report_withheld: bool
    appendices: list[PackAppendix] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"item-{self.item.order}"

    @property
    def marked_exempt(self) -> bool:
        """An exempt report shown in the members' pack: every page of it is marked."""
        return bool(self.report and self.report.is_exempt and not self.report_withheld)


@dataclass
class BoardProgress:
    quarter: Quarter | None
    summaries: list[Summary]
    exceptions: list[Output]

    @property
    def charts(self) -> list[tuple[Summary, object, str]]:
        """Each summary with an SVG bar chart of its plans (the dashboards' chart, in print)."""
        return [(s, summary_chart(s), f"chart-{n}") for n, s in enumerate(self.summaries, 1)]


def _to_live_data(status) -> str:
    return "#live-data"


def summary_chart(summary: Summary):
    rows = [
        (
            Distribution(label=row.label, counts=dict(row.counts)),
            "#live-data",
            lambda s: "#live-data",
        )
        for row in summary.rows
        if row.kind == "plan"
    ]
    return bar_chart(f"{summary.programme.name}: outputs by status, {summary.quarter}", rows)


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(
        meeting.agenda_items.select_related("report", "decision").prefetch_related(
            "report__sections",
            "report__recommendations",
            Prefetch(
                "report__appendices",
                queryset=Appendix.objects.select_related("programme", "quarter"),
            ),
        )
    )


def _board_programmes(board) -> list[Programme]:
    return list(
        Programme.objects.filter(Q(board=board) | Q(plans__owner=board)).distinct().order_by("name")
    )


def _board_summaries(board, programmes: list[Programme], quarter: Quarter) -> list[Summary]:
    """The summary table of each programme the board's plans belong to, then one for the
    board's plans outside any programme (same rows and arithmetic as the summary page)."""
    summaries = [build_summary(programme, quarter) for programme in programmes]
    loose = ActionPlan.objects.filter(owner=board, programme__isnull=True)
    if loose.covering(quarter).exists():
        group = Programme(name=f"Plans of {board.name}")
        summaries.append(build_plans_summary(loose, quarter, group))
    return summaries


def appendix_summary(appendix: Appendix, reader) -> Summary | None:
    """A live summary appendix's table, if `reader` may see its quarter's returns (the
    publication rule: the public pack and the public see closed quarters only)."""
    if appendix.kind != Appendix.Kind.LIVE_SUMMARY or appendix.quarter is None:
        return None
    if not Quarter.objects.visible_to(reader).filter(pk=appendix.quarter_id).exists():
        return None
    return build_summary(appendix.programme, appendix.quarter)


# A pack shows at most this many exceptions a plan, then how many more and where to find them.
EXCEPTIONS_PER_PLAN = 15


def _exceptions(board, programmes: list[Programme], quarter: Quarter) -> list[Output]:
    """RED and BLANK outputs of the board's plans for the quarter, with the quarter's commentary:
    RED first, at most EXCEPTIONS_PER_PLAN a plan. The last shown of a plan carries `more` (how
    many were left out) and `more_at` (the dashboard listing them all)."""
    per_plan = {"partition_by": [F("plan_id")]}
    rows = list(
        Output.objects.filter(Q(plan__owner=board) | Q(plan__programme__in=programmes))
        .counted_in(quarter)
        .with_status(quarter)
        .filter(status__in=[Status.RED, Status.BLANK])
        .annotate(
            commentary=latest_field(quarter, "commentary"),
            corrective_action=latest_field(quarter, "corrective_action"),
            corrective_action_by=latest_field(quarter, "corrective_action_by"),
            place=Window(RowNumber(), order_by=[F("status").desc(), F("ref")], **per_plan),
            in_plan=Window(Count("pk"), **per_plan),
        )
        .filter(place__lte=EXCEPTIONS_PER_PLAN)
        .select_related("plan", "lead_agency")
        .order_by("plan__order", "plan__name", "place")
    )
    for output in rows:
        output.more = 0
        if output.place == min(EXCEPTIONS_PER_PLAN, output.in_plan):
            output.more = output.in_plan - output.place
            output.more_at = drilldown_url(
                reverse("dashboards:exceptions"),
                {"year": quarter.year_label, "quarter": str(quarter.number)},
                plan=output.plan.slug,
            )
    return rows


def board_progress(board) -> BoardProgress:
    """The board's plans in the latest closed quarter: the one whose returns are all in."""
    quarter = reading_quarter(PUBLIC)
    if quarter is None:
        return BoardProgress(quarter=None, summaries=[], exceptions=[])
    programmes = _board_programmes(board)
    return BoardProgress(
        quarter=quarter,
        summaries=_board_summaries(board, programmes, quarter),
        exceptions=_exceptions(board, programmes, quarter),
    )


def pack_items(meeting: Meeting, *, members: bool) -> list[PackItem]:
    """The agenda with each paper, exempt material withheld unless this is the members' pack."""
    result = []
    for item in _items(meeting):
        report = item.report
        # The members' pack is for the meeting's board; an exempt paper is theirs to read only
        # if it is their board's (the rule of `can_see_exempt` and the report's own page).
        may_see = members and report is not None and report.board_id == meeting.board_id
        report_withheld = withheld(report, may_see_exempt=may_see)
        pack_item = PackItem(item=item, report=report, report_withheld=report_withheld)
        if report and not report_withheld:
            for appendix in report.appendices.all():
                hide = withheld(appendix, may_see_exempt=may_see)
                reader = MEMBER if members else PUBLIC
                summary = None if hide else appendix_summary(appendix, reader)
                pack_appendix = PackAppendix(appendix, hide, summary)
                if appendix.kind == Appendix.Kind.PDF and not hide:
                    pack_appendix.pdf, pack_appendix.pdf_pages = _read_upload(appendix)
                pack_item.appendices.append(pack_appendix)
        result.append(pack_item)
    return result


def render_pack_html(meeting: Meeting, *, members: bool) -> str:
    """The pack as one HTML document, with markers where the generation time goes."""
    return _pack_document(meeting, members=members)[0]


def _pack_document(meeting: Meeting, *, members: bool):
    """The HTML, and the uploaded PDF pages to draw onto its placeholder pages."""
    items = pack_items(meeting, members=members)
    progress = board_progress(meeting.board)
    inserts = [
        Insert(anchor=anchor, pdf=pa.pdf, page=n)
        for item in items
        for pa in item.appendices
        if pa.pdf
        for n, anchor in enumerate(pa.upload_anchors)
    ]
    html = render_to_string(
        "pdf/board_pack.html",
        {
            "meeting": meeting,
            "board": meeting.board,
            "members": members,
            "items": items,
            "progress": progress,
            "columns": [status_tag(s) for s in COLUMNS],
            "exception_tags": {s: status_tag(s) for s in (Status.RED, Status.BLANK)},
            "generated_at": GENERATED_AT,
            "as_at": AS_AT,
        },
    )
    # The uploaded files' contents count towards the hash, not only their names.
    digests = "".join(hashlib.sha256(i.pdf).hexdigest() for i in inserts if i.page == 0)
    return html, inserts, digests


def _finish(html: str, when: datetime.datetime) -> str:
    local = timezone.localtime(when)
    return html.replace(GENERATED_AT, local.strftime("%-d %B %Y at %H:%M")).replace(
        AS_AT, local.strftime("%-d %B %Y")
    )


@functools.cache
def _stylesheet_digest() -> str:
    """The print CSS is part of the pack: a new stylesheet means new packs."""
    path = finders.find("css/pack.css")
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else ""


def variant_of(members: bool) -> str:
    return BoardPack.Variant.MEMBERS if members else BoardPack.Variant.PUBLIC


def _no_progress(step: str) -> None:
    pass


def _content(meeting: Meeting, *, members: bool):
    html, inserts, uploads = _pack_document(meeting, members=members)
    digest = hashlib.sha256((html + uploads + _stylesheet_digest()).encode("utf-8")).hexdigest()
    return html, inserts, digest


def content_digest(meeting: Meeting, *, members: bool) -> str:
    """What identifies the pack the meeting's papers and data make now."""
    return _content(meeting, members=members)[2]


def stored_pack(meeting: Meeting, *, members: bool, digest: str) -> BoardPack | None:
    latest = meeting.packs.filter(variant=variant_of(members)).order_by("-version").first()
    return latest if latest is not None and latest.content_hash == digest else None


def current_pack(
    meeting: Meeting, *, members: bool, acting_user=None, force=False, progress=_no_progress
) -> BoardPack:
    """The stored pack for the meeting's content now, building it only if that changed."""
    progress("Gathering the agenda, papers and live data")
    html, inserts, digest = _content(meeting, members=members)
    variant = variant_of(members)
    latest = meeting.packs.filter(variant=variant).order_by("-version").first()
    if latest is not None and latest.content_hash == digest and not force:
        return latest
    now = timezone.now()
    rendered = render_pdf(_finish(html, now), inserts, progress)
    progress("Saving the pack")
    with transaction.atomic():
        version = (latest.version if latest else 0) + 1
        pack = BoardPack(
            meeting=meeting,
            variant=variant,
            version=version,
            content_hash=digest,
            page_count=rendered.page_count,
            generated_at=now,
            generated_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        name = f"{meeting.board.slug}-{meeting.date:%Y-%m-%d}-{variant}-v{version}.pdf"
        pack.file.save(name, ContentFile(rendered.content), save=False)
        pack.save()
    return pack


def request_build(meeting: Meeting, *, members: bool, digest: str, force=False) -> PackBuild:
    """The background build of this content: the latest one asked for, or a new one queued.

    A build that failed is not retried by asking again (every poll would queue another failing
    build); new content, or a forced rebuild, tries again. A build whose worker went silent for
    PACK_BUILD_STALE_AFTER seconds is failed as stale and queued again as the next attempt, up
    to PACK_BUILD_ATTEMPTS. With the tests' immediate backend the build has finished when this
    returns.
    """
    variant = variant_of(members)
    attempt = 1
    if not force:
        latest = PackBuild.objects.filter(
            meeting=meeting, variant=variant, content_hash=digest
        ).first()
        if latest is None:
            pass
        elif latest.is_stale(timezone.now()):
            latest = _fail_as_stale(latest)
            if latest.attempt >= settings.PACK_BUILD_ATTEMPTS:
                return latest
            attempt = latest.attempt + 1
        else:
            return latest
    return _queue_build(
        meeting=meeting, variant=variant, digest=digest, force=force, attempt=attempt
    )


def _fail_as_stale(build: PackBuild) -> PackBuild:
    seconds = settings.PACK_BUILD_STALE_AFTER
    PackBuild.objects.filter(
        pk=build.pk, state__in=[PackBuild.State.QUEUED, PackBuild.State.RUNNING]
    ).update(
        state=PackBuild.State.FAILED,
        error=f"Stale: no progress for {seconds} seconds at “{build.step or 'waiting to start'}”; "
        "the pack worker stopped or was restarted.",
        updated_at=timezone.now(),
    )
    build.refresh_from_db()
    return build


def _queue_build(*, meeting, variant, digest, force, attempt) -> PackBuild:
    from boards.meetings.tasks import build_board_pack

    build = PackBuild.objects.create(
        meeting=meeting, variant=variant, content_hash=digest, attempt=attempt
    )
    build_board_pack.enqueue(build.pk, force)
    build.refresh_from_db()
    return build


def pack_filename(pack: BoardPack) -> str:
    meeting = pack.meeting
    suffix = "members-pack" if pack.variant == BoardPack.Variant.MEMBERS else "pack"
    return f"{meeting.board.slug}-{meeting.date:%Y-%m-%d}-{suffix}.pdf"
