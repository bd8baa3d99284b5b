"""Template helpers that render GOV.UK Frontend markup: form fields, error summaries, filter forms,
breadcrumbs and summary-list rows (the markup itself is in templates/components/)."""

from django import forms, template
from django.forms.widgets import Input
from django.template.base import token_kwargs
from django.urls import reverse

from leeds_communities.forms import error_summary

register = template.Library()

_WIDGET_CLASSES = [
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.FileInput, "govuk-file-upload"),
    (Input, "govuk-input"),
]


@register.filter
def govuk_widget(bound_field):
    """Render the widget with its GOV.UK class, the error modifier and the hint/error ids."""
    widget = bound_field.field.widget
    css = next((c for kind, c in _WIDGET_CLASSES if isinstance(widget, kind)), "")
    attrs = {}
    if css:
        modifier = f" {css.split('__')[0]}--error" if bound_field.errors else ""
        existing = widget.attrs.get("class", "")
        attrs["class"] = f"{css}{modifier} {existing}".strip()
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def widget_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.inclusion_tag("components/error_summary.html")
def govuk_error_summary(*forms):
    """{% govuk_error_summary form %}: the GOV.UK error summary of one or more forms or formsets."""
    return {"errors": error_summary(*forms)}


@register.inclusion_tag("components/filter_form.html")
def filter_form(form, *, url, form_id, target, heading, heading_level=2, search=False):
    """{% filter_form filter.form url="boards:board_list" form_id="board-filter"
    target="#board-results" heading="Filter the register" search=True %}: a list page's GET
    filter form, refreshed in place by htmx; `search` also refreshes as the `q` box is typed in."""
    return {
        "form": form,
        "action": reverse(url),
        "form_id": form_id,
        "target": target,
        "heading": heading,
        "heading_level": heading_level,
        "search": search,
    }


@register.inclusion_tag("components/breadcrumbs.html")
def breadcrumbs(*crumbs):
    """{% breadcrumbs "Boards" "boards:board_list" board %}: GOV.UK breadcrumbs, in order.

    A crumb is a label then its target (a URL name, or a path starting "/"), or an object with
    `get_absolute_url` (labelled by its `str()`), or a list of such objects. None is passed over,
    so an optional parent (`plan.programme`) needs no `{% if %}`."""
    links: list[tuple[str, str]] = []
    pending = list(crumbs)
    while pending:
        crumb = pending.pop(0)
        if crumb is None or crumb == "":
            continue
        if isinstance(crumb, str):
            target = pending.pop(0)
            links.append((crumb, target if target.startswith("/") else reverse(target)))
        elif hasattr(crumb, "get_absolute_url"):
            links.append((str(crumb), crumb.get_absolute_url()))
        else:
            pending[:0] = list(crumb)
    return {"links": links}


@register.filter
def each(objects, attribute):
    """`items|each:"meeting"`: the attribute of every object in a list, in order."""
    return [getattr(obj, attribute) for obj in objects]


@register.tag
def summary_row(parser, token):
    """{% summary_row "Lead agency" %}{{ output.lead_agency }}{% endsummary_row %}: one GOV.UK
    summary-list row, the key given (a string or a variable), the value between the tags;
    `value_id="pack-state"` gives the value an id."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("summary_row needs the row's key")
    key = parser.compile_filter(bits[1])
    options = token_kwargs(bits[2:], parser)
    value = parser.parse(("endsummary_row",))
    parser.delete_first_token()
    return SummaryRowNode(key, value, options)


class SummaryRowNode(template.Node):
    def __init__(self, key, value, options):
        self.key, self.value, self.options = key, value, options

    def render(self, context):
        row = context.template.engine.get_template("components/summary_row.html")
        values = {name: option.resolve(context) for name, option in self.options.items()}
        values |= {"key": self.key.resolve(context), "value": self.value.render(context)}
        return row.render(context.new(values))
