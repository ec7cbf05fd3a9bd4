from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from agenda.api.serializers import SessionSerializer
from agenda.feeds import personal_items
from meetings.api.serializers import MeetingSerializer
from people.api.serializers import PersonSerializer


class MeView(APIView):
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
