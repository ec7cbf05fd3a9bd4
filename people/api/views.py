from rest_framework import viewsets

from common.filters import IdFilterSet, SearchFilter
from common.views import AtomicWritesMixin
from people.api.serializers import OrganisationSerializer, PersonSerializer
from people.models import Organisation, Person


class PersonFilter(IdFilterSet):
    q = SearchFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Person
        fields = ["organisation", "country", "q"]


class OrganisationViewSet(AtomicWritesMixin, viewsets.ModelViewSet):
    queryset = Organisation.objects.order_by("name", "id")
    serializer_class = OrganisationSerializer
    filterset_fields = ["kind", "country"]
    ordering_fields = ["name"]


class PersonViewSet(AtomicWritesMixin, viewsets.ModelViewSet):
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    ordering_fields = ["name", "updated_at"]

    def get_queryset(self):
        return (
            Person.objects.visible_to(self.request.user)
            .select_related("organisation")
            .order_by("name", "id")
        )
