from django.db.models import ProtectedError
from rest_framework import mixins, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from agenda import cached
from agenda.api import serializers
from agenda.api.filters import RemovalFilter, SessionFilter
from agenda.models import Removal, Room, Session, Summit, Track, TravelTime, Venue
from common.errors import Refused
from common.views import AtomicWritesMixin


class KeepsHistoryMixin:
    # Deleting what the record holds on to (its relations PROTECT it) is refused as in the
    # admin: a 409 with the model's reason and what to do instead. A comment, not a
    # docstring: drf-spectacular would describe the viewsets with it.

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError as error:
            raise Refused(instance.deletion_refused) from error


class SummitViewSet(KeepsHistoryMixin, AtomicWritesMixin, viewsets.ModelViewSet):
    queryset = Summit.objects.order_by("start_date", "id")
    serializer_class = serializers.SummitSerializer
    ordering_fields = ["start_date", "name"]


class VenueViewSet(AtomicWritesMixin, viewsets.ModelViewSet):
    queryset = Venue.objects.prefetch_related("travel_from").order_by("summit", "name", "id")
    serializer_class = serializers.VenueSerializer
    filterset_fields = ["summit"]
    ordering_fields = ["name"]


class TravelTimeViewSet(AtomicWritesMixin, viewsets.ModelViewSet):
    queryset = TravelTime.objects.order_by("origin", "destination", "id")
    serializer_class = serializers.TravelTimeSerializer
    filterset_fields = ["origin", "destination"]


class RoomViewSet(AtomicWritesMixin, viewsets.ModelViewSet):
    queryset = Room.objects.order_by("venue", "position", "name", "id")
    serializer_class = serializers.RoomSerializer
    filterset_fields = ["venue", "venue__summit"]
    ordering_fields = ["name", "capacity"]


class TrackViewSet(AtomicWritesMixin, viewsets.ModelViewSet):
    queryset = Track.objects.order_by("summit", "name", "id")
    serializer_class = serializers.TrackSerializer
    filterset_fields = ["summit"]
    ordering_fields = ["name"]


class SharedListMixin:
    # A page of a list is kept in the cache under the programme's version for callers who
    # see the same programme (agenda.cached.audience), like the site's pages; anyone else
    # gets theirs built for them.

    def list(self, request, *args, **kwargs):
        build = lambda: super(SharedListMixin, self).list(request, *args, **kwargs).data  # noqa: E731
        parts = ("api", self.basename, request.get_host(), request.get_full_path())
        return Response(cached.rendered(request, parts, build))


class SessionViewSet(SharedListMixin, KeepsHistoryMixin, AtomicWritesMixin, viewsets.ModelViewSet):
    """The programme. Lists and details hold only what the caller may see."""

    serializer_class = serializers.SessionSerializer
    filterset_class = SessionFilter
    ordering_fields = ["start", "updated_at", "title"]

    def get_queryset(self):
        user = self.request.user
        return Session.objects.visible_to(user).with_people(user).order_by("start", "id")


class RemovalViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Sessions and meetings that left what the caller could see (deleted, or hidden from
    the public) since a moment: a syncing client drops its copy if the removal is newer."""

    serializer_class = serializers.RemovalSerializer
    filterset_class = RemovalFilter
    permission_classes = [AllowAny]
    ordering_fields = ["removed_at"]

    def get_queryset(self):
        return Removal.objects.visible_to(self.request.user).order_by("removed_at", "id")
