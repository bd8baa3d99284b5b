"""The register of boards: organisations, people, boards, memberships and terms of reference."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from leeds_communities.roles import Role as UserRole
from leeds_communities.roles import has_role, is_governance_support


class Sector(models.TextChoices):
    PUBLIC = "public", "Public"
    PRIVATE = "private", "Private"
    VOLUNTARY_COMMUNITY = "voluntary_community", "Voluntary and community"
    FAITH = "faith", "Faith"
    EDUCATION = "education", "Education"
    ELECTED = "elected", "Elected members"
    PARTNERSHIP = "partnership", "Partnership body"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    sector = models.CharField(max_length=30, choices=Sector.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(models.Model):
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    email = models.EmailField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(fields=["name", "job_title"], name="person_unique_name_title")
        ]

    def __str__(self):
        return self.name


class BoardQuerySet(models.QuerySet):
    def for_user(self, user):
        """Every board in the register is public information."""
        return self.all()

    def active_on(self, day: datetime.date):
        """Boards that existed on `day`: established by then (or undated) and not yet disbanded."""
        return self.filter(
            Q(established__isnull=True) | Q(established__lte=day),
            Q(disbanded__isnull=True) | Q(disbanded__gt=day),
        )


class Board(models.Model):
    class Kind(models.TextChoices):
        STRATEGIC_PARTNERSHIP_BOARD = "spb", "Strategic Partnership Board"
        PARTNERSHIP = "partnership", "Partnership"
        SUB_PARTNERSHIP = "sub_partnership", "Sub-partnership"
        COMMUNITY_SAFETY_PARTNERSHIP = "csp", "Community Safety Partnership"
        DISTRICT_PARTNERSHIP = "district", "District Partnership"
        COMMUNITY_COMMITTEE = "community_committee", "Community Committee"
        NEIGHBOURHOOD_IMPROVEMENT_BOARD = "nib", "Neighbourhood Improvement Board"
        OFFICER_GROUP = "officer_group", "Officer delivery group"
        SCRUTINY_BOARD = "scrutiny", "Scrutiny Board"
        EXECUTIVE_BOARD = "executive", "Executive Board"
        NETWORK = "network", "Network"
        CITY_PARTNERSHIP = "city_partnership", "City partnership board"

    class Status(models.TextChoices):
        SHADOW = "shadow", "Shadow"
        ACTIVE = "active", "Active"
        DISBANDED = "disbanded", "Disbanded"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    established = models.DateField(null=True, blank=True)
    disbanded = models.DateField(null=True, blank=True)
    dates_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="How precisely the sources give the dates, e.g. 'established autumn 2004'.",
    )
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="sub_boards"
    )
    succeeded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors"
    )
    links_to = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="linked_from"
    )
    remit = models.TextField(blank=True)
    source = models.CharField(
        max_length=300, blank=True, help_text="The document the register entry comes from."
    )

    objects = BoardQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(disbanded__isnull=True)
                | Q(established__isnull=True)
                | Q(disbanded__gte=models.F("established")),
                name="board_disbanded_after_established",
                violation_error_message="A board cannot be disbanded before it was established.",
                violation_error_code="disbanded_before_established",
            ),
            models.CheckConstraint(
                condition=~Q(status="disbanded") | Q(disbanded__isnull=False),
                name="board_disbanded_has_date",
                violation_error_message="A disbanded board needs the date it was disbanded.",
                violation_error_code="disbanded_without_date",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("boards:board_detail", kwargs={"slug": self.slug})

    def is_active_on(self, day: datetime.date) -> bool:
        started = self.established is None or self.established <= day
        return started and (self.disbanded is None or self.disbanded > day)

    def memberships_on(self, day: datetime.date):
        return self.memberships.current_on(day)

    def user_is_member(self, user) -> bool:
        """A signed-in person whose profile names them as a current member (or any chair role)."""
        if not user.is_authenticated:
            return False
        person_id = getattr(getattr(user, "profile", None), "person_id", None)
        if person_id is None:
            return False
        return (
            self.memberships.current_on(timezone.localdate()).filter(person_id=person_id).exists()
        )


class MembershipQuerySet(models.QuerySet):
    def current_on(self, day: datetime.date):
        return self.filter(
            Q(start__isnull=True) | Q(start__lte=day), Q(end__isnull=True) | Q(end__gte=day)
        )


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        EXECUTIVE_BOARD_MEMBER = "executive_member", "Executive Board member"
        LEAD_DIRECTOR = "lead_director", "Lead director"
        MEMBER = "member", "Member"
        ADVISER = "adviser", "Adviser"

    class StatutoryCategory(models.TextChoices):
        NONE = "", "None"
        RESPONSIBLE_AUTHORITY = "responsible_authority", "Responsible authority"
        CO_OPERATING_BODY = "co_operating_body", "Co-operating body"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.MEMBER)
    statutory_category = models.CharField(
        max_length=30, choices=StatutoryCategory.choices, blank=True, default=""
    )
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["board", "role", "person__name", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organisation__isnull=False),
                name="membership_names_person_or_organisation",
                violation_error_message="A membership needs a person or an organisation.",
                violation_error_code="no_member",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="membership_ends_after_start",
                violation_error_message="A membership cannot end before it starts.",
                violation_error_code="ends_before_start",
            ),
        ]

    def __str__(self):
        return f"{self.member_name} — {self.get_role_display()}, {self.board}"

    @property
    def member_name(self) -> str:
        return self.person.name if self.person_id else str(self.organisation)

    @property
    def sector_label(self) -> str:
        org = self.organisation or (self.person.organisation if self.person_id else None)
        return org.get_sector_display() if org else "Not recorded"


class TermsOfReferenceQuerySet(models.QuerySet):
    def for_user(self, user):
        """Drafts are working papers: governance support and the board's own members see them."""
        if is_governance_support(user):
            return self.all()
        visible = ~Q(status=TermsOfReference.Status.DRAFT)
        person_id = getattr(getattr(user, "profile", None), "person_id", None)
        if user.is_authenticated and person_id is not None:
            visible |= Q(board__memberships__person_id=person_id)
        return self.filter(visible).distinct()


