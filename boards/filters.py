import django_filters
from django import forms
from django.db.models import Q

from boards.models import Board


def _parent_boards(request):
    return Board.objects.filter(sub_boards__isnull=False).distinct().order_by("name")


class BoardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        help_text="Words in the name or remit",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = django_filters.ChoiceFilter(
        choices=Board.Kind.choices, empty_label="Any kind", label="Kind"
    )
    status = django_filters.ChoiceFilter(
        choices=Board.Status.choices, empty_label="Any status", label="Status"
    )
    reports_to = django_filters.ModelChoiceFilter(
        queryset=_parent_boards,
        empty_label="Any board",
        label="Reports to",
        to_field_name="slug",
    )

    class Meta:
        model = Board
        fields = ["q", "kind", "status", "reports_to"]

    def search(self, queryset, name, value):
        terms = value.split()
        for term in terms:
            queryset = queryset.filter(Q(name__icontains=term) | Q(remit__icontains=term))
        return queryset
