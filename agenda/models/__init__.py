"""The agenda's models; code and migrations import them from here, whichever module holds them."""

from agenda.models.attendance import AgendaChange, Registration, Star, now
from agenda.models.place import (
    Room,
    Summit,
    Track,
    TravelTime,
    Venue,
    validate_summit_slug,
    validate_time_zone,
)
from agenda.models.programme import (
    KeyPerson,
    SequencedModel,
    SequencedQuerySet,
    Session,
    SessionRole,
)
from agenda.models.release import AgendaVisit, Release
from agenda.models.sync import FeedToken, Removal

__all__ = [
    "AgendaChange",
    "AgendaVisit",
    "FeedToken",
    "KeyPerson",
    "Registration",
    "Release",
    "Removal",
    "Room",
    "SequencedModel",
    "SequencedQuerySet",
    "Session",
    "SessionRole",
    "Star",
    "Summit",
    "Track",
    "TravelTime",
    "Venue",
    "now",
    "validate_summit_slug",
    "validate_time_zone",
]