class TermsOfReference(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"
        AGREED_SUBJECT_TO = "agreed_subject_to", "Agreed subject to a condition"
        SUPERSEDED = "superseded", "Superseded"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="terms")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    condition = models.TextField(
        blank=True, help_text="What the agreement is subject to (required for that status)."
    )
    agreed_on = models.DateField(null=True, blank=True)
    agreed_at_meeting = models.CharField(max_length=300, blank=True)
    review_date = models.DateField(null=True, blank=True)
    based_on = models.CharField(
        max_length=300,
        blank=True,
        help_text="The template it follows, e.g. the SPB standard terms.",
    )
    source = models.CharField(max_length=300, blank=True)

    objects = TermsOfReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["board", "-version"]
        verbose_name = "terms of reference"
        verbose_name_plural = "terms of reference"
        constraints = [
            models.UniqueConstraint(fields=["board", "version"], name="terms_unique_version"),
            models.CheckConstraint(
                condition=~Q(status="agreed_subject_to") | ~Q(condition=""),
                name="terms_condition_when_subject_to",
                violation_error_message="Say what the agreement is subject to.",
                violation_error_code="condition_missing",
            ),
        ]

    def __str__(self):
        return f"{self.board} terms of reference, version {self.version}"

    def get_absolute_url(self):
        return reverse(
            "boards:terms_detail", kwargs={"slug": self.board.slug, "version": self.version}
        )


class TermsSection(models.Model):
    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField()
    heading = models.CharField(max_length=300)
    body = models.TextField()

    class Meta:
        ordering = ["terms", "order"]
        constraints = [
            models.UniqueConstraint(fields=["terms", "order"], name="terms_section_unique_order")
        ]

    def __str__(self):
        return f"{self.order}. {self.heading}"


class Profile(models.Model):
    """What the register knows about a user: the person they are and the agency they work for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="users"
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="An officer's agency: they update the outputs it leads.",
    )

    def __str__(self):
        return f"Profile of {self.user}"

    @property
    def is_officer(self) -> bool:
        return has_role(self.user, UserRole.OFFICER)
