"""The quarter rules, in one place: the UK financial year and its quarters, which quarter a person
reports on, which one reading pages open on, whose returns a person may see (the publication
rule), and one form that reads `?year=2006/07&quarter=3` from a request.

Every page, export, pack and command asks here; nothing else computes a quarter.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.db import models
from django.db.models import Q

_YEAR = re.compile(r"^(\d{4})/(\d{2})$", re.ASCII)

QUARTER_CHOICES = [
    (1, "Quarter 1 (April to June)"),
    (2, "Quarter 2 (July to September)"),
    (3, "Quarter 3 (October to December)"),
    (4, "Quarter 4 (January to March)"),
]


def parse_financial_year(text: str) -> int:
    """'2006/07' → 2006. Raises ValueError with a message a person can act on."""
    match = _YEAR.match(text.strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"“{text}” is not a financial year; write it like 2006/07.")
    return int(match[1])


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_quarter_number(value) -> int:
    """'3' → 3. Raises ValueError unless it is 1, 2, 3 or 4 (in ASCII digits)."""
    text = str(value).strip()
    # isdigit() is true of "¹" and "٣" too: only ASCII digits are quarters.
    if not (text.isascii() and text.isdigit()) or int(text) not in (1, 2, 3, 4):
        raise ValueError(f"“{value}” is not a quarter; use 1, 2, 3 or 4.")
    return int(text)


def year_and_number_of(day: datetime.date) -> tuple[int, int]:
    """The financial year (by its first calendar year) and quarter that contain `day`."""
    year = day.year if day.month >= 4 else day.year - 1
    return year, (day.month - 4) % 12 // 3 + 1


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    return datetime.date(day.year + index // 12, index % 12 + 1, 1)


def quarter_start(year: int, number: int) -> datetime.date:
    month = 4 + 3 * (number - 1)
    return datetime.date(year + (month > 12), (month - 1) % 12 + 1, 1)


def quarter_end(year: int, number: int) -> datetime.date:
    return _add_months(quarter_start(year, number), 3) - datetime.timedelta(days=1)


def default_deadline(year: int, number: int) -> datetime.date:
    """Returns are due by the last day of the month after the quarter ends (30 April for Q4)."""
    return _add_months(quarter_end(year, number), 2) - datetime.timedelta(days=1)


def _not_before(year: int, number: int) -> Q:
    return Q(year__gt=year) | Q(year=year, number__gte=number)


def _not_after(year: int, number: int) -> Q:
    return Q(year__lt=year) | Q(year=year, number__lte=number)


class QuarterQuerySet(models.QuerySet):
    def containing(self, day: datetime.date):
        year, number = year_and_number_of(day)
        return self.filter(year=year, number=number)

    def visible_to(self, user):
        """The publication rule: the public sees the returns of closed quarters only; signed-in
        people also see the returns coming in for open ones."""
        if user is not None and user.is_authenticated:
            return self.all()
        return self.filter(state=Quarter.State.CLOSED)

    def within(self, start: datetime.date | None, end: datetime.date | None):
        """The quarters that overlap the period from `start` to `end` (either may be open)."""
        quarters = self
        if start:
            quarters = quarters.filter(_not_before(*year_and_number_of(start)))
        if end:
            quarters = quarters.filter(_not_after(*year_and_number_of(end)))
        return quarters

    def up_to(self, quarter: Quarter):
        return self.filter(_not_after(quarter.year, quarter.number))

    def chronological(self):
        return self.order_by("year", "number")

    def newest(self) -> Quarter | None:
        return self.order_by("-year", "-number").first()

    def open_for_returns(self):
        return self.filter(state=Quarter.State.OPEN)

    def latest_closed(self) -> Quarter | None:
        return self.filter(state=Quarter.State.CLOSED).newest()

    def ensure(self, year: int, number: int, *, state: str | None = None) -> Quarter:
        """The quarter, created with the default deadline if it does not exist yet."""
        quarter, _ = self.get_or_create(
            year=year,
            number=number,
            defaults={
                "deadline": default_deadline(year, number),
                "state": state or Quarter.State.OPEN,
            },
        )
        return quarter

    def get_by_label(self, year: str, number) -> Quarter:
        """`year` like '2006/07', `number` 1–4; raises ValueError or Quarter.DoesNotExist."""
        return self.get(year=parse_financial_year(year), number=parse_quarter_number(number))


class Quarter(models.Model):
    """A quarter of the UK financial year: Q1 Apr–Jun, Q2 Jul–Sep, Q3 Oct–Dec, Q4 Jan–Mar."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    year = models.PositiveIntegerField(help_text="The calendar year the financial year starts in.")
    number = models.PositiveSmallIntegerField()
    deadline = models.DateField(help_text="Returns are due by the end of this day.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    reopened_until = models.DateField(
        null=True,
        blank=True,
        help_text="Reopened after its deadline: officers may record returns until the end of "
        "this day.",
    )

    objects = QuarterQuerySet.as_manager()

    class Meta:
        app_label = "actionplans"
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="quarter_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=4),
                name="quarter_number_1_to_4",
                violation_error_code="bad_quarter",
            ),
        ]

    def __str__(self):
        return f"Quarter {self.number} {self.year_label}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def start(self) -> datetime.date:
        return quarter_start(self.year, self.number)

    @property
    def end(self) -> datetime.date:
        return quarter_end(self.year, self.number)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def closes_on(self) -> datetime.date:
        """The last day officers may record returns: the deadline, or a later reopening's end."""
        if self.reopened_until and self.reopened_until > self.deadline:
            return self.reopened_until
        return self.deadline

    def due_to_close(self, today: datetime.date) -> bool:
        """Whether an open quarter should close: the day it closes on has ended."""
        return self.is_open and today > self.closes_on

    @property
    def ordinal(self) -> int:
        """The quarter's place in time: one more for each quarter later."""
        return self.year * 4 + self.number - 1

    @property
    def query(self) -> dict[str, str]:
        """The quarter as a page's query string gives it."""
        return {"year": self.year_label, "quarter": str(self.number)}

    @staticmethod
    def year_and_number_of(day: datetime.date) -> tuple[int, int]:
        return year_and_number_of(day)

    def previous(self) -> tuple[int, int]:
        return (self.year, self.number - 1) if self.number > 1 else (self.year - 1, 4)


