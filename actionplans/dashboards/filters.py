"""The dashboards' selection: which quarter, and which outputs (the same filters on every page)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from actionplans.dashboards import queries as dashboards
from actionplans.models import ActionPlan, Output, Priority, Programme, Quarter, Status
from actionplans.quarters import QuarterForm, quarter_from_request, reading_quarter
from boards.models import Board, Organisation
from leeds_communities.filters import SearchFilter
from neighbourhoods.models import CommunityCommittee, PriorityNeighbourhood, Ward


def chosen_quarter(request) -> tuple[Quarter | None, QuarterForm]:
    """The quarter the page is about: the one asked for among those the user may see, else (and
    when the choice is bad, whose errors the form keeps) the latest published."""
    default = reading_quarter(request.user)
    quarter, form = quarter_from_request(
        request,
        quarters=Quarter.objects.visible_to(request.user),
        default=default,
        empty_label="Latest closed",
        missing="There are no published returns for quarter {number} of {year}.",
    )
    return quarter or default, form


def _boards(request):
    return Board.objects.filter(action_plans__isnull=False).distinct().order_by("name")


def _agencies(request):
    leads = Output.objects.filter(lead_agency=OuterRef("pk"))
    return Organisation.objects.filter(Exists(leads)).order_by("name")


def _priorities(request):
    """Only the chosen plan's priorities: a city's worth would make an unusable list."""
    plan = request.GET.get("plan") if request is not None else None
    if not plan:
        return Priority.objects.none()
    return Priority.objects.filter(plan__slug=plan).order_by("order", "title")


class OutputSelection(django_filters.FilterSet):
    """Narrows the outputs a quarter counts; `status` and `red_for` act on that quarter."""

    q = SearchFilter(
        fields=["ref", "title", "lead_officer"],
        help_text="Words in the reference, title or lead officer",
    )
    board = django_filters.ModelChoiceFilter(
        field_name="plan__owner",
        queryset=_boards,
        empty_label="Any board",
        label="Board",
        to_field_name="slug",
    )
    programme = django_filters.ModelChoiceFilter(
        field_name="plan__programme",
        queryset=Programme.objects.order_by("name"),
        empty_label="Any programme",
        label="Programme",
        to_field_name="slug",
    )
    plan = django_filters.ModelChoiceFilter(
        queryset=ActionPlan.objects.order_by("programme__name", "order", "name"),
        empty_label="Any plan",
        label="Plan",
        to_field_name="slug",
    )
    priority = django_filters.ModelChoiceFilter(
        queryset=_priorities, empty_label="Any priority", label="Priority (choose a plan first)"
    )
    scope = django_filters.ChoiceFilter(
        field_name="plan__scope",
        choices=ActionPlan.Scope.choices,
        empty_label="Any scope",
        label="Scope",
    )
    lead_agency = django_filters.ModelChoiceFilter(
        queryset=_agencies, empty_label="Any lead agency", label="Lead agency", to_field_name="slug"
    )
    committee = django_filters.ModelChoiceFilter(
        field_name="target_wards__committee",
        queryset=CommunityCommittee.objects.order_by("name"),
        empty_label="Any committee",
        label="Community committee",
        to_field_name="slug",
        distinct=True,
    )
    ward = django_filters.ModelChoiceFilter(
        field_name="target_wards",
        queryset=Ward.objects.order_by("name"),
        empty_label="Any ward",
        label="Ward",
        to_field_name="slug",
        distinct=True,
    )
    neighbourhood = django_filters.ModelChoiceFilter(
        field_name="target_neighbourhoods",
        queryset=PriorityNeighbourhood.objects.order_by("name"),
        empty_label="Any priority neighbourhood",
        label="Priority neighbourhood",
        to_field_name="slug",
        distinct=True,
    )
    status = django_filters.ChoiceFilter(
        choices=[(s.value, s.label.capitalize()) for s in Status],
        empty_label="Any status",
        label="Status this quarter",
    )
    red_for = django_filters.NumberFilter(
        label="Red for at least (quarters)",
        method="filter_red_for",
        min_value=1,
        max_value=dashboards.STREAK_WINDOW,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )

    change = django_filters.ChoiceFilter(
        label="Change since last quarter",
        choices=list(dashboards.CHANGE_LABELS.items()),
        empty_label="Any",
        method="filter_change",
    )

    class Meta:
        model = Output
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, quarter=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.quarter = quarter
        self._user = getattr(request, "user", None)

    def filter_red_for(self, queryset, name, value):
        if value is None or self.quarter is None:
            return queryset
        return dashboards.red_for_at_least(queryset, self.quarter, int(value), self._user)

    def filter_change(self, queryset, name, value):
        if not value or self.quarter is None:
            return queryset
        return dashboards.changed_outputs(queryset, self.quarter, value, self._user)


SELECTION_PARAMS = [name for name in OutputSelection.base_filters if name not in {"status"}]
