from django import forms

from neighbourhoods.models import Lsoa


class PriorityLsoasForm(forms.Form):
    """The LSOAs of a priority neighbourhood, as checkboxes grouped by ward."""

    lsoas = forms.ModelMultipleChoiceField(
        queryset=Lsoa.objects.select_related("ward").order_by("ward__name", "code"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="LSOAs in this neighbourhood",
        error_messages={"invalid_choice": "“%(value)s” is not a Leeds LSOA code."},
    )

    def groups(self):
        """[(ward, [(lsoa, checked), …], any checked), …] from the field's queryset (one
        query); a ward with a chosen LSOA starts open."""
        chosen = {str(v) for v in (self["lsoas"].value() or [])}
        grouped: dict = {}
        for lsoa in self.fields["lsoas"].queryset:
            grouped.setdefault(lsoa.ward, []).append((lsoa, lsoa.code in chosen))
        return [
            (ward, items, any(checked for _, checked in items)) for ward, items in grouped.items()
        ]
