"""Filters of the programme, shared by the pages and the API: day, track, kind, venue,
person and a text search. Every choice is drawn from what the user may see."""

from datetime import date

import django_filters
from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from agenda.models import Session, Track, Venue
from people.models import Person


class ProgrammeFilter(django_filters.FilterSet):
    day = django_filters.ChoiceFilter(
        label=_("Day"), method="filter_day", empty_label=_("All days")
    )
    track = django_filters.ModelChoiceFilter(
        label=_("Track"),
        to_field_name="slug",
        queryset=Track.objects.none(),
        empty_label=_("All tracks"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Session.Kind.choices, empty_label=_("All kinds")
    )
    venue = django_filters.ModelChoiceFilter(
        label=_("Venue"),
        field_name="room__venue",
        to_field_name="slug",
        queryset=Venue.objects.none(),
        empty_label=_("All venues"),
    )
    # Reached from a link (a person's sessions), kept while other filters change, and shown
    # as a chip: a list of every person on the programme would be thousands of options, and
    # the text search finds people by name.
    person = django_filters.ModelChoiceFilter(
        label=_("Person"),
        to_field_name="slug",
        queryset=Person.objects.none(),
        method="filter_person",
        widget=forms.HiddenInput,
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    class Meta:
        model = Session
        fields = ["day", "track", "kind", "venue", "person", "q"]

    def __init__(self, data=None, queryset=None, *, request, summit, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.summit = summit
        self.filters["day"].extra["choices"] = [
            (day.isoformat(), formats.date_format(day, "l j F")) for day in summit.days
        ]
        self.filters["track"].queryset = summit.tracks.all()
        self.filters["venue"].queryset = summit.venues.all()
        self.filters["person"].queryset = (
            Person.objects.visible_to(request.user)
            .filter(sessions__in=Session.objects.visible_to(request.user).filter(summit=summit))
            .distinct()
            .order_by("name")
        )

    def filter_day(self, queryset, name, value):
        return queryset.on_day(self.summit, date.fromisoformat(value))

    def filter_person(self, queryset, name, value):
        return queryset.with_person(value)

    def filter_text(self, queryset, name, value):
        return queryset.search(value.strip(), self.request.user) if value.strip() else queryset

    @property
    def is_filtered(self):
        return (
            any(self.form.cleaned_data.get(name) for name in self.filters)
            if self.is_bound
            else False
        )

    @property
    def active_count(self) -> int:
        """How many filters are in use: what the folded filters of a phone say."""
        if not self.is_bound:
            return 0
        if self.form.is_valid():
            return sum(1 for value in self.form.cleaned_data.values() if value)
        return sum(1 for name in self.filters if self.data.get(name))
