from django.db import transaction
from rest_framework import serializers

from agenda.ical import uid
from common.fields import OffsetDateTimeField
from common.serializers import ConflictCheckedSerializer, StrictModelSerializer
from meetings import scheduling
from meetings.models import Meeting, MeetingParticipant


class ParticipantSerializer(StrictModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = MeetingParticipant
        fields = ["person", "name", "side", "is_principal", "response", "responded_at"]
        read_only_fields = ["responded_at"]


class MeetingSerializer(ConflictCheckedSerializer):
    uid = serializers.SerializerMethodField()
    window_start = OffsetDateTimeField()
    window_end = OffsetDateTimeField()
    start = OffsetDateTimeField(required=False, allow_null=True)
    end = OffsetDateTimeField(required=False, allow_null=True)
    participants = ParticipantSerializer(many=True, required=False)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "uid",
            "summit",
            "title",
            "purpose",
            "status",
            "confidentiality",
            "window_start",
            "window_end",
            "duration_minutes",
            "start",
            "end",
            "venue",
            "room",
            "requested_by",
            "participants",
            "sequence",
            "created_at",
            "updated_at",
            "accept_conflicts",
        ]
        read_only_fields = ["sequence", "created_at", "updated_at"]

    def get_uid(self, meeting) -> str:
        return uid("meeting", meeting.pk)

    def check(self, candidate, attrs):
        if "participants" in attrs:
            people = [
                p["person"]
                for p in attrs["participants"]
                if p.get("response") != MeetingParticipant.Response.DECLINED
            ]
        else:
            people = None
        return scheduling.check_meeting(meeting=candidate, people=people)

    def create(self, validated_data):
        participants = validated_data.pop("participants", [])
        validated_data.pop("accept_conflicts", None)
        with transaction.atomic():
            meeting = super().create(validated_data)
            self.save_participants(meeting, participants)
        return meeting

    def update(self, instance, validated_data):
        participants = validated_data.pop("participants", None)
        validated_data.pop("accept_conflicts", None)
        with transaction.atomic():
            meeting = super().update(instance, validated_data)
            if participants is not None:
                meeting.participants.all().delete()
                self.save_participants(meeting, participants)
        return meeting

    def save_participants(self, meeting, participants):
        seen = set()
        for participant in participants:
            if participant["person"].pk not in seen:
                seen.add(participant["person"].pk)
                MeetingParticipant.objects.create(meeting=meeting, **participant)
