from django.db import transaction
from rest_framework import serializers

from agenda.ical import uid
from common.fields import OffsetDateTimeField
from common.serializers import ConflictCheckedSerializer, StrictModelSerializer
from meetings import lifecycle, scheduling
from meetings.models import Meeting, MeetingParticipant


class ParticipantSerializer(StrictModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = MeetingParticipant
        fields = ["person", "name", "side", "is_principal", "response", "responded_at"]
        # Only the participant answers, through the reply action (staff may answer for
        # them there); someone newly listed has yet to answer.
        read_only_fields = ["response", "responded_at"]
        extra_kwargs = {"response": {"help_text": "The participant's answer, given with reply."}}


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

    def before(self):
        """The meeting as stored, before this write."""
        return lifecycle.State.of(self.instance) if self.instance else lifecycle.NEW

    def validate(self, attrs):
        before = self.before()
        lifecycle.check_change(before=before, status=attrs.get("status", before.status))
        return super().validate(attrs)

    def check(self, candidate, attrs):
        if "participants" in attrs:
            declined = set()
            if self.instance is not None:
                declined = set(
                    self.instance.participants.filter(
                        response=MeetingParticipant.Response.DECLINED
                    ).values_list("person_id", flat=True)
                )
            people = [p["person"] for p in attrs["participants"] if p["person"].pk not in declined]
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
                self.save_participants(meeting, participants)
        return meeting

    def save_participants(self, meeting, participants):
        """The listed people take part, and nobody else; those already there keep their
        answers."""
        listed = {}
        for participant in participants:
            listed.setdefault(participant["person"].pk, participant)
        meeting.participants.exclude(person__in=listed).delete()
        present = {p.person_id: p for p in meeting.participants.all()}
        for person_id, values in listed.items():
            participant = present.get(person_id)
            if participant is None:
                MeetingParticipant.objects.create(meeting=meeting, **values)
                continue
            changed = {
                name: value
                for name, value in values.items()
                if name != "person" and getattr(participant, name) != value
            }
            if changed:
                for name, value in changed.items():
                    setattr(participant, name, value)
                participant.save(update_fields=list(changed))
