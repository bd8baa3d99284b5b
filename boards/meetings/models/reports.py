"""Committee reports with the Leeds front sheet, their sections, recommendations and
appendices. Exempt ones reach only those the exempt rule allows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from boards.meetings.models.exempt import exempt_visible_q
from boards.models import Board
from leeds_communities.roles import is_governance_support
from leeds_communities.text import text_blocks


class ReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Exempt reports reach only governance support and the board's members."""
        return self.filter(exempt_visible_q(user, "board_id"))


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
    body_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Counts saves of the sections and recommendations, so a stale form is refused.",
    )
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
        return reverse("meetings:report_detail", kwargs={"report_id": self.pk})

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
        return self.filter(exempt_visible_q(user, "report__board_id"))


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
