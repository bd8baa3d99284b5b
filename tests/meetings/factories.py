"""Factories for meetings, reports and their parts."""

import datetime

import factory

from boards.meetings.models import (
    ActionArising,
    AgendaItem,
    Appendix,
    Attendance,
    Decision,
    Meeting,
    Recommendation,
    Report,
    ReportSection,
)
from tests.factories import BoardFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    board = factory.SubFactory(BoardFactory)
    date = datetime.date(2013, 5, 24)
    status = Meeting.Status.HELD


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    board = factory.SubFactory(BoardFactory)
    subject = factory.Sequence(lambda n: f"Report subject {n}")
    report_of = "Director of Communities"
    report_to = factory.LazyAttribute(lambda o: o.board.name)
    date = datetime.date(2013, 5, 16)
    author_name = "Report Author"
    summary = "A summary of the main issues."


class ExemptReportFactory(ReportFactory):
    is_exempt = True
    exempt_rule = "10.4 (3)"


class ReportSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSection

    report = factory.SubFactory(ReportFactory)
    order = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"{o.order}.0")
    heading = factory.Sequence(lambda n: f"Section {n}")
    body = "Section text."


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    report = factory.SubFactory(ReportFactory)
    order = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"7.{o.order}")
    text = "That the board agrees."


class AppendixFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appendix

    report = factory.SubFactory(ReportFactory)
    order = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: str(o.order))
    title = factory.Sequence(lambda n: f"Appendix title {n}")
    kind = Appendix.Kind.TEXT
    body = "Appendix text."


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    agenda_item = factory.SubFactory(AgendaItemFactory)
    outcome = Decision.Outcome.AGREED
    text = "Agreed."


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Attendee {n}")
    kind = Attendance.Kind.PRESENT


class ActionArisingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionArising

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Action arising {n}")
    owner = "Governance support"
