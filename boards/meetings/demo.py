"""Load the meetings and reports drawn from the seeds (fixtures/meetings.json), idempotently."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from actionplans.models import Programme, Quarter
from boards.meetings.models import (
    ActionArising,
    AgendaItem,
    Appendix,
    Decision,
    Meeting,
    Recommendation,
    Report,
    ReportSection,
)
from boards.models import Board


def _fixture_path() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "meetings.json"


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _report(board: Board, spec: dict) -> Report:
    report, _ = Report.objects.update_or_create(
        board=board,
        subject=spec["subject"],
        defaults={
            "report_of": spec["report_of"],
            "report_to": spec["report_to"],
            "date": _date(spec.get("date")),
            "date_note": spec.get("date_note", ""),
            "author_name": spec.get("author_name", ""),
            "author_telephone": spec.get("author_telephone", ""),
            "author_email": spec.get("author_email", ""),
            "wards_affected": spec.get("wards_affected", ""),
            "wards_named": spec.get("wards_named", ""),
            "equality_implications": spec.get("equality_implications"),
            "eligible_for_call_in": spec.get("eligible_for_call_in"),
            "is_exempt": spec.get("is_exempt", False),
            "exempt_rule": spec.get("exempt_rule", ""),
            "summary": spec.get("summary", ""),
            "background_documents": spec.get("background_documents", ""),
            "source": spec.get("source", ""),
        },
    )
    for order, (number, heading, body) in enumerate(spec.get("sections", []), start=1):
        ReportSection.objects.update_or_create(
            report=report,
            order=order,
            defaults={"number": number, "heading": heading, "body": body},
        )
    for order, (number, text) in enumerate(spec.get("recommendations", []), start=1):
        Recommendation.objects.update_or_create(
            report=report, order=order, defaults={"number": number, "text": text}
        )
    for row in spec.get("appendices", []):
        programme = quarter = None
        if row["kind"] == Appendix.Kind.LIVE_SUMMARY:
            programme = Programme.objects.get(name=row["programme"])
            year, number = row["quarter"]
            quarter = Quarter.objects.get(year=year, number=number)
        Appendix.objects.update_or_create(
            report=report,
            order=row["order"],
            defaults={
                "number": row["number"],
                "title": row["title"],
                "kind": row["kind"],
                "body": row.get("body", ""),
                "programme": programme,
                "quarter": quarter,
                "is_exempt": row.get("is_exempt", False),
                "exempt_rule": row.get("exempt_rule", ""),
                "demonstration": row.get("demonstration", False),
            },
        )
    return report


@transaction.atomic
def load_meetings(path: Path | None = None) -> dict[str, int]:
    """Needs the boards register and the action plans (for the live summary appendix)."""
    data = json.loads((path or _fixture_path()).read_text(encoding="utf-8"))
    for spec in data["meetings"]:
        board = Board.objects.get(name=spec["board"])
        meeting, _ = Meeting.objects.update_or_create(
            board=board,
            date=_date(spec["date"]),
            defaults={
                "date_precision": spec.get("date_precision", Meeting.DatePrecision.DAY),
                "date_note": spec.get("date_note", ""),
                "status": spec["status"],
                "venue": spec.get("venue", ""),
                "notes": spec.get("notes", ""),
                "source": spec.get("source", ""),
            },
        )
        for row in spec["items"]:
            report = _report(board, row["report"]) if row.get("report") else None
            item, _ = AgendaItem.objects.update_or_create(
                meeting=meeting,
                order=row["order"],
                defaults={"title": row["title"], "report": report},
            )
            if row.get("decision"):
                Decision.objects.update_or_create(agenda_item=item, defaults=row["decision"])
        for row in spec.get("actions", []):
            ActionArising.objects.get_or_create(
                meeting=meeting,
                text=row["text"],
                defaults={"owner": row.get("owner", ""), "agenda_item": item},
            )
    return {
        "meetings": Meeting.objects.count(),
        "reports": Report.objects.count(),
        "appendices": Appendix.objects.count(),
    }
