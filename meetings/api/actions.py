"""Serializers for the meeting lifecycle and the slot finder over the API."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.exceptions import PermissionDenied

from agenda.models import Room, Summit, Venue
from common.fields import OffsetDateTimeField
from common.serializers import StrictSerializer
from meetings.models import MeetingParticipant
from people.models import Person


class CanScheduleMeetings(permissions.BasePermission):
    """Staff who may change meetings schedule them for everyone."""

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_perm("meetings.change_meeting")


class ProposeSerializer(StrictSerializer):
    start = OffsetDateTimeField()
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.all(), required=False, allow_null=True
    )
    venue = serializers.PrimaryKeyRelatedField(
        queryset=Venue.objects.all(), required=False, allow_null=True
    )
    accept_conflicts = serializers.BooleanField(required=False, default=False)


@extend_schema_field(OpenApiTypes.INT)
class AnsweredForField(serializers.PrimaryKeyRelatedField):
    """Whom an answer is for. Staff who schedule meetings name anyone; others only
    themselves: any other id is refused alike, after the same query, whether it names
    someone they see, someone hidden from them or no one."""

    def schedules(self):
        return self.context["request"].user.has_perm("meetings.change_meeting")

    def get_queryset(self):
        if self.schedules():
            return Person.objects.all()
        return Person.objects.filter(user=self.context["request"].user)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if self.schedules() or error.get_codes() != ["does_not_exist"]:
                raise
            raise PermissionDenied("Only staff answer for someone else.") from error


class ReplySerializer(StrictSerializer):
    response = serializers.ChoiceField(
        choices=[MeetingParticipant.Response.ACCEPTED, MeetingParticipant.Response.DECLINED]
    )
    person = AnsweredForField(
        required=False,
        help_text="Staff answering for a participant; others answer for themselves.",
    )


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    room = serializers.IntegerField(source="room.pk")
    room_name = serializers.CharField(source="room.name")
    venue = serializers.IntegerField(source="room.venue_id")


class SuggestionsSerializer(serializers.Serializer):
    slots = SlotSerializer(many=True)
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why nothing fits, when nothing does."
    )


class SlotQuerySerializer(serializers.Serializer):
    # Not null: a query string has no null, and `?venue=` is refused like any empty id.
    venue = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.all(), required=False)


class FindSlotsSerializer(StrictSerializer):
    summit = serializers.PrimaryKeyRelatedField(queryset=Summit.objects.all())
    participants = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), many=True, allow_empty=False
    )
    window_start = OffsetDateTimeField()
    window_end = OffsetDateTimeField()
    duration_minutes = serializers.IntegerField(min_value=5, max_value=24 * 60)
    venue = serializers.PrimaryKeyRelatedField(
        queryset=Venue.objects.all(), required=False, allow_null=True
    )

    def validate(self, attrs):
        if attrs["window_end"] <= attrs["window_start"]:
            raise serializers.ValidationError(
                {"window_end": "The window must end after it starts."}
            )
        venue = attrs.get("venue")
        if venue is not None and venue.summit_id != attrs["summit"].pk:
            raise serializers.ValidationError({"venue": "This venue belongs to another summit."})
        return attrs
