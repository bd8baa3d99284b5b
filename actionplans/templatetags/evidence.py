from django import template

from actionplans.evidence import kind_of
from actionplans.models import ReturnEvidence

register = template.Library()


@register.simple_tag
def evidence_for(history, user) -> dict[int, list[ReturnEvidence]]:
    """{% evidence_for history user as evidence %}: the files `user` may open, by return, for
    every return in the output page's history, in one query."""
    updates = [row[0] if isinstance(row, tuple | list) else row for row in history]
    if not updates:
        return {}
    found: dict[int, list[ReturnEvidence]] = {}
    for evidence in ReturnEvidence.objects.visible_to(user).filter(update__in=updates):
        found.setdefault(evidence.update_id, []).append(evidence)
    return found


@register.filter
def evidence_kind(evidence: ReturnEvidence) -> str:
    """'PDF', 'Word document': what the file was found to be."""
    kind = kind_of(evidence.content_type)
    return kind.label if kind else "File"
