"""Side-by-side comparison of two versions of a board's terms of reference."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from boards.models import TermsOfReference

_WORD = re.compile(r"(\S+)(\s*)")
_SENTENCE_ENDS = (".", "!", "?", ";", ":")


@dataclass(frozen=True)
class ComparedSection:
    heading: str
    left: SafeString
    right: SafeString
    changed: bool


def _words(text: str) -> tuple[str, list[str], list[str]]:
    """The text's leading space, then its words and the space after each."""
    lead = text[: len(text) - len(text.lstrip())]
    pairs = _WORD.findall(text)
    return lead, [w for w, _ in pairs], [s for _, s in pairs]


def _sentences(words: list[str], spaces: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each run of words up to a full stop, colon, semicolon or line break."""
    spans, start = [], 0
    for i, (word, space) in enumerate(zip(words, spaces, strict=True)):
        if word.endswith(_SENTENCE_ENDS) or "\n" in space:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(words):
        spans.append((start, len(words)))
    return spans


def _word_opcodes(a: list[str], b: list[str]):
    """difflib's opcodes over two word lists.

    The first pass lets difflib ignore words as common as "the" as anchors (its autojunk
    heuristic, which acts only on lists of 200 words or more), which keeps a long stretch near
    linear; each changed stretch it leaves is compared again on its own, where those words can
    match, so the marks stay as fine as a full comparison's."""
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if op != "replace":
            yield op, i1, i2, j1, j2
            continue
        inner = difflib.SequenceMatcher(None, a[i1:i2], b[j1:j2])
        for op2, x1, x2, y1, y2 in inner.get_opcodes():
            yield op2, i1 + x1, i1 + x2, j1 + y1, j1 + y2


def _opcodes(a: list[str], a_space: list[str], b: list[str], b_space: list[str]):
    """Opcodes over the words, found sentence by sentence first: sentences are nearly all
    distinct, so matching them is near linear, and only the sentences that differ are compared
    word by word. Neighbouring opcodes of the same kind are merged."""
    sa, sb = _sentences(a, a_space), _sentences(b, b_space)
    keys_a = [tuple(a[i:j]) for i, j in sa]
    keys_b = [tuple(b[i:j]) for i, j in sb]
    merged: list[list] = []

    def emit(op, i1, i2, j1, j2):
        if merged and merged[-1][0] == op and op != "replace":
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([op, i1, i2, j1, j2])

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, keys_a, keys_b).get_opcodes():
        w1 = sa[i1][0] if i1 < len(sa) else len(a)
        w2 = sa[i2 - 1][1] if i2 > i1 else w1
        v1 = sb[j1][0] if j1 < len(sb) else len(b)
        v2 = sb[j2 - 1][1] if j2 > j1 else v1
        if op == "equal":
            emit(op, w1, w2, v1, v2)
            continue
        for op2, x1, x2, y1, y2 in _word_opcodes(a[w1:w2], b[v1:v2]):
            emit(op2, w1 + x1, w1 + x2, v1 + y1, v1 + y2)
    return merged


def _mark_words(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Word-level diff: removed words in <del> on the left, added words in <ins> on the right.
    Words are compared, not the spaces between them: a change of spacing alone is not marked."""
    (old_lead, a, a_space), (new_lead, b, b_space) = _words(old), _words(new)
    left, right = [escape(old_lead)], [escape(new_lead)]

    def part(words, spaces, start, end, tag=None):
        if start == end:
            return ""
        text = "".join(w + s for w, s in zip(words[start:end], spaces[start:end], strict=True))
        if tag is None:
            return escape(text)
        inside = text[: len(text) - len(spaces[end - 1])]
        # The space after the last changed word stays outside the mark.
        return f"<{tag}>{escape(inside)}</{tag}>{escape(spaces[end - 1])}"

    for op, i1, i2, j1, j2 in _opcodes(a, a_space, b, b_space):
        changed = op != "equal"
        left.append(part(a, a_space, i1, i2, "del" if changed else None))
        right.append(part(b, b_space, j1, j2, "ins" if changed else None))
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
