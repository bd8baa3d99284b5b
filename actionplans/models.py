"""Action plans: programmes, plans, priorities, outputs, financial quarters and status updates.

The status of an output for a quarter is derived, never typed in: the rule and the counting rule
live in `actionplans.status`, the quarter rules (and the Quarter model) in `actionplans.quarters`.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from actionplans import freshness
from actionplans import status as status_rule
from actionplans.quarters import (
    Quarter,
    QuarterQuerySet,
    financial_year_label,
    parse_financial_year,
)
from actionplans.status import Rag, Status
from boards.models import Board, Organisation
from leeds_communities.roles import Role, has_role, is_governance_support
from leeds_communities.text import Block, text_blocks


class Programme(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    board = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.SET_NULL, related_name="programmes"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("actionplans:index") + f"?programme={self.slug}"


class ActionPlanQuerySet(models.QuerySet):
    def for_user(self, user):
        """Action plans and their progress are published information."""
        return self.all()

    def covering(self, quarter: Quarter):
        """Plans whose period includes `quarter`."""
        return self.filter(status_rule.plan_covers(quarter))


class ActionPlan(models.Model):
    class Scope(models.TextChoices):
        CITY_WIDE = "city_wide", "City-wide"
        DISTRICT = "district", "District"
        COMMUNITY_COMMITTEE = "community_committee", "Community committee"
        NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"

    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=100, blank=True, help_text="The name in summary tables, e.g. 'North East'."
    )
    slug = models.SlugField(max_length=200, unique=True)
    owner = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="action_plans")
    scope = models.CharField(max_length=30, choices=Scope.choices)
    area = models.CharField(max_length=200, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0, help_text="Position within its programme.")
    illustrative = models.BooleanField(
        default=False,
        help_text="Its outputs were generated to match published totals, not taken from the plan.",
    )
    description = models.TextField(blank=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["programme__name", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="plan_unique_name"),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="plan_period_ends_after_start",
                violation_error_code="period_reversed",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("actionplans:plan_detail", kwargs={"slug": self.slug})

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Priority(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="priorities")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["plan", "order", "title"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="priority_unique_title")
        ]

    def __str__(self):
        return self.title


class OutputQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.all()

    # Writes that send no signal still move the dashboards' data epoch on (`freshness`).
    def bulk_create(self, *args, **kwargs):
        freshness.changed()
        return super().bulk_create(*args, **kwargs)

    def update(self, **kwargs):
        freshness.changed()
        return super().update(**kwargs)

    def led_by_user_agency(self, user):
        organisation_id = getattr(getattr(user, "profile", None), "organisation_id", None)
        if organisation_id is None:
            return self.none()
        return self.filter(lead_agency_id=organisation_id)

    def counted_in(self, quarter: Quarter):
        """The outputs `quarter` counts (the counting rule, `actionplans.status`)."""
        return self.filter(status_rule.counted(quarter))

    def with_status(self, quarter: Quarter, name: str = "status"):
        """Annotate the derived status for `quarter` (the seed's rule) in the same query."""
        return status_rule.with_status(self, quarter, name)


class Output(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="outputs")
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="outputs"
    )
    ref = models.CharField("reference", max_length=40)
    title = models.CharField(max_length=500)
    lead_agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="outputs")
    lead_officer = models.CharField(max_length=200, blank=True)
    commencement = models.DateField("commencement date")
    due = models.DateField("due date", null=True, blank=True)
    withdrawn = models.DateField("withdrawn date", null=True, blank=True)
    completed = models.DateField(
        "completed date", null=True, blank=True, help_text="When the output was delivered."
    )
    illustrative = models.BooleanField(
        default=False, help_text="Generated to match published totals; not a real output."
    )
    version = models.PositiveIntegerField(
        default=0, help_text="Increases with every status update; guards against lost updates."
    )

    objects = OutputQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="output_unique_ref"),
            models.CheckConstraint(
                condition=Q(due__isnull=True) | Q(due__gte=F("commencement")),
                name="output_due_after_commencement",
                violation_error_message="The due date cannot be before the commencement date.",
                violation_error_code="due_before_commencement",
            ),
        ]

    def __str__(self):
        return f"{self.ref} {self.title}"

    def get_absolute_url(self):
        return reverse("actionplans:output_detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.due and self.commencement and self.due < self.commencement:
            raise ValidationError(
                {"due": "The due date cannot be before the commencement date."},
                code="due_before_commencement",
            )

    def can_be_updated_by(self, user) -> bool:
        if is_governance_support(user):
            return True
        if not has_role(user, Role.OFFICER):
            return False
        organisation_id = getattr(getattr(user, "profile", None), "organisation_id", None)
        return organisation_id is not None and organisation_id == self.lead_agency_id


class StatusUpdateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Returns `user` may see: the publication rule of `actionplans.quarters`."""
        return self.filter(quarter__in=Quarter.objects.visible_to(user))

    def bulk_create(self, objs, *args, **kwargs):
        """Bulk returns keep their outputs' latest returns in the same transaction."""
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            status_rule.keep_latest({(u.output_id, u.quarter_id) for u in created})
        return created


class StatusUpdate(models.Model):
    """Append-only: a lead agency's RAG return for one quarter. Never edited, never deleted."""

    class Source(models.TextChoices):
        WEB = "web", "Web form"
        IMPORT = "import", "Spreadsheet import"
        SEED = "seed", "Demo data"

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="updates")
    quarter = models.ForeignKey(Quarter, on_delete=models.PROTECT, related_name="updates")
    rag = models.CharField("RAG status", max_length=5, choices=Rag.choices)
    commentary = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    late_reason = models.TextField(
        blank=True, help_text="Why governance support updated a closed quarter."
    )
    # Required with every Red return by the return rules (`services`); older returns have none.
    corrective_action = models.TextField(
        blank=True, help_text="What is being done to bring the output back on track."
    )
    corrective_action_by = models.DateField(
        "corrective action by", null=True, blank=True, help_text="When it will be done by."
    )
    forecast = models.CharField(
        "forecast at due date",
        max_length=5,
        choices=Rag.choices,
        blank=True,
        help_text="The RAG status the lead agency expects the output to have at its due date.",
    )

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["output", "quarter", "created_at", "pk"]
        indexes = [models.Index(fields=["output", "quarter", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(rag__in=["GREEN", "AMBER", "RED"]),
                name="status_update_rag_reported",
                violation_error_code="bad_rag",
            ),
            models.CheckConstraint(
                condition=Q(rag="GREEN") | ~Q(commentary=""),
                name="status_update_commentary_unless_green",
                violation_error_message="Say why the output is amber or red.",
                violation_error_code="commentary_required",
            ),
            # What and by when come together; a Green return has none (Red needs one: services).
            models.CheckConstraint(
                condition=Q(corrective_action="", corrective_action_by__isnull=True)
                | (~Q(corrective_action="") & Q(corrective_action_by__isnull=False)),
                name="status_update_corrective_action_whole",
                violation_error_message="Say what is being done and by when.",
                violation_error_code="corrective_action_incomplete",
            ),
            models.CheckConstraint(
                condition=~Q(rag="GREEN") | Q(corrective_action=""),
                name="status_update_no_corrective_action_when_green",
                violation_error_code="corrective_action_green",
            ),
            models.CheckConstraint(
                condition=Q(forecast="") | Q(forecast__in=["GREEN", "AMBER", "RED"]),
                name="status_update_forecast_rag",
                violation_error_code="bad_forecast",
            ),
        ]

    def __str__(self):
        return f"{self.output.ref} {self.quarter}: {self.rag}"

    def save(self, *args, **kwargs):
        """Append-only: a return is saved once, and keeps its output's latest return in the same
        transaction (`actionplans.status.keep_latest`), whichever path records it."""
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            status_rule.keep_latest([(self.output_id, self.quarter_id)])

    @property
    def is_late(self) -> bool:
        """Recorded after its quarter's deadline: a late return by governance support (with its
        reason), or an officer's while the quarter was reopened."""
        return bool(self.late_reason) or (
            timezone.localdate(self.created_at) > self.quarter.deadline
        )


class LatestReturn(models.Model):
    """Each output's latest return in each quarter, kept by `actionplans.status.keep_latest` in
    the same transaction as every return (form, import, carry-forward, demo data), so pages join
    it instead of searching each output's history. A copy, never the source: `manage.py
    rebuild_statuses` recomputes it from the status updates. WHITE and BLANK are not stored."""

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="latest_returns")
    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="+")
    # The quarter's `ordinal`, so an output's latest return up to a quarter is one index step.
    quarter_order = models.PositiveIntegerField()
    update = models.ForeignKey(StatusUpdate, on_delete=models.CASCADE, related_name="+")
    rag = models.CharField(max_length=5, choices=Rag.choices)
    commentary = models.TextField(blank=True)
    corrective_action = models.TextField(blank=True)
    corrective_action_by = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["output", "quarter"], name="latest_return_once"),
        ]
        # With the colour included, a quarter's statuses are read from the index alone.
        indexes = [
            models.Index(
                fields=["quarter", "output"], include=["rag"], name="latest_return_by_quarter"
            ),
            models.Index(fields=["output", "-quarter_order"], name="latest_return_up_to"),
        ]

    def __str__(self):
        return f"{self.output_id} {self.quarter_id}: {self.rag}"


