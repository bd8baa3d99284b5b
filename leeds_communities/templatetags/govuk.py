"""Template helpers that turn Django form fields into GOV.UK Frontend markup."""

from django import forms, template
from django.forms.widgets import Input

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
