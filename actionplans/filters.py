import django_filters

from actionplans.models import ActionPlan, Output, Programme, Status
from boards.models import Board
from leeds_communities.filters import SearchFilter
from leeds_communities.roles import is_governance_support


def _owner_boards(request):
    return Board.objects.filter(action_plans__isnull=False).distinct().order_by("name")


class PlanFilter(django_filters.FilterSet):
    q = SearchFilter(
        fields=["name", "short_name", "area", "description"],
        help_text="Words in the plan's name, area or description",
    )
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.order_by("name"),
        empty_label="Any programme",
        label="Programme",
        to_field_name="slug",
    )
    scope = django_filters.ChoiceFilter(
        choices=ActionPlan.Scope.choices, empty_label="Any scope", label="Scope"
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=_owner_boards, empty_label="Any board", label="Owner board", to_field_name="slug"
    )

    class Meta:
        model = ActionPlan
        fields = ["q", "programme", "scope", "owner"]


def _my_plans(request):
    """Only the plans the signed-in person has outputs in: the filter never lists others."""
    user = request.user if request else None
    outputs = Output.objects.all()
    if user is None or not is_governance_support(user):
        outputs = outputs.led_by_user_agency(user) if user else outputs.none()
    return ActionPlan.objects.filter(pk__in=outputs.values("plan")).order_by(
        "programme__name", "order", "name"
    )


class MyOutputFilter(django_filters.FilterSet):
    """The officer's outputs, narrowed by plan and by the status in the quarter on show."""

    plan = django_filters.ModelChoiceFilter(
        queryset=_my_plans, empty_label="Any plan", label="Plan", to_field_name="slug"
    )
    status = django_filters.ChoiceFilter(
        choices=Status.choices, empty_label="Any status", label="Status", method="with_status"
    )

    class Meta:
        model = Output
        fields = ["plan", "status"]

    def with_status(self, queryset, name, value):
        # The queryset carries the derived status only when a quarter exists to derive it for.
        if "status" not in queryset.query.annotations:
            return queryset.none()
        return queryset.filter(status=value)
