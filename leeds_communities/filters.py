"""Filter pieces shared by the apps' FilterSets."""

import django_filters
from django import forms
from django.db.models import Q


class SearchFilter(django_filters.CharFilter):
    """The free-text `q` box: every word must appear, case-insensitively, in one of `fields`."""

    def __init__(self, *, fields, help_text, max_length=200, label="Search", **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "search"}))
        super().__init__(label=label, help_text=help_text, max_length=max_length, **kwargs)
        self.search_fields = list(fields)

    def filter(self, qs, value):
        for term in (value or "").split():
            match = Q()
            for field in self.search_fields:
                match |= Q(**{f"{field}__icontains": term})
            qs = qs.filter(match)
        return qs
