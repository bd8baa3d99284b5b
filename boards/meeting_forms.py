"""GOV.UK forms for meetings (rendered by the project's form renderer)."""

from django import forms

from actionplans.models import ActionPlan
from boards.models import Organisation

_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"]


class TrackActionForm(forms.Form):
    plan = forms.ModelChoiceField(
        queryset=ActionPlan.objects.order_by("name"),
        label="Action plan",
        empty_label="Choose a plan",
        error_messages={"required": "Choose the plan that will track this action"},
    )
    ref = forms.CharField(
        label="Output reference",
        max_length=40,
        help_text="For example, CB012",
        error_messages={"required": "Enter a reference for the output"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    lead_agency = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        label="Lead agency",
        empty_label="Choose an agency",
        error_messages={"required": "Choose the lead agency"},
    )
    lead_officer = forms.CharField(label="Lead officer", max_length=200, required=False)
    commencement = forms.DateField(
        label="Commencement date",
        input_formats=_DATE_FORMATS,
        help_text="For example, 2013-06-01",
        error_messages={
            "required": "Enter the commencement date",
            "invalid": "Enter a real date, for example 2013-06-01",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
