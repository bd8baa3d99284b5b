"""The exempt rule, in one place: who may read exempt information (Access to Information
Procedure Rules, Schedule 12A) — governance support and the current members of the board it
belongs to."""

from django.db.models import Q
from django.utils import timezone

from boards.models import Membership
from leeds_communities.roles import is_governance_support


def member_board_ids(user) -> set[int]:
    """The boards whose exempt papers `user` may read: those they sit on now (one query)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_member_board_ids", None)
    if cached is not None:
        return cached
    person_id = getattr(getattr(user, "profile", None), "person_id", None)
    ids: set[int] = set()
    if person_id is not None:
        ids = set(
            Membership.objects.current_on(timezone.localdate())
            .filter(person_id=person_id)
            .values_list("board_id", flat=True)
        )
    user._member_board_ids = ids
    return ids


def can_see_exempt(user, board_id: int) -> bool:
    """Governance support, and the board's own current members (its chair among them)."""
    return is_governance_support(user) or board_id in member_board_ids(user)


def exempt_visible_q(user, board_field: str) -> Q:
    if is_governance_support(user):
        return Q()
    return Q(is_exempt=False) | Q(**{f"{board_field}__in": member_board_ids(user)})


def withheld(paper, *, may_see_exempt: bool) -> bool:
    """Whether a report or appendix (or None) is withheld from a reader: exempt, and the
    reader may not see exempt information (`can_see_exempt`, or a public pack)."""
    return bool(paper is not None and paper.is_exempt and not may_see_exempt)
