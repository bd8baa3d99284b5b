"""Forms for the officer's journey and the imports. Rendering is central (GOV.UK markup)."""

from django import forms

from actionplans.imports import MAX_UPLOAD_BYTES
from actionplans.models import Quarter, Rag


class StatusUpdateForm(forms.Form):
    """A RAG return for one output and quarter. `version` is the output's version when the form
    was shown: the service refuses the save if somebody else has updated the output since."""

    rag = forms.ChoiceField(
        label="RAG status",
        choices=[
            (Rag.GREEN, "Green – on track"),
            (Rag.AMBER, "Amber – some slippage"),
            (Rag.RED, "Red – off track"),
        ],
        widget=forms.RadioSelect,
        template_name="forms/govuk_radios.html",
        error_messages={"required": "Choose Green, Amber or Red"},
    )
    commentary = forms.CharField(
        label="Commentary",
        required=False,
        max_length=5000,
        help_text="Progress this quarter in words. Required for Amber and Red.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    late_reason = forms.CharField(
        label="Reason for recording a return after the quarter closed",
        required=False,
        max_length=2000,
        help_text="Kept with the return and shown in its history.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    quarter = forms.ModelChoiceField(queryset=Quarter.objects.all(), widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    def __init__(self, *args, late: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not late:
            # Only governance support recording a return in a closed quarter gives a reason.
            del self.fields["late_reason"]

    def clean(self):
        cleaned = super().clean()
        rag = cleaned.get("rag")
        if rag in (Rag.AMBER, Rag.RED) and not cleaned.get("commentary", "").strip():
            self.add_error(
                "commentary",
                forms.ValidationError(
                    f"Say why the output is {Rag(rag).label.lower()}", code="commentary_required"
                ),
            )
        if "late_reason" in self.fields and not cleaned.get("late_reason", "").strip():
            self.add_error(
                "late_reason",
                forms.ValidationError(
                    "Give the reason for recording a return after the quarter closed",
                    code="late_reason_required",
                ),
            )
        return cleaned


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Saved as “CSV UTF-8 (comma delimited)”, at most 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choose a CSV file to check", "empty": "The file is empty"},
    )

    def __init__(self, *args, create_missing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if create_missing:
            self.fields["create_missing"] = forms.BooleanField(
                label="Create programmes' missing plans, priorities and lead agencies",
                required=False,
                help_text="Without this, a name that is not in the register is a row error.",
            )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "The file is larger than 5 MB; split it into smaller files", code="too_big"
            )
        return upload


class ImportConfirmForm(forms.Form):
    """Carries a checked upload (kept in the session under `token`) to the confirm step."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ReminderForm(forms.Form):
    quarter = forms.ModelChoiceField(queryset=Quarter.objects.all(), widget=forms.HiddenInput)
    agency = forms.IntegerField(required=False, widget=forms.HiddenInput)


_DAY = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "govuk-input--width-10"})
_REASON = forms.CharField(
    label="Reason",
    max_length=1000,
    help_text="Kept with the change in the audit trail, with who made it and when.",
    widget=forms.Textarea(attrs={"rows": 3}),
    error_messages={"required": "Give the reason; it is kept with the change."},
)


class ExtendDeadlineForm(forms.Form):
    deadline = forms.DateField(
        label="New deadline",
        help_text="Officers may record returns until the end of this day.",
        widget=_DAY,
        error_messages={
            "required": "Enter the new deadline.",
            "invalid": "Enter the new deadline as a real date.",
        },
    )
    reason = _REASON


class CloseEarlyForm(forms.Form):
    reason = _REASON


class ReopenForm(forms.Form):
    until = forms.DateField(
        label="Open until",
        help_text="Officers may record returns until the end of this day; they show as late.",
        widget=_DAY,
        error_messages={
            "required": "Enter the day the quarter closes again.",
            "invalid": "Enter the day the quarter closes again as a real date.",
        },
    )
    reason = _REASON
