from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from common import history, versions
        from meetings import checks, signals  # noqa: F401
        from meetings.models import Meeting, MeetingParticipant

        versions.watch(Meeting, MeetingParticipant)
        history.track(Meeting, MeetingParticipant)
