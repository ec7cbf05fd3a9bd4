from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from agenda import views as agenda_views

# Admin, feeds and the API are never language-prefixed; pages may be (/fr/...).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", agenda_views.current_summit, name="current-summit"),
    path("", include("people.urls")),
    path("", include("agenda.urls")),
    prefix_default_language=False,
)
