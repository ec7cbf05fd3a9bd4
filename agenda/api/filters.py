import django_filters

from agenda.models import Removal, Session, Summit
from common.filters import IdFilter, IdFilterSet, OffsetDateTimeFilter, SearchFilter
from people.models import Person


class SessionFilter(IdFilterSet):
    summit = IdFilter()
    day = django_filters.DateFilter(
        method="filter_day", help_text="A local day of the session's summit, e.g. 2025-02-10."
    )
    venue = IdFilter(field_name="room__venue")
    person = IdFilter(method="filter_person", help_text="A person's id.")
    q = SearchFilter(
        method="filter_text", help_text="Words in the title, abstract or people's names."
    )
    updated_since = OffsetDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gt",
        help_text="Only sessions changed after this moment (with its UTC offset), cancellations "
        "included. Removed sessions are listed by /api/v1/removals/.",
    )

    class Meta:
        model = Session
        fields = [
            "summit",
            "day",
            "track",
            "kind",
            "room",
            "venue",
            "person",
            "status",
            "visibility",
            "q",
            "updated_since",
        ]

    def filter_day(self, queryset, name, value):
        summit_id = self.form.cleaned_data.get("summit")
        summit = (
            Summit.objects.filter(pk=summit_id).first() if summit_id else Summit.objects.current()
        )
        if summit is None:
            return queryset.none()
        return queryset.on_day(summit, value)

    def filter_person(self, queryset, name, value):
        # Only a person the caller may see: a hidden person's sessions must not be findable.
        person = Person.objects.visible_to(self.request.user).filter(pk=value)
        return queryset.with_person(person[:1])

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return queryset.search(value, self.request.user) if value else queryset


class RemovalFilter(IdFilterSet):
    since = OffsetDateTimeFilter(field_name="removed_at", lookup_expr="gt")

    class Meta:
        model = Removal
        fields = ["kind", "summit", "since"]
