"""Meetings of boards: agendas, committee reports with the Leeds front sheet, appendices,
decisions, attendance, declarations of interest, actions arising and the stored board packs.

Exempt information (Access to Information Procedure Rules, Schedule 12A) is visible only to
governance support and members of the board it belongs to; every read starts from `for_user`.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from boards.meetings.models.reports import Report
from boards.models import Board, Person


class MeetingQuerySet(models.QuerySet):
    def for_user(self, user):
        """That a meeting takes place, and its public agenda, are published information."""
        return self.all()

    def between(self, start: datetime.date | None, end: datetime.date | None):
        qs = self
        if start:
            qs = qs.filter(date__gte=start)
        if end:
            qs = qs.filter(date__lte=end)
        return qs

    def upcoming(self, day: datetime.date):
        return self.filter(date__gte=day).exclude(status=Meeting.Status.CANCELLED)


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")

    class DatePrecision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month only"

    date = models.DateField(help_text="The day of the meeting (see the date note for precision).")
    date_precision = models.CharField(
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="'Month only' when the sources give the month but not the day.",
    )
    date_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="How precisely the sources give the date, e.g. 'the report is dated April 2007'.",
    )
    start_time = models.TimeField(null=True, blank=True, help_text="Leave blank if not recorded.")
    venue = models.CharField(max_length=300, blank=True, help_text="Leave blank if not recorded.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    contact = models.CharField(
        max_length=300, blank=True, help_text="Who to ask about the meeting or its papers."
    )
    notes = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time", "board__name"]
        indexes = [models.Index(fields=["board", "date"])]

    def __str__(self):
        return f"{self.board.name}, {self.date_label}"

    def get_absolute_url(self):
        return reverse(
            "meetings:meeting_detail", kwargs={"slug": self.board.slug, "meeting_id": self.pk}
        )

    @property
    def date_label(self) -> str:
        if self.date_precision == self.DatePrecision.MONTH:
            return self.date.strftime("%B %Y")
        return self.date.strftime("%-d %B %Y")

    @property
    def short_date_label(self) -> str:
        if self.date_precision == self.DatePrecision.MONTH:
            return self.date.strftime("%b %Y")
        return self.date.strftime("%-d %b %Y")

    @property
    def time_label(self) -> str:
        if self.start_time is None:
            return "Not recorded"
        return self.start_time.strftime("%-I:%M%p").lower().replace(":00", "")

    @property
    def venue_label(self) -> str:
        return self.venue or "Not recorded"

    @property
    def starts_at(self) -> datetime.datetime | None:
        if self.start_time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveIntegerField()
    title = models.CharField(
        max_length=300, help_text="The agenda heading: published even when the paper is exempt."
    )
    description = models.TextField(blank=True)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    minutes = models.TextField(blank=True, help_text="What was said, if minuted.")

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_item_unique_order")
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"


class Decision(models.Model):
    """What the board resolved on an agenda item."""

    class Outcome(models.TextChoices):
        AGREED = "agreed", "Agreed"
        AGREED_WITH_AMENDMENTS = "agreed_with_amendments", "Agreed with amendments"
        NOT_AGREED = "not_agreed", "Not agreed"
        NOTED = "noted", "Noted"

    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    text = models.TextField("resolution", blank=True)
    source = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return f"{self.agenda_item}: {self.get_outcome_display()}"


class Attendance(models.Model):
    class Kind(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        IN_ATTENDANCE = "in_attendance", "In attendance"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="attendances"
    )
    name = models.CharField(max_length=300, blank=True, help_text="If not in the register.")
    representing = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRESENT)

    class Meta:
        ordering = ["meeting", "kind", "name"]
        verbose_name_plural = "attendance"
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(name=""),
                name="attendance_names_someone",
                violation_error_code="no_attendee",
            )
        ]

    def __str__(self):
        return f"{self.display_name} ({self.get_kind_display()})"

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else self.name


class DeclarationOfInterest(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="declarations"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="declarations"
    )
    name = models.CharField(max_length=300, blank=True)
    interest = models.TextField(help_text="The nature of the interest declared.")

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name_plural = "declarations of interest"

    def __str__(self):
        return f"{self.display_name}: {self.interest[:60]}"

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else self.name


class ActionArising(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    text = models.TextField("action")
    owner = models.CharField(max_length=300, blank=True)
    due = models.DateField(null=True, blank=True)
    output = models.OneToOneField(
        "actionplans.Output",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_arising",
        help_text="The tracked output it became.",
    )

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name_plural = "actions arising"

    def __str__(self):
        return self.text[:80]
