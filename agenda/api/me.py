from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from agenda import seats
from agenda.api.serializers import SessionSerializer
from agenda.models import Registration, Session, Star
from agenda.personal import personal_items
from common.private import PrivateAnswersMixin
from common.serializers import StrictSerializer
from meetings.api.serializers import MeetingSerializer
from people.api.serializers import PersonSerializer


class MeView(PrivateAnswersMixin, APIView):
    """The caller's own profile and agenda: their sessions and their meetings."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "email": serializers.EmailField(),
                "is_staff": serializers.BooleanField(),
                "person": PersonSerializer(allow_null=True),
                "sessions": SessionSerializer(many=True),
                "meetings": MeetingSerializer(many=True),
            },
        )
    )
    def get(self, request):
        user = request.user
        sessions, meetings = personal_items(user)
        context = {"request": request}
        person = getattr(user, "person", None)
        return Response(
            {
                "username": user.get_username(),
                "email": user.email,
                "is_staff": user.is_staff,
                "person": PersonSerializer(person, context=context).data if person else None,
                "sessions": SessionSerializer(
                    sessions.with_people(user).order_by("start", "id"), many=True, context=context
                ).data,
                "meetings": MeetingSerializer(
                    meetings.with_participants().order_by("start", "id"), many=True, context=context
                ).data,
            }
        )


@extend_schema_field(OpenApiTypes.INT)
class VisibleSessionField(serializers.PrimaryKeyRelatedField):
    """A session id the caller may see; any other id is refused like an unknown one."""

    def get_queryset(self):
        return Session.objects.visible_to(self.context["request"].user)


class StarSerializer(StrictSerializer):
    session = VisibleSessionField()


class RegistrationSerializer(StrictSerializer):
    session = VisibleSessionField()
    status = serializers.ChoiceField(choices=Registration.Status.choices, read_only=True)
    position = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Place on the waiting list, from 1."
    )
    message = serializers.CharField(read_only=True, help_text="The outcome, in words.")


class MyStarsView(PrivateAnswersMixin, APIView):
    """Star a session for the caller's agenda (POST); list the starred sessions (GET)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=StarSerializer(many=True))
    def get(self, request):
        stars = Star.objects.filter(user=request.user).order_by("session_id")
        return Response([{"session": star.session_id} for star in stars])

    @extend_schema(request=StarSerializer, responses={201: StarSerializer})
    def post(self, request):
        serializer = StarSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        session = serializer.validated_data["session"]
        seats.star(session=session, user=request.user)
        return Response({"session": session.pk}, status=status.HTTP_201_CREATED)


class MyStarView(PrivateAnswersMixin, APIView):
    """Unstar a session (DELETE); unstarring twice is harmless."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request, session_id):
        session = get_object_or_404(Session.objects.visible_to(request.user), pk=session_id)
        seats.unstar(session=session, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def registration_answer(outcome):
    return {
        "session": outcome.registration.session_id,
        "status": outcome.status,
        "position": outcome.position,
        "message": outcome.describe(),
    }


class MyRegistrationsView(PrivateAnswersMixin, APIView):
    """Register for a session with limited seats (POST): a seat if one is free, else a place
    on the waiting list, said in words. GET lists the caller's registrations."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=RegistrationSerializer(many=True))
    def get(self, request):
        person = getattr(request.user, "person", None)
        registrations = (
            Registration.objects.active()
            .with_positions()
            .filter(person=person)
            .order_by("session_id")
            if person
            else []
        )
        return Response(
            [registration_answer(seats.Outcome(r, r.waitlist_position)) for r in registrations]
        )

    @extend_schema(request=RegistrationSerializer, responses={201: RegistrationSerializer})
    def post(self, request):
        serializer = RegistrationSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        session = serializer.validated_data["session"]
        # A login without a person gets one when it registers, not when it is refused.
        seats.check_open(session)
        person = seats.person_for(request.user)
        outcome = seats.register(session=session, person=person, actor=request.user)
        return Response(registration_answer(outcome), status=status.HTTP_201_CREATED)


class MyRegistrationView(PrivateAnswersMixin, APIView):
    """Cancel a registration (DELETE): the seat goes to the next in line who is free then.
    Cancelling twice is harmless."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request, session_id):
        session = get_object_or_404(Session.objects.visible_to(request.user), pk=session_id)
        person = getattr(request.user, "person", None)
        if person is not None:
            seats.cancel(session=session, person=person, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
