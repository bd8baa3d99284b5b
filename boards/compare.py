"""Side-by-side comparison of two versions of a board's terms of reference."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from boards.models import TermsOfReference

_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class ComparedSection:
    heading: str
    left: SafeString
    right: SafeString
    changed: bool


def _mark_words(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Word-level diff: removed words in <del> on the left, added words in <ins> on the right."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old_part, new_part = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if old_part:
            left.append(f"<del>{old_part}</del>")
        if new_part:
            right.append(f"<ins>{new_part}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 - parts escaped above


def compare_terms(a: TermsOfReference, b: TermsOfReference) -> list[ComparedSection]:
    """Pair sections by heading, in the order they appear in `a` then any new ones in `b`."""
    left = {s.heading: s.body for s in a.sections.all()}
    right = {s.heading: s.body for s in b.sections.all()}
    headings = list(left) + [h for h in right if h not in left]
    rows = []
    for heading in headings:
        old, new = left.get(heading, ""), right.get(heading, "")
        marked_old, marked_new = _mark_words(old, new)
        rows.append(ComparedSection(heading, marked_old, marked_new, changed=old != new))
    return rows


def compare_fields(a: TermsOfReference, b: TermsOfReference) -> list[tuple[str, str, str, bool]]:
    def fmt_date(d):
        return d.strftime("%-d %B %Y") if d else "—"

    pairs = [
        ("Title", a.title, b.title),
        ("Status", a.get_status_display(), b.get_status_display()),
        ("Subject to", a.condition or "—", b.condition or "—"),
        ("Agreed on", fmt_date(a.agreed_on), fmt_date(b.agreed_on)),
        ("Agreed at", a.agreed_at_meeting or "—", b.agreed_at_meeting or "—"),
        ("Review date", fmt_date(a.review_date), fmt_date(b.review_date)),
        ("Based on", a.based_on or "—", b.based_on or "—"),
    ]
    return [(label, x, y, x != y) for label, x, y in pairs]
