"""Forms for the officer's journey and the imports. Rendering is central (GOV.UK markup)."""

from django import forms

from actionplans.imports import MAX_UPLOAD_BYTES
from actionplans.models import Quarter, Rag
from actionplans.services import return_content_problems

_DAY = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "govuk-input--width-10"})
_RAG_CHOICES = [
    (Rag.GREEN, "Green – on track"),
    (Rag.AMBER, "Amber – some slippage"),
    (Rag.RED, "Red – off track"),
]


class StatusUpdateForm(forms.Form):
    """A RAG return for one output and quarter. `version` is the output's version when the form
    was shown: the service refuses the save if somebody else has updated the output since."""

    rag = forms.ChoiceField(
        label="RAG status",
        choices=_RAG_CHOICES,
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
    corrective_action = forms.CharField(
        label="Corrective action",
        required=False,
        max_length=5000,
        help_text="What is being done to bring the output back on track. Required for Red; "
        "leave it empty for Green.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    corrective_action_by = forms.DateField(
        label="Corrective action to be done by",
        required=False,
        help_text="Required with the corrective action, for example 31/01/2027.",
        widget=_DAY,
        error_messages={"invalid": "Enter the corrective action's date as a real date"},
    )
    forecast = forms.ChoiceField(
        label="Forecast at the due date",
        required=False,
        choices=[
            ("", "No forecast"),
            (Rag.GREEN, "Green expected"),
            (Rag.AMBER, "Amber expected"),
            (Rag.RED, "Red expected"),
        ],
        widget=forms.RadioSelect,
        template_name="forms/govuk_radios.html",
        help_text="The status you expect the output to have on its due date. Optional.",
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

    def __init__(self, *args, late: bool = False, draft: bool = False, due=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        if not late:
            # Only governance support recording a return in a closed quarter gives a reason.
            del self.fields["late_reason"]
        if draft:
            # A draft may be anything unfinished; the rules apply when it is submitted.
            self.fields["rag"].required = False
        self.fields["forecast"].help_text = (
            f"The status you expect the output to have on its due date, {due:%-d %B %Y}. Optional."
            if due
            else "The status you expect the output to have when it is due. Optional."
        )

    def clean(self):
        cleaned = super().clean()
        if self.draft:
            return cleaned
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
        quarter = cleaned.get("quarter")
        if rag and quarter and "corrective_action_by" not in self.errors:
            # The corrective action rules are the service's: shown here field by field.
            problems = return_content_problems(
                quarter,
                rag,
                cleaned.get("commentary", "").strip(),
                corrective_action=cleaned.get("corrective_action", "").strip(),
                corrective_action_by=cleaned.get("corrective_action_by"),
                forecast=cleaned.get("forecast", ""),
            )
            for name in ("corrective_action", "corrective_action_by"):
                if name in problems:
                    self.add_error(name, problems[name])
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


class CarryForwardForm(forms.Form):
    """ "No change since last quarter": tick outputs to record their last RAG again, each with
    its own commentary or the shared note. `rows` are the outputs offered (with `.output`);
    each has a commentary and the output's version when the page was shown."""

    carry = forms.MultipleChoiceField(
        label="Outputs with no change",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose the outputs whose status has not changed",
            "invalid_choice": "Choose from the outputs listed",
        },
    )
    note = forms.CharField(
        label="Shared note",
        required=False,
        max_length=5000,
        initial="No change since last quarter.",
        help_text="The commentary of every output you tick and give no commentary of its own.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        self.fields["carry"].choices = [(str(r.output.pk), r.output.ref) for r in self.rows]
        for row in self.rows:
            pk = row.output.pk
            self.fields[f"commentary_{pk}"] = forms.CharField(
                label=f"Commentary for {row.output.ref} (optional)",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"version_{pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=0, initial=row.output.version, required=False
            )

    def clean(self):
        cleaned = super().clean()
        for pk in cleaned.get("carry", []):
            # Without the version the page was shown at, a colleague's return could be missed.
            if cleaned.get(f"version_{pk}") is None and f"version_{pk}" not in self.errors:
                self.add_error(
                    f"commentary_{pk}",
                    forms.ValidationError(
                        "This page is out of date; open it again", code="no_version"
                    ),
                )
        return cleaned

    def chosen(self) -> list:
        """The ticked rows, each with the commentary it will be recorded with and its version."""
        ticked = set(self.cleaned_data.get("carry", []))
        note = self.cleaned_data.get("note", "").strip()
        chosen = []
        for row in self.rows:
            pk = row.output.pk
            if str(pk) in ticked:
                row.commentary = self.cleaned_data.get(f"commentary_{pk}", "").strip() or note
                row.version = self.cleaned_data.get(f"version_{pk}")
                chosen.append(row)
        return chosen

    def bound_rows(self) -> list:
        """Each row with its bound fields, for the template."""
        for row in self.rows:
            row.commentary_field = self[f"commentary_{row.output.pk}"]
            row.version_field = self[f"version_{row.output.pk}"]
            row.checked = str(row.output.pk) in (self["carry"].value() or [])
        return self.rows
