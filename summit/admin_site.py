from django.contrib import admin
from django.utils.translation import gettext as _

from agenda import cached


class SummitAdminSite(admin.AdminSite):
    """The admin under the name of the summit being run rather than Django's."""

    def each_context(self, request):
        context = super().each_context(request)
        found = cached.current_summit(request)
        if found is not None:
            context["site_header"] = _("%(summit)s: programme staff") % {"summit": found.name}
            context["site_title"] = found.name
            context["index_title"] = _("Programme administration")
        return context
