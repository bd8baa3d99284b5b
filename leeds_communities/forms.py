"""Forms are rendered once, centrally, as GOV.UK Frontend markup."""

from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


def error_summary(*forms) -> list[tuple[str, str]]:
    """(field id, message) pairs for the GOV.UK error summary, in page order.

    Takes forms, formsets, and lists or tuples holding them (a view's `(prefix, title, formset)`
    rows, say; anything else in them is passed over). An error that belongs to no visible field
    (a form-wide one, or a hidden field's) links to the form's first visible field."""
    pairs: list[tuple[str, str]] = []
    for form in forms:
        if isinstance(form, list | tuple):
            pairs += error_summary(*form)
        elif hasattr(form, "management_form"):
            pairs += error_summary(*form.forms)
        elif hasattr(form, "visible_fields"):
            visible = form.visible_fields()
            first = visible[0].auto_id if visible else ""
            pairs += [(first, error) for error in form.non_field_errors()]
            pairs += [(first, error) for field in form.hidden_fields() for error in field.errors]
            pairs += [(field.auto_id, error) for field in visible for error in field.errors]
    return pairs
