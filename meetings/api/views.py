from rest_framework import viewsets

from meetings.api.serializers import MeetingSerializer
from meetings.models import Meeting
from summit.api import AtomicWritesMixin


class MeetingViewSet(AtomicWritesMixin, viewsets.ModelViewSet):
    """Meetings the caller takes part in (all of them for staff). A confidential meeting is
    a 404 for anyone else, exactly like a meeting that does not exist."""

    serializer_class = MeetingSerializer
    filterset_fields = ["summit", "status", "confidentiality", "room", "venue"]
    ordering_fields = ["start", "window_start", "updated_at"]

    def get_queryset(self):
        return (
            Meeting.objects.visible_to(self.request.user)
            .with_participants()
            .order_by("window_start", "id")
        )
