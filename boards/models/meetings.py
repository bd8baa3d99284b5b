"""Meetings of boards: agendas, committee reports with the Leeds front sheet, appendices,
decisions, attendance, declarations of interest, actions arising and the stored board packs.

Exempt information (Access to Information Procedure Rules, Schedule 12A) is visible only to
governance support and members of the board it belongs to; every read starts from `for_user`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from boards.models.register import Board, Membership, Person
from leeds_communities.roles import is_governance_support
from leeds_communities.text import text_blocks


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


def _exempt_visible_q(user, board_field: str) -> Q:
    if is_governance_support(user):
        return Q()
    return Q(is_exempt=False) | Q(**{f"{board_field}__in": member_board_ids(user)})


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
            "boards:meeting_detail", kwargs={"slug": self.board.slug, "meeting_id": self.pk}
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


class ReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Exempt reports reach only governance support and the board's members."""
        return self.filter(_exempt_visible_q(user, "board_id"))


class Report(models.Model):
    """A committee report with the Leeds front sheet."""

    class Wards(models.TextChoices):
        NONE = "none", "No specific wards"
        ALL = "all", "All wards"
        NAMED = "named", "Named wards"

    board = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        related_name="reports",
        help_text="The board it is written for; its members may read it if it is exempt.",
    )
    subject = models.CharField(max_length=500)
    report_of = models.CharField(max_length=300, help_text="e.g. Director of Communities.")
    report_to = models.CharField(max_length=300)
    date = models.DateField(null=True, blank=True)
    date_note = models.CharField(
        max_length=100, blank=True, help_text="How the report dates itself, e.g. 'April 2007'."
    )
    author_name = models.CharField(max_length=300, blank=True)
    author_telephone = models.CharField(max_length=60, blank=True)
    author_email = models.EmailField(blank=True)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authored_reports",
        help_text="The account of the author, who may edit the report.",
    )
    wards_affected = models.CharField(max_length=10, choices=Wards.choices, blank=True)
    wards_named = models.CharField(max_length=500, blank=True)
    equality_implications = models.BooleanField(
        null=True, blank=True, help_text="Equality and diversity / cohesion and integration."
    )
    eligible_for_call_in = models.BooleanField(null=True, blank=True)
    is_exempt = models.BooleanField(
        "contains confidential or exempt information",
        default=False,
    )
    exempt_rule = models.CharField(
        "access to information procedure rule",
        max_length=100,
        blank=True,
        help_text="e.g. 10.4 (3) — the Schedule 12A paragraph.",
    )
    exempt_appendix = models.CharField(
        "exempt appendix number", max_length=50, blank=True, help_text="If only an appendix is."
    )
    summary = models.TextField("summary of main issues", blank=True)
    background_documents = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "subject"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_exempt=False) | ~Q(exempt_rule=""),
                name="report_exempt_names_rule",
                violation_error_message="Name the access to information procedure rule.",
                violation_error_code="exempt_without_rule",
            ),
            models.CheckConstraint(
                condition=~Q(wards_affected="named") | ~Q(wards_named=""),
                name="report_named_wards_listed",
                violation_error_message="Name the wards affected.",
                violation_error_code="wards_not_named",
            ),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("reports:report_detail", kwargs={"report_id": self.pk})

    @property
    def date_label(self) -> str:
        if self.date_note:
            return self.date_note
        return self.date.strftime("%-d %B %Y") if self.date else "Not recorded"

    @property
    def wards_label(self) -> str:
        if self.wards_affected == self.Wards.NAMED:
            return self.wards_named
        return self.get_wards_affected_display() if self.wards_affected else "Not stated"

    @property
    def exemption_label(self) -> str:
        """The notice that stands in for exempt material: names the paragraph, nothing more."""
        return f"Access to Information Procedure Rule {self.exempt_rule}"

    @property
    def summary_blocks(self):
        return text_blocks(self.summary)

    @property
    def equality_label(self) -> str:
        return yes_no(self.equality_implications)

    @property
    def call_in_label(self) -> str:
        return yes_no(self.eligible_for_call_in)

    @property
    def exemption_answer(self) -> str:
        """The front sheet's answer: names the rule and appendix, never what is exempt.
        Uses the prefetched appendices when there are any."""
        if self.is_exempt:
            answer = f"Yes: {self.exemption_label}"
            return answer + (f", appendix {self.exempt_appendix}" if self.exempt_appendix else "")
        exempt = [a for a in self.appendices.all() if a.is_exempt]
        if not exempt:
            return "No"
        return "Yes: " + "; ".join(f"appendix {a.number}, {a.exemption_label}" for a in exempt)

    def can_be_edited_by(self, user) -> bool:
        return is_governance_support(user) or (
            user.is_authenticated and self.author_user_id == user.pk
        )


