"""The meetings app's models: meetings and their records, committee reports, and board packs."""

from boards.meetings.models.exempt import can_see_exempt, member_board_ids, withheld
from boards.meetings.models.meetings import (
    ActionArising,
    AgendaItem,
    Attendance,
    Decision,
    DeclarationOfInterest,
    Meeting,
    MeetingQuerySet,
)
from boards.meetings.models.packs import BoardPack, PackBuild
from boards.meetings.models.reports import (
    Appendix,
    AppendixQuerySet,
    Recommendation,
    Report,
    ReportQuerySet,
    ReportSection,
)

__all__ = [
    "ActionArising",
    "AgendaItem",
    "Appendix",
    "AppendixQuerySet",
    "Attendance",
    "BoardPack",
    "Decision",
    "DeclarationOfInterest",
    "Meeting",
    "MeetingQuerySet",
    "PackBuild",
    "Recommendation",
    "Report",
    "ReportQuerySet",
    "ReportSection",
    "can_see_exempt",
    "withheld",
    "member_board_ids",
]
