from typing import TYPE_CHECKING, Any

from django.db import transaction
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agenda import scheduling
from agenda.ical import uid
from agenda.models import (
    Release,
    Removal,
    Room,
    Session,
    SessionRole,
    Summit,
    Track,
    TravelTime,
    Venue,
)
from agenda.releases import CANCELLED, SCHEDULED, ChangeKind, changes_in
from common.conflicts import Conflict
from common.fields import OffsetDateTimeField
from common.serializers import ConflictCheckedSerializer, StrictModelSerializer
from people.models import Person

if TYPE_CHECKING:
    from rest_framework.validators import Validator


class SummitSerializer(StrictModelSerializer):
    class Meta:
        model = Summit
        fields = [
            "id",
            "slug",
            "name",
            "tagline",
            "description",
            "city",
            "start_date",
            "end_date",
            "time_zone",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_date": "The last day cannot come before the first."}
            )
        return attrs


class TravelTimeSerializer(StrictModelSerializer):
    class Meta:
        model = TravelTime
        fields = ["id", "origin", "destination", "minutes"]

    def validate(self, attrs):
        origin = attrs.get("origin", getattr(self.instance, "origin", None))
        destination = attrs.get("destination", getattr(self.instance, "destination", None))
        # The rule lives on the model (TravelTime.clean), as the admin uses it too.
        TravelTime(origin=origin, destination=destination).clean()
        duplicate = TravelTime.objects.filter(origin=origin, destination=destination)
        if self.instance is not None:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise serializers.ValidationError(
                {"destination": "This trip already has a travel time."}
            )
        return attrs


class TravelFromSerializer(StrictModelSerializer):
    to: serializers.PrimaryKeyRelatedField[Venue] = serializers.PrimaryKeyRelatedField(
        source="destination", read_only=True
    )

    class Meta:
        model = TravelTime
        fields = ["to", "minutes"]


class VenueSerializer(StrictModelSerializer):
    travel_times = TravelFromSerializer(source="travel_from", many=True, read_only=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
    )

    class Meta:
        model = Venue
        fields = [
            "id",
            "summit",
            "slug",
            "name",
            "address",
            "latitude",
            "longitude",
            "description",
            "travel_times",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]


class RoomSerializer(StrictModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "venue", "slug", "name", "capacity", "position", "updated_at"]
        read_only_fields = ["updated_at"]


class TrackSerializer(StrictModelSerializer):
    colour = serializers.RegexField(
        r"^#[0-9a-fA-F]{6}$",
        required=False,
        error_messages={"invalid": "Give a hex colour such as #1f4e79."},
    )

    class Meta:
        model = Track
        fields = ["id", "summit", "slug", "name", "colour", "description", "updated_at"]
        read_only_fields = ["updated_at"]


class SessionRoleSerializer(StrictModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    slug = serializers.CharField(source="person.slug", read_only=True)

    class Meta:
        model = SessionRole
        fields = ["person", "name", "slug", "role"]


class SessionSerializer(ConflictCheckedSerializer):
    uid = serializers.SerializerMethodField()
    start = OffsetDateTimeField()
    end = OffsetDateTimeField()
    roles = SessionRoleSerializer(many=True, required=False)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "uid",
            "summit",
            "slug",
            "title",
            "kind",
            "abstract",
            "start",
            "end",
            "room",
            "track",
            "status",
            "visibility",
            "capacity",
            "roles",
            "sequence",
            "created_at",
            "updated_at",
            "url",
            "accept_conflicts",
        ]
        read_only_fields = ["sequence", "created_at", "updated_at"]
        # The slug's uniqueness is checked in check(), which names the field.
        validators: "list[Validator[Any]]" = []

    def get_uid(self, session) -> str:
        return uid("session", session.pk)

    def get_url(self, session) -> str:
        request = self.context.get("request")
        path = session.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def check(self, candidate, attrs):
        if "roles" in attrs:
            people = list({role["person"].pk: role["person"] for role in attrs["roles"]}.values())
        else:
            people = (
                list(Person.objects.filter(session_roles__session=candidate))
                if candidate.pk
                else []
            )
        if candidate.slug and candidate.summit_id:
            taken = Session.objects.filter(summit_id=candidate.summit_id, slug=candidate.slug)
            if candidate.pk:
                taken = taken.exclude(pk=candidate.pk)
            if taken.exists():
                return [
                    Conflict(
                        kind="slug",
                        field="slug",
                        blocking=True,
                        message="This summit already has a session with this slug.",
                    )
                ]
        return scheduling.check_session(session=candidate, people=people)

    def create(self, validated_data):
        roles = validated_data.pop("roles", [])
        validated_data.pop("accept_conflicts", None)
        with transaction.atomic():
            session = super().create(validated_data)
            self.save_roles(session, roles)
        return session

    def update(self, instance, validated_data):
        roles = validated_data.pop("roles", None)
        validated_data.pop("accept_conflicts", None)
        with transaction.atomic():
            session = super().update(instance, validated_data)
            if roles is not None:
                session.roles.all().delete()
                self.save_roles(session, roles)
        return session

    def save_roles(self, session, roles):
        seen = set()
        for position, role in enumerate(roles):
            key = (role["person"].pk, role["role"])
            if key not in seen:
                seen.add(key)
                SessionRole.objects.create(session=session, position=position, **role)


class ConflictSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="timing, summit_days, room, capacity, overlap, travel")
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()
    blocking = serializers.BooleanField(help_text="Refuses the change; otherwise a warning.")
    other = serializers.SerializerMethodField(help_text="The session or meeting it clashes with.")

    def get_other(self, conflict) -> dict[str, Any] | None:
        other = conflict.other
        if other is None:
            return None
        return {"kind": "meeting" if other.is_meeting else "session", "id": other.pk}


class RemovalSerializer(StrictModelSerializer):
    uid = serializers.SerializerMethodField()

    class Meta:
        model = Removal
        fields = ["kind", "reason", "object_id", "uid", "summit", "removed_at"]

    def get_uid(self, removal) -> str:
        return uid(removal.kind, removal.object_id)


class ReleasedItemSerializer(serializers.Serializer):
    """A public session or meeting as a release kept it."""

    title = serializers.CharField(read_only=True)
    start = serializers.DateTimeField(read_only=True)
    end = serializers.DateTimeField(read_only=True)
    room = serializers.CharField(read_only=True)
    venue = serializers.CharField(read_only=True)
    track = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=[SCHEDULED, CANCELLED], read_only=True)


class ReleaseChangeSerializer(serializers.Serializer):
    """One change to one public item: its state before and after (null when added or
    removed)."""

    kind = serializers.ChoiceField(choices=[kind.value for kind in ChangeKind], read_only=True)
    uid = serializers.CharField(read_only=True, help_text="The item's UID in the calendar feeds.")
    item = serializers.CharField(
        source="entry.kind", read_only=True, help_text="`session` or `meeting`."
    )
    before = ReleasedItemSerializer(read_only=True, allow_null=True)
    after = ReleasedItemSerializer(read_only=True, allow_null=True)


class ReleaseSerializer(StrictModelSerializer):
    name = serializers.CharField(read_only=True, help_text="v1, v2, ...")
    changes = serializers.SerializerMethodField(
        help_text="What the release changed in the public programme since the one before."
    )

    class Meta:
        model = Release
        fields = ["id", "summit", "number", "name", "note", "published_at", "changes"]

    @extend_schema_field(ReleaseChangeSerializer(many=True))
    def get_changes(self, release) -> Any:
        changes = changes_in(release, self.context["previous"])
        return ReleaseChangeSerializer(changes, many=True).data
