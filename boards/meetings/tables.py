"""The meetings calendar: one table and one filter set for the page and its exports."""

import django_filters
import django_tables2 as tables
from django import forms
from django.utils.html import format_html

from boards.meetings.models import Meeting
from boards.models import Board
from leeds_communities.tables import BaseTable

_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"]


def _boards_that_meet(request):
    return Board.objects.filter(meetings__isnull=False).distinct().order_by("name")


class MeetingFilter(django_filters.FilterSet):
    board = django_filters.ModelChoiceFilter(
        queryset=_boards_that_meet, empty_label="Any board", label="Board", to_field_name="slug"
    )
    start = django_filters.DateFilter(
        field_name="date",
        lookup_expr="gte",
        label="From",
        input_formats=_DATE_FORMATS,
        help_text="For example, 2013-01-01",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    end = django_filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        label="To",
        input_formats=_DATE_FORMATS,
        help_text="For example, 2018-12-31",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    status = django_filters.ChoiceFilter(
        choices=Meeting.Status.choices, empty_label="Any status", label="Status"
    )

    class Meta:
        model = Meeting
        fields = ["board", "start", "end", "status"]


class MeetingTable(BaseTable):
    caption = "Meetings"

    date = tables.Column(linkify=lambda record: record.get_absolute_url())
    start_time = tables.Column(verbose_name="Time", orderable=False, empty_values=())
    board = tables.Column(linkify=True, order_by=("board__name",))
    venue = tables.Column(orderable=False, empty_values=())
    status = tables.Column()

    class Meta(BaseTable.Meta):
        model = Meeting
        fields = ("date", "start_time", "board", "venue", "status")
        order_by = ("-date",)
        empty_text = "No meetings match these filters."

    def render_date(self, record):
        return record.short_date_label

    def value_date(self, record):
        return record.date_label

    def render_start_time(self, record):
        return record.time_label

    def value_start_time(self, record):
        return record.time_label

    def render_venue(self, record):
        return record.venue_label

    def value_venue(self, record):
        return record.venue_label

    def render_status(self, record):
        classes = {
            Meeting.Status.SCHEDULED: "govuk-tag--blue",
            Meeting.Status.HELD: "govuk-tag--grey",
            Meeting.Status.CANCELLED: "govuk-tag--red",
        }[Meeting.Status(record.status)]
        return format_html(
            '<strong class="govuk-tag {}">{}</strong>', classes, record.get_status_display()
        )

    def value_status(self, record):
        return record.get_status_display()
