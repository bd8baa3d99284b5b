"""GOV.UK forms for meetings (rendered by the project's form renderer)."""

from django import forms
from django.db import models

from actionplans.models import ActionPlan
from boards.meetings.models import (
    ActionArising,
    AgendaItem,
    Appendix,
    Attendance,
    Decision,
    DeclarationOfInterest,
    Meeting,
    Recommendation,
    Report,
    ReportSection,
)
from boards.models import Board, Organisation, Person
from leeds_communities.pdf import pdf_problem

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


class MeetingForm(forms.ModelForm):
    date = forms.DateField(
        input_formats=_DATE_FORMATS,
        help_text="For example, 2026-12-03",
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "Enter a real date, for example 2026-12-03",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    start_time = forms.TimeField(
        label="Start time",
        required=False,
        input_formats=["%H:%M", "%H.%M", "%I:%M%p", "%I%p"],
        help_text="For example, 14:00. Leave blank if not known.",
        error_messages={"invalid": "Enter a time, for example 14:00"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"}),
    )

    class Meta:
        model = Meeting
        fields = [
            "date",
            "date_precision",
            "date_note",
            "start_time",
            "venue",
            "status",
            "contact",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["order", "title", "description", "report", "minutes"]
        widgets = {
            "order": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "minutes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["report"].queryset = Report.objects.filter(board=meeting.board).order_by(
            "-date", "subject"
        )
        self.fields["report"].empty_label = "No paper"
        self.fields["order"].error_messages["required"] = "Enter the item's number"

    def clean_order(self):
        order = self.cleaned_data["order"]
        taken = self.instance.meeting.agenda_items.filter(order=order)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("Another item already has this number", code="order_taken")
        return order


class ReportForm(forms.ModelForm):
    date = forms.DateField(
        required=False,
        input_formats=_DATE_FORMATS,
        help_text="For example, 2013-05-16",
        error_messages={"invalid": "Enter a real date, for example 2013-05-16"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )

    class Meta:
        model = Report
        fields = [
            "board",
            "subject",
            "report_of",
            "report_to",
            "date",
            "date_note",
            "author_name",
            "author_telephone",
            "author_email",
            "wards_affected",
            "wards_named",
            "equality_implications",
            "eligible_for_call_in",
            "is_exempt",
            "exempt_rule",
            "exempt_appendix",
            "summary",
            "background_documents",
        ]
        labels = {
            "equality_implications": (
                "Are there implications for equality and diversity and cohesion and integration?"
            ),
            "eligible_for_call_in": "Is the decision eligible for call-in?",
            "wards_affected": "Are specific electoral wards affected?",
        }
        widgets = {
            "equality_implications": forms.NullBooleanSelect(),
            "eligible_for_call_in": forms.NullBooleanSelect(),
            "summary": forms.Textarea(attrs={"rows": 6}),
            "background_documents": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, can_move: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = Board.objects.order_by("name")
        if not can_move:
            # An author edits the paper; which board it belongs to stays with governance support.
            del self.fields["board"]

    def clean_board(self):
        from boards.meetings.services import agendas_elsewhere, on_agenda_error

        board = self.cleaned_data["board"]
        if self.instance.pk and board is not None and board.pk != self.instance.board_id:
            elsewhere = agendas_elsewhere(self.instance, board)
            if elsewhere:
                raise on_agenda_error(elsewhere).error_dict["board"][0]
        return board


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["outcome", "text", "source"]
        labels = {"outcome": "What did the board resolve?", "source": "Where this is recorded"}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"outcome": {"required": "Choose what the board resolved"}}


class ReportBodyVersionForm(forms.Form):
    """The report body's version when the form was shown, sent back with the sections."""

    body_version = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={
            "required": "The form is incomplete; open it again and make your changes",
            "invalid": "The form is incomplete; open it again and make your changes",
            "min_value": "The form is incomplete; open it again and make your changes",
        },
    )


class _OrderedFormSet(forms.BaseInlineFormSet):
    """Rows are numbered by their position on the page; blank extra rows are ignored."""

    def save_in_order(self):
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
        ]
        for form in self.deleted_forms:
            if form.instance.pk:
                form.instance.delete()
        # Move the kept rows out of the way first: (report, order) is unique.
        model = self.model
        model.objects.filter(report=self.instance).update(order=models.F("order") + 10_000)
        for position, form in enumerate(kept, start=1):
            row = form.save(commit=False)
            row.report = self.instance
            row.order = position
            row.save()
        return kept


SectionFormSet = forms.inlineformset_factory(
    Report,
    ReportSection,
    formset=_OrderedFormSet,
    fields=["number", "heading", "body"],
    extra=1,
    can_delete=True,
    widgets={
        "number": forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        "body": forms.Textarea(attrs={"rows": 6}),
    },
)

RecommendationFormSet = forms.inlineformset_factory(
    Report,
    Recommendation,
    formset=_OrderedFormSet,
    fields=["number", "text"],
    extra=1,
    can_delete=True,
    widgets={
        "number": forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        "text": forms.Textarea(attrs={"rows": 3}),
    },
)


class _MeetingRowsFormSet(forms.BaseInlineFormSet):
    """Rows of a meeting's record; an agenda item can only be one of this meeting's."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "agenda_item" in form.fields:
            form.fields["agenda_item"].queryset = self.instance.agenda_items.order_by("order")
            form.fields["agenda_item"].required = False
        if "person" in form.fields:
            form.fields["person"].queryset = Person.objects.order_by("name")
            form.fields["person"].required = False


_ROW_TEXT = forms.TextInput(attrs={"class": "govuk-input--width-20"})

AttendanceFormSet = forms.inlineformset_factory(
    Meeting,
    Attendance,
    formset=_MeetingRowsFormSet,
    fields=["person", "name", "representing", "kind"],
    labels={"name": "Name (if not in the register)"},
    extra=1,
    can_delete=True,
    widgets={"name": _ROW_TEXT, "representing": _ROW_TEXT},
)

DeclarationFormSet = forms.inlineformset_factory(
    Meeting,
    DeclarationOfInterest,
    formset=_MeetingRowsFormSet,
    fields=["agenda_item", "person", "name", "interest"],
    labels={"name": "Name (if not in the register)"},
    extra=1,
    can_delete=True,
    widgets={"name": _ROW_TEXT, "interest": forms.Textarea(attrs={"rows": 2})},
)

ActionFormSet = forms.inlineformset_factory(
    Meeting,
    ActionArising,
    formset=_MeetingRowsFormSet,
    fields=["agenda_item", "text", "owner", "due"],
    extra=1,
    can_delete=True,
    field_classes={"due": forms.DateField},
    widgets={
        "text": forms.Textarea(attrs={"rows": 2}),
        "owner": _ROW_TEXT,
        "due": forms.DateInput(
            format="%Y-%m-%d", attrs={"class": "govuk-input--width-10", "autocomplete": "off"}
        ),
    },
)


MAX_APPENDIX_BYTES = 20 * 1024 * 1024


class AppendixForm(forms.ModelForm):
    class Meta:
        model = Appendix
        fields = [
            "number",
            "title",
            "kind",
            "body",
            "file",
            "programme",
            "quarter",
            "is_exempt",
            "exempt_rule",
        ]
        labels = {
            "is_exempt": "Contains confidential or exempt information",
            "body": "Text (for an authored appendix)",
            "file": "PDF file (for an uploaded appendix)",
        }
        widgets = {
            "number": forms.TextInput(attrs={"class": "govuk-input--width-5"}),
            "body": forms.Textarea(attrs={"rows": 8}),
            "file": forms.FileInput(attrs={"accept": "application/pdf"}),
        }

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.report = report
        self.fields["programme"].required = False
        self.fields["quarter"].required = False

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "read") and upload is not self.instance.file:
            if upload.size > MAX_APPENDIX_BYTES:
                raise forms.ValidationError("The file must be smaller than 20 MB", code="too_big")
            content = upload.read()
            upload.seek(0)
            if not content.startswith(b"%PDF-"):
                raise forms.ValidationError("The file must be a PDF", code="not_pdf")
            # Opened fully here, so that a file the packs cannot draw never reaches them.
            problem = pdf_problem(content)
            if problem:
                raise forms.ValidationError(problem, code="bad_pdf")
        return upload

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Appendix.Kind.PDF and not cleaned.get("file"):
            self.add_error("file", "Choose the PDF file")
        if kind == Appendix.Kind.TEXT and not cleaned.get("body", "").strip():
            self.add_error(
                "body", forms.ValidationError("Enter the appendix text", code="required")
            )
        return cleaned
