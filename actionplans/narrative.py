"""Load the narrative performance reports drawn from seed 001 (fixtures/narrative_reports.json).

Idempotent: a report is found by its board, title and section, and its performance areas are
replaced by the fixture's, so running it again changes nothing.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from actionplans.models import NarrativeReport, PerformanceArea
from boards.models import Board


def _fixture_path() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "narrative_reports.json"


@transaction.atomic
def load_narrative_reports(path: Path | None = None) -> dict[str, int]:
    data = json.loads((path or _fixture_path()).read_text(encoding="utf-8"))
    reports = areas = 0
    for row in data["reports"]:
        report, _ = NarrativeReport.objects.update_or_create(
            board=Board.objects.get(name=row["board"]),
            title=row["title"],
            section=row.get("section", ""),
            defaults={
                "period_label": row["period_label"],
                "reported": datetime.date.fromisoformat(row["reported"]),
                "reported_note": row.get("reported_note", ""),
                "source": row.get("source", ""),
            },
        )
        report.areas.all().delete()
        PerformanceArea.objects.bulk_create(
            PerformanceArea(
                report=report,
                order=order,
                name=area["name"],
                strategic_links=area.get("strategic_links", ""),
                summary_comments=area.get("summary_comments", ""),
            )
            for order, area in enumerate(row["areas"], start=1)
        )
        reports += 1
        areas += len(row["areas"])
    return {"narrative reports": reports, "performance areas": areas}
