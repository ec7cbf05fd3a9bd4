from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from common.views import AtomicWritesMixin
from meetings import lifecycle, scheduling
from meetings.api.actions import (
    CanScheduleMeetings,
    FindSlotsSerializer,
    ProposeSerializer,
    ReplySerializer,
    SlotQuerySerializer,
    SuggestionsSerializer,
)
from meetings.api.serializers import MeetingSerializer
from meetings.models import Meeting


class MeetingViewSet(AtomicWritesMixin, viewsets.ModelViewSet):
    """Meetings the caller takes part in (all of them for staff). A confidential meeting is
    a 404 for anyone else, exactly like a meeting that does not exist."""

    serializer_class = MeetingSerializer
    filterset_fields = ["summit", "status", "confidentiality", "room", "venue"]
    ordering_fields = ["start", "window_start", "updated_at"]

    def get_queryset(self):
        return (
            Meeting.objects.visible_to(self.request.user)
            .with_participants(self.request.user)
            .order_by("window_start", "id")
        )

    # A change of status, time or place is a step of the meeting's life (see lifecycle).
    def perform_create(self, serializer):
        meeting = serializer.save()
        lifecycle.apply_change(meeting, before=lifecycle.NEW, actor=self.request.user)

    def perform_update(self, serializer):
        before = serializer.before()
        meeting = serializer.save()
        lifecycle.apply_change(meeting, before=before, actor=self.request.user)

    def answer(self, meeting):
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(MeetingSerializer(meeting, context=self.get_serializer_context()).data)

    @extend_schema(request=ProposeSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanScheduleMeetings])
    def propose(self, request, pk=None, **kwargs):
        """Offer a time and a room (moving a confirmed meeting sends it back to proposed)."""
        meeting = self.get_object()
        data = ProposeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.propose(meeting, actor=request.user, **data.validated_data)
        return self.answer(meeting)

    @extend_schema(request=ReplySerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def reply(self, request, pk=None, **kwargs):
        """A participant accepts or declines; staff may answer for a participant."""
        meeting = self.get_object()
        data = ReplySerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        person = data.validated_data.get("person") or getattr(request.user, "person", None)
        if person is None:
            raise ValidationError({"person": "Your login is not linked to a participant."})
        lifecycle.reply(
            meeting, person=person, response=data.validated_data["response"], actor=request.user
        )
        return self.answer(meeting)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanScheduleMeetings])
    def cancel(self, request, pk=None, **kwargs):
        meeting = self.get_object()
        lifecycle.cancel(meeting, actor=request.user)
        return self.answer(meeting)

    @extend_schema(parameters=[SlotQuerySerializer], responses=SuggestionsSerializer)
    @action(
        detail=True, methods=["get"], permission_classes=[CanScheduleMeetings], filter_backends=[]
    )
    def slots(self, request, pk=None, **kwargs):
        """Free slots for this meeting's participants, earliest first, or why none fits."""
        meeting = self.get_object()
        query = SlotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = scheduling.suggest_slots(meeting=meeting, venue=query.validated_data.get("venue"))
        return Response(SuggestionsSerializer(found).data)

    @extend_schema(request=FindSlotsSerializer, responses=SuggestionsSerializer)
    @action(
        detail=False,
        methods=["post"],
        url_path="find-slots",
        permission_classes=[CanScheduleMeetings],
    )
    def find_slots(self, request, **kwargs):
        """Free slots for people who have no meeting yet: participants, window, duration."""
        data = FindSlotsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        meeting = Meeting(
            summit=values["summit"],
            window_start=values["window_start"],
            window_end=values["window_end"],
            duration_minutes=values["duration_minutes"],
            venue=values.get("venue"),
        )
        found = scheduling.suggest_slots(
            meeting=meeting, people=values["participants"], venue=values.get("venue")
        )
        return Response(SuggestionsSerializer(found).data)
