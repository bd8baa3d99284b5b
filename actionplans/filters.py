import django_filters
from django import forms
from django.db.models import Q

from actionplans.models import ActionPlan, Programme
from boards.models import Board


def _owner_boards(request):
    return Board.objects.filter(action_plans__isnull=False).distinct().order_by("name")


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        help_text="Words in the plan's name, area or description",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
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

    def search(self, queryset, name, value):
        for term in value.split():
            queryset = queryset.filter(
                Q(name__icontains=term)
                | Q(short_name__icontains=term)
                | Q(area__icontains=term)
                | Q(description__icontains=term)
            )
        return queryset
