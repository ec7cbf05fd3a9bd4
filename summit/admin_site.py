from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agenda import cached


class SummitAdminSite(admin.AdminSite):
    """The admin under the name of the summit being run rather than Django's. The index
    keeps its title ("Site administration", translated by Django)."""

    site_header = gettext_lazy("Summit: programme staff")
    site_title = gettext_lazy("Summit")

    def each_context(self, request):
        context = super().each_context(request)
        found = cached.current_summit(request)
        if found is not None:
            context["site_header"] = _("%(summit)s: programme staff") % {"summit": found.name}
            context["site_title"] = found.name
        return context