def yes_no(value: bool | None) -> str:
    return "Not stated" if value is None else ("Yes" if value else "No")


class ReportSection(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField()
    number = models.CharField(max_length=20, blank=True, help_text="As the report numbers it.")
    heading = models.CharField(max_length=300)
    body = models.TextField(help_text="Paragraphs separated by a blank line; '- ' for bullets.")

    class Meta:
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "order"], name="report_section_unique_order")
        ]

    def __str__(self):
        return f"{self.number} {self.heading}".strip()

    def blocks(self) -> list[tuple[str, str | list[str]]]:
        return text_blocks(self.body)


class Recommendation(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="recommendations")
    order = models.PositiveIntegerField()
    number = models.CharField(max_length=20, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "order"], name="recommendation_unique_order")
        ]

    def __str__(self):
        return f"{self.number} {self.text[:60]}".strip()


class AppendixQuerySet(models.QuerySet):
    def for_user(self, user):
        """Exempt appendices reach only governance support and the board's members."""
        return self.filter(_exempt_visible_q(user, "report__board_id"))


class Appendix(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", "Authored text"
        PDF = "pdf", "Uploaded PDF"
        LIVE_SUMMARY = "live_summary", "Live summary progress table"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="appendices")
    order = models.PositiveIntegerField()
    number = models.CharField(max_length=20, help_text="e.g. 1 or A.")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TEXT)
    body = models.TextField(blank=True)
    file = models.FileField(upload_to="appendices/", blank=True)
    programme = models.ForeignKey(
        "actionplans.Programme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a live summary table: the programme it summarises.",
    )
    quarter = models.ForeignKey(
        "actionplans.Quarter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a live summary table: the quarter.",
    )
    is_exempt = models.BooleanField(default=False)
    exempt_rule = models.CharField(
        "access to information procedure rule", max_length=100, blank=True
    )
    demonstration = models.BooleanField(
        default=False, help_text="Made up to show how exempt material is handled; not real."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppendixQuerySet.as_manager()

    class Meta:
        ordering = ["report", "order"]
        verbose_name_plural = "appendices"
        constraints = [
            models.UniqueConstraint(fields=["report", "order"], name="appendix_unique_order"),
            models.CheckConstraint(
                condition=Q(is_exempt=False) | ~Q(exempt_rule=""),
                name="appendix_exempt_names_rule",
                violation_error_message="Name the access to information procedure rule.",
                violation_error_code="exempt_without_rule",
            ),
            models.CheckConstraint(
                condition=~Q(kind="live_summary")
                | Q(programme__isnull=False, quarter__isnull=False),
                name="appendix_live_summary_has_quarter",
                violation_error_message="A live summary table needs a programme and a quarter.",
                violation_error_code="live_summary_incomplete",
            ),
        ]

    def __str__(self):
        return f"Appendix {self.number}: {self.title}"

    @property
    def exemption_label(self) -> str:
        return f"Access to Information Procedure Rule {self.exempt_rule}"

    def blocks(self):
        return text_blocks(self.body)


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


class BoardPack(models.Model):
    """A stored board pack: built once per content hash, served from the file afterwards."""

    class Variant(models.TextChoices):
        PUBLIC = "public", "Public pack"
        MEMBERS = "members", "Members' pack"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    variant = models.CharField(max_length=10, choices=Variant.choices)
    version = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    file = models.FileField(upload_to="packs/")
    page_count = models.PositiveIntegerField()
    generated_at = models.DateTimeField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "variant", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "variant", "version"], name="board_pack_unique_version"
            )
        ]

    def __str__(self):
        return f"{self.get_variant_display()} v{self.version}, {self.meeting}"


class PackBuild(models.Model):
    """A pack being built in the background, so a download page can show how far it has got."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="pack_builds")
    variant = models.CharField(max_length=10, choices=BoardPack.Variant.choices)
    content_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    step = models.CharField(max_length=200, blank=True)
    pack = models.ForeignKey(
        BoardPack, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["meeting", "variant", "content_hash"])]

    def __str__(self):
        return f"{self.get_variant_display()} of {self.meeting}: {self.get_state_display()}"
