import django_tables2 as tables
from django.utils.html import format_html

from boards.models import Board
from boards.presenters import board_status_tag
from leeds_communities.tables import BaseTable


class BoardTable(BaseTable):
    caption = "Boards and partnerships"

    name = tables.Column(linkify=True)
    kind = tables.Column()
    status = tables.Column()
    established = tables.DateColumn(format="j M Y")
    disbanded = tables.DateColumn(format="j M Y")
    reports_to = tables.Column(verbose_name="Reports to", linkify=True)
    chairs = tables.Column(
        verbose_name="Chair", accessor="current_chairs", orderable=False, empty_values=()
    )

    class Meta(BaseTable.Meta):
        model = Board
        fields = ("name", "kind", "status", "established", "disbanded", "reports_to")
        sequence = ("name", "kind", "status", "chairs", "reports_to", "established", "disbanded")
        order_by = ("name",)
        empty_text = "No boards match these filters."

    def render_status(self, record):
        tag = board_status_tag(record)
        return format_html('<strong class="govuk-tag {}">{}</strong>', tag.classes, tag.text)

    def value_status(self, record):
        return record.get_status_display()

    def value_kind(self, record):
        return record.get_kind_display()

    def render_chairs(self, value):
        return ", ".join(m.member_name for m in value) or "—"

    def value_chairs(self, value):
        return "; ".join(m.member_name for m in value)
