from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from agenda import signals  # noqa: F401
        from agenda.models import (
            KeyPerson,
            Release,
            Room,
            Session,
            SessionRole,
            Summit,
            Track,
            TravelTime,
            Venue,
        )
        from common import versions

        # A release names the programme in the exports: publishing one moves the version.
        versions.watch(
            Summit, Venue, TravelTime, Room, Track, Session, SessionRole, KeyPerson, Release
        )
