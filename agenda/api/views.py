from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from agenda import cached, scheduling
from agenda.api import serializers
from agenda.api.filters import RemovalFilter, SessionFilter
from agenda.models import Release, Removal, Room, Session, Summit, Track, TravelTime, Venue
from agenda.releases import predecessors
from common.errors import OutOfDate, Refused
from common.views import AtomicWritesMixin

IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description="The session's version as read (its updated_at, quoted, or the ETag): the "
    "write is refused with a 412 if the session changed since.",
)


def same_version(expected: str, current) -> bool:
    """Whether an `If-Match` names the current version: `*`, or the same moment."""
    if expected.strip() == "*":
        return True
    try:
        moment = parse_datetime(expected.strip().removeprefix("W/").strip('"'))
    except ValueError:  # the shape of a moment, but no such day or hour
        return False
    return moment is not None and moment == current


def tagged(response):
    if response.status_code == 200 and "updated_at" in response.data:
        response["ETag"] = f'"{response.data["updated_at"]}"'
    return response


def record(user, session, flag, message):
    """Keep the change in the session's history, as the admin does for its own."""
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[session],
        action_flag=flag,
        change_message=message,
        single_object=True,
    )


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
        renderer = request.accepted_renderer
        if renderer.format != "json":
            return Response(cached.rendered(request, parts, build))
        # JSON, as programs ask for it: kept as the bytes that go out.
        context = self.get_renderer_context()
        body = cached.rendered(
            request,
            (*parts, "json", request.accepted_media_type),
            lambda: renderer.render(build(), request.accepted_media_type, context),
        )
        return HttpResponse(body, content_type=renderer.media_type)


class SessionViewSet(SharedListMixin, KeepsHistoryMixin, AtomicWritesMixin, viewsets.ModelViewSet):
    """The programme. Lists and details hold only what the caller may see."""

    serializer_class = serializers.SessionSerializer
    filterset_class = SessionFilter
    ordering_fields = ["start", "updated_at", "title"]

    def get_queryset(self):
        user = self.request.user
        return Session.objects.visible_to(user).with_people(user).order_by("start", "id")

    versioned = True  # writes take If-Match (the schema documents their 412)

    # Several staff edit the timetable at once. A session's version is its `updated_at`, as
    # listings show it: the ETag of its answers, and the `If-Match` a write may send so that
    # it is refused (412) when someone else changed the session in between.

    def retrieve(self, request, *args, **kwargs):
        return tagged(super().retrieve(request, *args, **kwargs))

    @extend_schema(parameters=[IF_MATCH])
    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            expected = request.headers.get("If-Match")
            if expected is not None:
                session = self.get_object()
                current = (
                    Session.objects.select_for_update()
                    .values_list("updated_at", flat=True)
                    .get(pk=session.pk)
                )
                if not same_version(expected, current):
                    raise OutOfDate(
                        "Someone else changed this session since you read it. Read it again."
                    )
            return tagged(super().update(request, *args, **kwargs))

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def perform_create(self, serializer):
        session = serializer.save()
        record(self.request.user, session, ADDITION, "")

    def perform_update(self, serializer):
        before = Session.objects.select_related("summit", "room").get(pk=serializer.instance.pk)
        session = serializer.save()
        record(
            self.request.user,
            session,
            CHANGE,
            scheduling.describe_change(before=before, after=session),
        )

    @extend_schema(
        request=serializers.SessionSerializer(partial=True),
        responses=serializers.ConflictSerializer(many=True),
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def conflicts(self, request, pk=None):
        """The conflicts a change would meet, blocking or not, each with the item it clashes
        with; nothing is saved. Timetable editors ask before they move a session."""
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        with transaction.atomic():
            found = serializer.conflicts()
            transaction.set_rollback(True)
        return Response(serializers.ConflictSerializer(found, many=True).data)


class RemovalViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Sessions and meetings that left what the caller could see (deleted, or hidden from
    the public) since a moment: a syncing client drops its copy if the removal is newer."""

    serializer_class = serializers.RemovalSerializer
    filterset_class = RemovalFilter
    permission_classes = [AllowAny]
    ordering_fields = ["removed_at"]

    def get_queryset(self):
        return Removal.objects.visible_to(self.request.user).order_by("removed_at", "id")


class ReleaseViewSet(viewsets.ReadOnlyModelViewSet):
    """The releases of the programme, newest first, each with what it changed in the public
    programme since the one before: the changelog of /<summit>/changes/."""

    serializer_class = serializers.ReleaseSerializer
    permission_classes = [AllowAny]
    filterset_fields = ["summit"]
    ordering_fields = ["published_at", "number"]
    queryset = Release.objects.order_by("summit", "-number", "id")

    def get_serializer(self, *args, **kwargs):
        # Each release's changes need the one before it: all of them in one query.
        if args:
            releases = list(args[0]) if kwargs.get("many") else [args[0]]
            kwargs["context"] = {
                **self.get_serializer_context(),
                "previous": predecessors(releases),
            }
        return super().get_serializer(*args, **kwargs)
