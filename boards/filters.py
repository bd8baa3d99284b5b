import django_filters

from boards.models import Board
from leeds_communities.filters import SearchFilter


def _parent_boards(request):
    return Board.objects.filter(sub_boards__isnull=False).distinct().order_by("name")


class BoardFilter(django_filters.FilterSet):
    q = SearchFilter(fields=["name", "remit"], help_text="Words in the name or remit")
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
