"""Load the boards register drawn from the seed documents (fixtures/boards.json), idempotently."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from boards.models import Board, Membership, Organisation, Person, TermsOfReference, TermsSection


def _fixture_path() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "boards.json"


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def load_boards(path: Path | None = None) -> dict[str, int]:
    data = json.loads((path or _fixture_path()).read_text(encoding="utf-8"))

    orgs = {}
    for row in data["organisations"]:
        orgs[row["name"]], _ = Organisation.objects.update_or_create(
            name=row["name"], defaults={"slug": slugify(row["name"]), "sector": row["sector"]}
        )

    people = {}
    for row in data["people"]:
        people[row["name"]], _ = Person.objects.update_or_create(
            name=row["name"],
            job_title=row.get("job_title", ""),
            defaults={
                "organisation": orgs.get(row.get("organisation")),
                "email": row.get("email", ""),
                "telephone": row.get("telephone", ""),
            },
        )

    boards = {}
    for row in data["boards"]:
        boards[row["name"]], _ = Board.objects.update_or_create(
            name=row["name"],
            defaults={
                "slug": slugify(row["name"]),
                "kind": row["kind"],
                "status": row["status"],
                "established": _date(row.get("established")),
                "disbanded": _date(row.get("disbanded")),
                "dates_note": row.get("dates_note", ""),
                "remit": row.get("remit", ""),
                "source": row.get("source", ""),
            },
        )
    # Relations between boards need every board to exist first.
    for row in data["boards"]:
        board = boards[row["name"]]
        board.reports_to = boards.get(row.get("reports_to"))
        board.succeeded_by = boards.get(row.get("succeeded_by"))
        board.save(update_fields=["reports_to", "succeeded_by"])
        board.links_to.set([boards[name] for name in row.get("links_to", [])])

    for row in data["memberships"]:
        Membership.objects.update_or_create(
            board=boards[row["board"]],
            person=people.get(row.get("person")),
            organisation=orgs.get(row.get("organisation")),
            role=row["role"],
            defaults={
                "statutory_category": row.get("statutory_category", ""),
                "start": _date(row.get("start")),
                "end": _date(row.get("end")),
                "note": row.get("note", ""),
            },
        )

    for row in data["terms"]:
        terms, _ = TermsOfReference.objects.update_or_create(
            board=boards[row["board"]],
            version=row["version"],
            defaults={
                "title": row["title"],
                "status": row["status"],
                "condition": row.get("condition", ""),
                "agreed_on": _date(row.get("agreed_on")),
                "agreed_at_meeting": row.get("agreed_at_meeting", ""),
                "review_date": _date(row.get("review_date")),
                "based_on": row.get("based_on", ""),
                "source": row.get("source", ""),
            },
        )
        terms.sections.all().delete()
        TermsSection.objects.bulk_create(
            TermsSection(terms=terms, order=i, heading=s["heading"], body=s["body"])
            for i, s in enumerate(row["sections"], start=1)
        )

    return {
        "organisations": len(orgs),
        "people": len(people),
        "boards": len(boards),
        "memberships": len(data["memberships"]),
        "terms": len(data["terms"]),
    }