# --- which quarter ------------------------------------------------------------------------------


def reporting_quarter() -> Quarter | None:
    """The quarter officers report on: of the open quarters, the one whose deadline comes first;
    when none is open, the latest there is (so the pages still say what was asked last)."""
    return (
        Quarter.objects.open_for_returns().order_by("deadline", "year", "number").first()
        or Quarter.objects.newest()
    )


def reading_quarter(user, quarters=None) -> Quarter | None:
    """The quarter reading pages (summary, dashboards, plans, profiles, packs) open on: the latest
    closed quarter `user` may see, else the latest they may see at all. `quarters`, if given, is
    the choice already narrowed to what `user` may see (a plan's period, in order)."""
    if quarters is None:
        quarters = Quarter.objects.visible_to(user).chronological()
    quarters = list(quarters)
    closed = [q for q in quarters if not q.is_open]
    return (closed or quarters or [None])[-1]


def quarter_sequence(quarter: Quarter, count: int, user=None) -> list[Quarter]:
    """`count` quarters ending with `quarter`, oldest first, across financial years. Quarters
    with no row yet, and those whose returns `user` may not see (for the public: open ones),
    come back unsaved: they count nothing (`status_expression(counted_only=True)` is NULL)."""
    wanted = [(quarter.year, quarter.number)]
    while len(wanted) < count:
        wanted.append(Quarter(year=wanted[-1][0], number=wanted[-1][1]).previous())
    saved = {
        (q.year, q.number): q
        for q in Quarter.objects.visible_to(user).filter(
            year__gte=wanted[-1][0], year__lte=wanted[0][0]
        )
    }
    sequence = [saved.get(key) or Quarter(year=key[0], number=key[1]) for key in reversed(wanted)]
    # The quarter asked about is the page's own, already chosen among those `user` may see.
    sequence[-1] = quarter
    return sequence


# --- a quarter from a request -------------------------------------------------------------------


class QuarterForm(forms.Form):
    """A quarter chosen by `?year=2006/07&quarter=3` among `quarters` (those a person may see,
    or a plan's). With `required=False` both may be left empty: the page then opens on its
    default. `cleaned_data["chosen"]` is the Quarter, or None."""

    year = forms.ChoiceField(
        label="Financial year",
        error_messages={
            "required": "Choose a financial year",
            "invalid_choice": "“%(value)s” is not a financial year with quarters; choose one "
            "from the list",
        },
    )
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        empty_value=None,
        choices=QUARTER_CHOICES,
        error_messages={
            "required": "Choose a quarter",
            "invalid_choice": "“%(value)s” is not a quarter; choose quarter 1, 2, 3 or 4",
        },
    )

    def __init__(
        self,
        data=None,
        *,
        quarters,
        required=True,
        empty_label="",
        missing="There is no Quarter {number} {year} to report on",
        **kwargs,
    ):
        super().__init__(data, **kwargs)
        self.missing = missing
        self.quarters = {(q.year_label, q.number): q for q in quarters}
        self.years = [
            financial_year_label(y) for y in sorted({q.year for q in quarters}, reverse=True)
        ]
        year_choices = [(label, label) for label in self.years]
        quarter_choices = list(QUARTER_CHOICES)
        if not required:
            year_choices.insert(0, ("", empty_label))
            quarter_choices.insert(0, ("", empty_label))
        self.fields["year"].choices = year_choices
        self.fields["quarter"].choices = quarter_choices
        for field in ("year", "quarter"):
            self.fields[field].required = required

    def clean(self):
        cleaned = super().clean()
        year, number = cleaned.get("year"), cleaned.get("quarter")
        cleaned["chosen"] = None
        if self.errors or (not year and not number):
            return cleaned
        if not (year and number):
            raise forms.ValidationError(
                "Choose both a financial year and a quarter, or neither.", code="incomplete"
            )
        cleaned["chosen"] = self.quarters.get((year, number))
        if cleaned["chosen"] is None:
            self.add_error("quarter", self.missing.format(number=number, year=year))
        return cleaned

    @classmethod
    def for_initial(cls, quarter: Quarter | None, **kwargs) -> QuarterForm:
        """An unbound form showing `quarter` as chosen."""
        form = cls(**kwargs)
        if quarter is not None:
            form.initial = {"year": quarter.year_label, "quarter": quarter.number}
        return form


def quarter_from_request(request, *, quarters, default, required=False, **form_kwargs):
    """(the quarter, the form): the one asked for in the query string among `quarters`, else
    `default` (a Quarter, or a callable giving one, called only when nothing was asked). A bad
    choice keeps the form's errors and returns None."""
    asked = {k: request.GET[k] for k in ("year", "quarter") if request.GET.get(k, "").strip()}
    if not asked:
        chosen = default() if callable(default) else default
        return chosen, QuarterForm.for_initial(
            chosen, quarters=quarters, required=required, **form_kwargs
        )
    form = QuarterForm(request.GET, quarters=quarters, required=required, **form_kwargs)
    if form.is_valid():
        return form.cleaned_data["chosen"], form
    return None, form
