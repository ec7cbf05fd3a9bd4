from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self):
        from common import history, versions
        from people import checks  # noqa: F401
        from people.models import Delegation, Organisation, Person

        versions.watch(Organisation, Person, Delegation)
        history.track(Person)
