"""The site's addresses plus views that fail, for the tests of the error pages."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.urls import path

from summit.urls import urlpatterns as site_patterns


def refused(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("broken on purpose")


urlpatterns = [
    *i18n_patterns(
        path("refused/", refused), path("broken/", broken), prefix_default_language=False
    ),
    *site_patterns,
]

handler403 = "summit.views.permission_denied"
handler404 = "summit.views.not_found"
handler500 = "summit.views.server_error"