class ReturnDraftQuerySet(models.QuerySet):
    def mine(self, user, quarter: Quarter):
        """`user`'s own drafts for `quarter`: a draft is nobody else's to see."""
        if not getattr(user, "is_authenticated", False) or quarter is None:
            return self.none()
        return self.filter(created_by=user, quarter=quarter)


class ReturnDraft(models.Model):
    """A return an officer has started but not submitted. It counts for nothing: no status,
    count, page or publication reads it; submitting it goes through `record_status_update`,
    which removes it. One per output, quarter and officer, so colleagues never overwrite each
    other's; `version` is the output's version the typing was based on, so a return recorded
    by someone else meanwhile is a conflict on submit, never a silent overwrite."""

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="drafts")
    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="return_drafts"
    )
    rag = models.CharField("RAG status", max_length=5, choices=Rag.choices, blank=True)
    commentary = models.TextField(blank=True)
    corrective_action = models.TextField(blank=True)
    corrective_action_by = models.DateField(null=True, blank=True)
    forecast = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    late_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField()
    saved_at = models.DateTimeField()

    objects = ReturnDraftQuerySet.as_manager()

    class Meta:
        ordering = ["output", "quarter", "created_by"]
        constraints = [
            models.UniqueConstraint(
                fields=["output", "quarter", "created_by"], name="return_draft_once"
            ),
        ]

    def __str__(self):
        return f"Draft of {self.output_id} for {self.quarter_id} by {self.created_by_id}"


class NarrativeReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Narrative performance reports are published to scrutiny: public information."""
        return self.all()


class NarrativeReport(models.Model):
    """A board's narrative performance report for a period (seed 001): areas with comments."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="narrative_reports")
    title = models.CharField(max_length=300, help_text="As the report gives it, verbatim.")
    period_label = models.CharField(
        max_length=20, help_text="The period reported on, e.g. 2014/15."
    )
    reported = models.DateField(help_text="When it was reported; see the note for its precision.")
    reported_note = models.CharField(
        max_length=100, blank=True, help_text="How the report dates itself, e.g. 'January 2015'."
    )
    section = models.CharField(max_length=300, blank=True, help_text="The section heading.")
    source = models.CharField(max_length=300, blank=True, help_text="The document it comes from.")

    objects = NarrativeReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported", "title", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "title", "section"], name="narrative_report_unique_section"
            )
        ]

    def __str__(self):
        return f"{self.title} – {self.section}" if self.section else self.title


class PerformanceArea(models.Model):
    report = models.ForeignKey(NarrativeReport, on_delete=models.CASCADE, related_name="areas")
    order = models.PositiveIntegerField()
    name = models.CharField(max_length=300)
    strategic_links = models.CharField(max_length=300, blank=True)
    summary_comments = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "order"], name="performance_area_unique_order"
            )
        ]

    def __str__(self):
        return self.name

    def comment_blocks(self) -> list[Block]:
        return text_blocks(self.summary_comments)


