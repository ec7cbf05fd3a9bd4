from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from agenda.views import changes, exports, feeds, me, programme
from meetings import views as meeting_views
from people.accounts import LoginForm, SetPasswordForm
from summit import language, media, views
from summit.views import PasswordResetView

# Admin, feeds and the API are never language-prefixed; pages may be (/fr/...).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("api/v1/", include("summit.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI, its script and styles loaded from files as the Content-Security-Policy asks.
    # (Redoc is not offered: it adds a stylesheet before it can be given a nonce, runs its
    # search in a worker from a blob: URL and loads its logo from its CDN.)
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    # A summit's logo and hero image; people's thumbnails below, by visibility.
    path("media/summits/<path:path>", views.media, name="media"),
    path("feeds/<str:token>.ics", feeds.personal_feed, name="personal-feed"),
    path("<slug:summit>/programme.ics", feeds.programme_feed, name="programme-feed"),
    path("<slug:summit>/sessions/<slug:slug>.ics", feeds.session_feed, name="session-feed"),
    path("<slug:summit>/people/<slug:slug>.ics", feeds.person_feed, name="person-feed"),
    path("<slug:summit>/tracks/<slug:slug>.ics", feeds.track_feed, name="track-feed"),
    path("<slug:summit>/schedule.xml", exports.schedule_xml, name="schedule-xml"),
    path("<slug:summit>/schedule.json", exports.schedule_json, name="schedule-json"),
    path("<slug:summit>/changes.atom", changes.ChangesFeed(), name="changes-feed"),
    # People's thumbnails, small files written by staff uploads, served to those who may see
    # the person (never MEDIA_ROOT whole: the originals stay private).
    path("media/people/thumbnails/<str:name>", media.thumbnail, name="thumbnail"),
]

urlpatterns += i18n_patterns(
    path("", programme.current_summit, name="current-summit"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/login/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("me/", me.me, name="me"),
    path("me/calendar/", me.calendar, name="me-calendar"),
    path("me/stars/<int:session_id>/", me.toggle_star, name="me-star"),
    path("me/meetings/", meeting_views.meeting_list, name="me-meetings"),
    path("me/meetings/<int:pk>/", meeting_views.meeting_detail, name="me-meeting"),
    path("me/meetings/<int:pk>/answer/", meeting_views.answer, name="me-meeting-answer"),
    path("me/registrations/<int:session_id>/", me.registration, name="me-registration"),
    path("", include("agenda.urls")),
    prefix_default_language=False,
)

handler403 = "summit.views.permission_denied"
handler404 = "summit.views.not_found"
handler500 = "summit.views.server_error"
