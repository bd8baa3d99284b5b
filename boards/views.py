import datetime

from django import forms
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from boards.compare import compare_fields, compare_terms
from boards.filters import BoardFilter
from boards.models import Board, Membership, TermsOfReference
from boards.presenters import board_status_tag, board_tree_note, terms_status_tag
from boards.tables import BoardTable
from leeds_communities.roles import is_governance_support
from leeds_communities.tables import FilteredTableView


@require_safe
def home(request):
    """The public home page: the sections, and how many boards the register holds."""
    return render(
        request,
        "home.html",
        {"board_count": Board.objects.for_user(request.user).count()},
    )


class OnDateForm(forms.Form):
    on = forms.DateField(
        label="Date",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"],
        help_text="For example, 2013-06-01 or 1/6/2013",
        error_messages={"invalid": "Enter a real date, for example 2013-06-01 or 1/6/2013"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )


def _day_from(request) -> tuple[datetime.date, OnDateForm]:
    form = OnDateForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["on"]:
        return form.cleaned_data["on"], form
    return timezone.localdate(), form


def _chairs_on(day):
    return Prefetch(
        "memberships",
        queryset=Membership.objects.current_on(day)
        .filter(role=Membership.Role.CHAIR)
        .select_related("person", "organisation"),
        to_attr="current_chairs",
    )


def _get_board_for_user(request, slug) -> Board:
    return get_object_or_404(Board.objects.for_user(request.user), slug=slug)


def _get_terms_for_user(request, board, version) -> TermsOfReference:
    try:
        return TermsOfReference.objects.for_user(request.user).get(board=board, version=version)
    except TermsOfReference.DoesNotExist:
        raise Http404("No such version of these terms of reference.") from None


class BoardListView(FilteredTableView):
    table_class = BoardTable
    filterset_class = BoardFilter
    template_name = "boards/board_list.html"
    results_template_name = "boards/_board_results.html"
    export_name = "boards"
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return (
            Board.objects.for_user(self.request.user)
            .select_related("reports_to")
            .prefetch_related(_chairs_on(timezone.localdate()))
        )


board_list = BoardListView.as_view()


@require_safe
def board_detail(request, slug):
    day, date_form = _day_from(request)
    board = get_object_or_404(
        Board.objects.for_user(request.user).select_related(
            "reports_to", "succeeded_by", "succeeded_by__succeeded_by"
        ),
        slug=slug,
    )
    memberships = list(
        board.memberships.current_on(day).select_related(
            "person", "person__organisation", "organisation"
        )
    )
    by_sector: dict[str, list[Membership]] = {}
    for membership in sorted(memberships, key=lambda m: (m.sector_label, m.member_name)):
        by_sector.setdefault(membership.sector_label, []).append(membership)
    leaders = {
        role: [m for m in memberships if m.role == role]
        for role in (Membership.Role.CHAIR, Membership.Role.LEAD_DIRECTOR)
    }
    terms = list(board.terms.for_user(request.user))
    # One query: the ten latest meetings, upcoming first on the page.
    meetings = list(board.meetings.for_user(request.user).order_by("-date", "-start_time")[:10])
    today = timezone.localdate()
    in_force = [
        t
        for t in terms
        if t.status in (TermsOfReference.Status.AGREED, TermsOfReference.Status.AGREED_SUBJECT_TO)
    ]
    return render(
        request,
        "boards/board_detail.html",
        {
            "board": board,
            "status_tag": board_status_tag(board),
            "day": day,
            "is_today": day == timezone.localdate(),
            "date_form": date_form,
            "members_by_sector": sorted(by_sector.items()),
            "chairs": leaders[Membership.Role.CHAIR],
            "lead_directors": leaders[Membership.Role.LEAD_DIRECTOR],
            "current_terms": in_force[0] if in_force else None,
            "terms": [(t, terms_status_tag(t)) for t in terms],
            "sub_boards": list(board.sub_boards.order_by("name")),
            "predecessors": list(board.predecessors.order_by("name")),
            "links": list(board.links_to.order_by("name")),
            "linked_from": list(board.linked_from.order_by("name")),
            "upcoming_meetings": sorted(
                (m for m in meetings if m.date >= today and m.status != "cancelled"),
                key=lambda m: m.date,
            ),
            "past_meetings": [m for m in meetings if m.date < today],
            "can_schedule": is_governance_support(request.user),
        },
    )


@require_safe
def structure(request):
    day, date_form = _day_from(request)
    boards = list(
        Board.objects.for_user(request.user)
        .active_on(day)
        .prefetch_related(_chairs_on(day))
        .order_by("name")
    )
    by_id = {b.pk: b for b in boards}
    for board in boards:
        board.tree_note = board_tree_note(board)
    children: dict[int | None, list[Board]] = {}
    for board in boards:
        # A board whose parent had not started (or had gone) on the day sits at the top.
        parent = board.reports_to_id if board.reports_to_id in by_id else None
        children.setdefault(parent, []).append(board)
    return render(
        request,
        "boards/structure.html",
        {
            "day": day,
            "date_form": date_form,
            "roots": children.get(None, []),
            "children": children,
            "count": len(boards),
        },
    )


@require_safe
def terms_detail(request, slug, version):
    board = _get_board_for_user(request, slug)
    terms = _get_terms_for_user(request, board, version)
    return render(
        request,
        "boards/terms_detail.html",
        {
            "board": board,
            "terms": terms,
            "status_tag": terms_status_tag(terms),
            "sections": terms.sections.all(),
            "versions": TermsOfReference.objects.for_user(request.user).filter(board=board),
        },
    )


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label="Compare version", coerce=int)
    b = forms.TypedChoiceField(label="with version", coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v, f"Version {v}") for v in versions]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices


@require_safe
def terms_compare(request, slug):
    board = _get_board_for_user(request, slug)
    visible = {
        t.version: t for t in TermsOfReference.objects.for_user(request.user).filter(board=board)
    }
    form = CompareForm(request.GET or None, versions=sorted(visible))
    context = {"board": board, "form": form, "versions": sorted(visible)}
    if form.is_valid():
        a, b = visible[form.cleaned_data["a"]], visible[form.cleaned_data["b"]]
        context.update(
            a=a,
            b=b,
            sections=compare_terms(a, b),
            fields=compare_fields(a, b),
        )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "boards/terms_compare.html", context, status=status)
