from django.urls import path
from rest_framework.routers import DefaultRouter

from agenda.api import views as agenda
from agenda.api.me import (
    MeView,
    MyRegistrationsView,
    MyRegistrationView,
    MyStarsView,
    MyStarView,
)
from meetings.api import views as meetings
from people.api import views as people

router = DefaultRouter()
router.register("summits", agenda.SummitViewSet)
router.register("venues", agenda.VenueViewSet)
router.register("travel-times", agenda.TravelTimeViewSet)
router.register("rooms", agenda.RoomViewSet)
router.register("tracks", agenda.TrackViewSet)
router.register("sessions", agenda.SessionViewSet, basename="session")
router.register("removals", agenda.RemovalViewSet, basename="removal")
router.register("releases", agenda.ReleaseViewSet, basename="release")
router.register("people", people.PersonViewSet, basename="person")
router.register("organisations", people.OrganisationViewSet)
router.register("meetings", meetings.MeetingViewSet, basename="meeting")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("me/stars/", MyStarsView.as_view(), name="api-my-stars"),
    path("me/stars/<int:session_id>/", MyStarView.as_view(), name="api-my-star"),
    path("me/registrations/", MyRegistrationsView.as_view(), name="api-my-registrations"),
    path(
        "me/registrations/<int:session_id>/",
        MyRegistrationView.as_view(),
        name="api-my-registration",
    ),
    *router.urls,
]
