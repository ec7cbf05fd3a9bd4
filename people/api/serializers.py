from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from common.serializers import StrictModelSerializer
from people.models import Organisation, Person


class OrganisationSerializer(StrictModelSerializer):
    country = CountryField(required=False, allow_blank=True)

    class Meta:
        model = Organisation
        fields = ["id", "slug", "name", "kind", "country", "website"]


class PersonSerializer(StrictModelSerializer):
    country = CountryField(required=False, allow_blank=True)
    # No default: DRF leaves a default out of partial updates' answers, null is said here.
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "slug",
            "name",
            "position",
            "organisation",
            "organisation_name",
            "country",
            "bio",
            "is_public",
            "email",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def to_representation(self, person):
        data = super().to_representation(person)
        request = self.context.get("request")
        if request is None or not request.user.is_staff:
            del data["email"]  # addresses are for staff: nobody else may collect them
        return data