class ReturnReminder(models.Model):
    """A reminder e-mailed to a lead agency whose returns for a quarter were still BLANK. Recorded
    first, sent once the record is committed; a send that fails stays `failed` and the next
    quarter schedule run sends it again, so none is lost."""

    class Kind(models.TextChoices):
        MANUAL = "manual", "Sent by governance support"
        BEFORE = "before", "Before the deadline"
        AFTER = "after", "After the deadline"

    class Delivery(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Sending failed; it will be tried again"

    quarter = models.ForeignKey(Quarter, on_delete=models.PROTECT, related_name="reminders")
    lead_agency = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="return_reminders"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, help_text="The e-mail addresses written to.")
    outstanding = models.PositiveIntegerField(help_text="Outputs still BLANK when it was sent.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MANUAL)
    copied_to = models.JSONField(
        default=list, blank=True, help_text="Addresses copied in (after the deadline)."
    )
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.SENT)
    attempts = models.PositiveSmallIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the last attempt to send it failed.")

    class Meta:
        ordering = ["quarter", "lead_agency", "-sent_at"]
        indexes = [models.Index(fields=["quarter", "lead_agency", "-sent_at"])]
        constraints = [
            # The schedule's reminders go once per agency, quarter and kind.
            models.UniqueConstraint(
                fields=["quarter", "lead_agency", "kind"],
                condition=~Q(kind="manual"),
                name="scheduled_reminder_once",
            )
        ]

    def __str__(self):
        return f"Reminder to {self.lead_agency} for {self.quarter} ({self.sent_at:%Y-%m-%d})"


def _evidence_path(instance, filename: str) -> str:
    """Stored under a random name: the uploader's name is kept for display only."""
    return f"evidence/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class ReturnEvidenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Evidence of the returns `user` may see (the publication rule); for the public, only
        the files governance support has marked public."""
        files = self.filter(update__in=StatusUpdate.objects.visible_to(user))
        if user is None or not user.is_authenticated:
            files = files.filter(public=True)
        return files


class ReturnEvidence(models.Model):
    """A file attached to a return: a PDF, an image or an Office document, its type found from
    its content (`actionplans.evidence`). Private to signed-in people unless made public."""

    update = models.ForeignKey(StatusUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=200)
    original_name = models.CharField(max_length=255, help_text="The file's name when uploaded.")
    size = models.PositiveIntegerField(help_text="In bytes.")
    content_type = models.CharField(max_length=100, help_text="Found from the file's content.")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    public = models.BooleanField(
        default=False,
        help_text="Shown to the public once the return's quarter is published.",
    )

    objects = ReturnEvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["update", "uploaded_at", "pk"]
        verbose_name_plural = "return evidence"

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("actionplans:evidence_file", kwargs={"pk": self.pk})


__all__ = [
    "ActionPlan",
    "NarrativeReport",
    "Output",
    "PerformanceArea",
    "Priority",
    "Programme",
    "Quarter",
    "QuarterQuerySet",
    "Rag",
    "ReturnDraft",
    "ReturnEvidence",
    "ReturnReminder",
    "Status",
    "StatusUpdate",
    "financial_year_label",
    "parse_financial_year",
]
