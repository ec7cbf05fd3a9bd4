from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agenda import history, scheduling, seats
from agenda.admin_forms import (
    ConflictCheckedForm,
    PeopleConflictFormSet,
    ScheduledItemAdmin,
    local_time,
)
from agenda.models import (
    AgendaChange,
    FeedToken,
    KeyPerson,
    Registration,
    Release,
    Removal,
    Room,
    Session,
    SessionRole,
    Star,
    Summit,
    Track,
    TravelTime,
    Venue,
)
from agenda.spreadsheets import SessionSpreadsheets
from agenda.views import release_preview, timetable_editor
from common.admin import HistoryAdmin, ModelAdmin, TabularInline, TextsAdmin


class KeepsHistoryAdmin(ModelAdmin):
    """Deleting what the record holds on to is refused (its relations PROTECT it, as the API
    finds too); the page says why and what to do instead."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            self.message_user(request, self.model.deletion_refused, messages.WARNING)
        return deleted, counts, perms_needed, protected


class VenueInline(TabularInline):
    model = Venue
    extra = 0
    fields = ["name", "slug", "address", "latitude", "longitude"]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True


class TrackInline(TabularInline):
    model = Track
    extra = 0
    fields = ["name", "slug", "colour"]
    prepopulated_fields = {"slug": ["name"]}


class KeyPersonInline(TabularInline):
    """The people the home page puts forward, in this order; none chosen, those who appear
    most often on the programme."""

    model = KeyPerson
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["position", "person"]
    ordering = ["position", "id"]


@admin.register(Summit)
class SummitAdmin(TextsAdmin, KeepsHistoryAdmin):
    list_display = ["name", "start_date", "end_date", "city", "time_zone", "timetable", "release"]
    readonly_fields = ["release"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "start_date"
    inlines = [VenueInline, TrackInline, KeyPersonInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The browser's colour picker; it writes #rrggbb, which the model's validators check.
        if db_field.name in {"primary_colour", "accent_colour"}:
            kwargs["widget"] = forms.TextInput(attrs={"type": "color"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self):
        timetable = self.admin_site.admin_view(self.timetable_view)
        return [
            path("<int:pk>/timetable/", timetable, name="agenda_summit_timetable"),
            path(
                "<int:pk>/release/",
                self.admin_site.admin_view(self.release_view),
                name="agenda_summit_release",
            ),
            *super().get_urls(),
        ]

    def timetable_view(self, request, pk):
        return timetable_editor.editor(request, get_object_or_404(Summit, pk=pk))

    def release_view(self, request, pk):
        summit = get_object_or_404(Summit, pk=pk)
        return release_preview.preview(request, summit, self.admin_site.each_context(request))

    @admin.display(description=_("release"))
    def release(self, summit):
        if summit.pk is None:
            return "—"
        url = reverse("admin:agenda_summit_release", kwargs={"pk": summit.pk})
        return format_html('<a href="{}">{}</a>', url, _("Publish a release"))

    @admin.display(description=_("timetable"))
    def timetable(self, summit):
        url = reverse("admin:agenda_summit_timetable", kwargs={"pk": summit.pk})
        return format_html('<a href="{}">{}</a>', url, _("Edit the timetable"))


class RoomInline(TabularInline):
    model = Room
    extra = 0
    fields = ["name", "slug", "capacity", "position"]
    prepopulated_fields = {"slug": ["name"]}


class TravelTimeInline(TabularInline):
    model = TravelTime
    fk_name = "origin"
    extra = 0
    verbose_name = _("travel time from this venue")
    verbose_name_plural = _("travel times from this venue")


@admin.register(Venue)
class VenueAdmin(TextsAdmin, ModelAdmin):
    list_display = ["name", "summit", "address", "latitude", "longitude"]
    list_filter = ["summit"]
    search_fields = ["name", "address"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["summit"]
    inlines = [RoomInline, TravelTimeInline]


@admin.register(TravelTime)
class TravelTimeAdmin(ModelAdmin):
    list_display = ["origin", "destination", "minutes"]
    list_filter = ["origin__summit"]
    list_select_related = ["origin", "destination"]
    list_editable = ["minutes"]


@admin.register(Room)
class RoomAdmin(TextsAdmin, HistoryAdmin, ModelAdmin):
    list_display = ["name", "venue", "capacity", "position"]
    list_filter = ["venue__summit", "venue"]
    search_fields = ["name", "venue__name"]
    list_select_related = ["venue"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Track)
class TrackAdmin(TextsAdmin, ModelAdmin):
    list_display = ["name", "summit", "colour_swatch"]
    list_filter = ["summit"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["summit"]

    @admin.display(description=_("colour"))
    def colour_swatch(self, track):
        # Painted by SVG's fill attribute: the Content-Security-Policy refuses style attributes.
        return format_html(
            '<svg width="1em" height="1em" aria-hidden="true"><rect width="100%" height="100%"'
            ' fill="{}"/></svg> {}',
            track.colour,
            track.colour,
        )


class SessionForm(ConflictCheckedForm):
    class Meta:
        model = Session
        fields = [
            *("summit", "title", "slug", "kind", "abstract", "start", "end", "room", "track"),
            *("status", "visibility", "capacity"),
        ]

    def clean_capacity(self):
        # Checked here, before the model's constraints, so that staff read why on the field.
        capacity = self.cleaned_data["capacity"]
        try:
            scheduling.enforce(
                scheduling.check_capacity(session_id=self.instance.pk, capacity=capacity),
                accept_warnings=True,
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return capacity

    def check_item(self, item):
        return scheduling.check_session(session=item, people=[])


class SessionRoleInline(TabularInline):
    model = SessionRole
    formset = PeopleConflictFormSet
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "role", "position"]


class RegistrationInline(TabularInline):
    """Who has a seat and who is in line; changes go through the registration admin so that
    seats are counted and freed seats offered down the line."""

    model = Registration
    extra = 0
    can_delete = False
    fields = readonly_fields = ("person", "status", "priority", "queued_at")
    show_change_link = True
    ordering = ["status", "-priority", "queued_at", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class HasConflictsFilter(admin.SimpleListFilter):
    title = _("conflicts")
    parameter_name = "conflicts"

    def lookups(self, request, model_admin):
        return [("yes", _("Has conflicts")), ("no", _("No conflicts"))]

    def queryset(self, request, queryset):
        if self.value() not in {"yes", "no"}:
            return queryset
        in_conflict = set()
        for summit in Summit.objects.filter(pk__in=queryset.values("summit_id")):
            for conflict in scheduling.summit_conflicts(summit=summit):
                for item in (conflict.item, conflict.other):
                    if isinstance(item, queryset.model):  # the sessions, not the meetings
                        in_conflict.add(item.pk)
        if self.value() == "yes":
            return queryset.filter(pk__in=in_conflict)
        return queryset.exclude(pk__in=in_conflict)


@admin.register(Session)
class SessionAdmin(
    SessionSpreadsheets, TextsAdmin, KeepsHistoryAdmin, HistoryAdmin, ScheduledItemAdmin
):
    form = SessionForm
    list_display = [
        "title",
        "kind",
        "starts",
        "ends",
        "room",
        "track",
        "status",
        "visibility",
        "capacity",
        "sequence",
    ]
    list_filter = [
        HasConflictsFilter,
        "summit",
        "status",
        "visibility",
        "kind",
        "track",
        "room__venue",
    ]
    list_select_related = ["summit", "room__venue", "track"]
    search_fields = ["title", "abstract", "roles__person__name"]
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["room", "track"]
    readonly_fields = ["sequence", "updated_at", "current_conflicts", "seats_taken"]
    inlines = [SessionRoleInline, RegistrationInline]
    actions = ["cancel_sessions", "reinstate_sessions"]
    fieldsets = [
        (None, {"fields": ["summit", "title", "slug", "kind", "abstract"]}),
        (_("When and where"), {"fields": ["start", "end", "room", "track"]}),
        (_("Audience"), {"fields": ["status", "visibility", "capacity", "seats_taken"]}),
        (
            _("Conflicts"),
            {"fields": ["current_conflicts", "accept_conflicts", "sequence", "updated_at"]},
        ),
    ]

    @admin.display(description=_("start"), ordering="start")
    def starts(self, session):
        return local_time(session, session.start)

    @admin.display(description=_("end"), ordering="end")
    def ends(self, session):
        return local_time(session, session.end)

    def conflicts_of(self, session):
        return scheduling.check_session(session=session)

    restorable = True
    change_list_template = "admin/history/change_list.html"

    def deleted_records(self):
        return history.deleted_sessions()

    def restore(self, history_id):
        return history.restore_session(history_id=history_id)

    def relations_of(self, record):
        roles, registrations = history.deleted_relations(record)
        return [
            *(f"{role.person} ({role.get_role_display()})" for role in roles),
            *(
                f"{registration.person}: {registration.get_status_display()}"
                for registration in registrations
            ),
        ]

    @admin.action(description=_("Cancel the selected sessions"), permissions=["change"])
    def cancel_sessions(self, request, queryset):
        count = queryset.cancel()
        self.message_user(
            request,
            ngettext(
                "%(count)d session cancelled; calendars will show it as cancelled.",
                "%(count)d sessions cancelled; calendars will show them as cancelled.",
                count,
            )
            % {"count": count},
        )

    @admin.action(description=_("Reinstate the selected sessions"), permissions=["change"])
    def reinstate_sessions(self, request, queryset):
        reinstated = 0
        cancelled = queryset.filter(status=Session.Status.CANCELLED).select_related(
            "summit", "room__venue"
        )
        for session in cancelled:
            session.status = Session.Status.SCHEDULED
            with transaction.atomic():
                try:
                    warnings = scheduling.enforce(
                        scheduling.check_session(session=session), accept_warnings=True
                    )
                except ValidationError as error:
                    refusal = " ".join(error.messages)
                    self.message_user(
                        request,
                        _("“%(session)s” stays cancelled: %(why)s")
                        % {"session": session, "why": refusal},
                        messages.ERROR,
                    )
                    continue
                session.save()
            reinstated += 1
            for warning in warnings:
                self.message_user(request, warning.message, messages.WARNING)
        self.message_user(
            request,
            ngettext("%(count)d session reinstated.", "%(count)d sessions reinstated.", reinstated)
            % {"count": reinstated},
        )


@admin.register(SessionRole)
class SessionRoleAdmin(HistoryAdmin, ModelAdmin):
    list_display = ["person", "role", "session"]
    list_filter = ["role", "session__summit"]
    search_fields = ["person__name", "session__title"]
    list_select_related = ["person", "session"]
    autocomplete_fields = ["person", "session"]


@admin.register(FeedToken)
class FeedTokenAdmin(ModelAdmin):
    """Staff see who holds personal feed links and revoke any; the secrets are never stored."""

    list_display = ["user", "label", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "label"]
    readonly_fields = ["user", "label", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected links"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d link revoked.", "%(count)d links revoked.", count)
            % {"count": count},
        )


class DirectRegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["session", "person", "priority"]
        help_texts = {
            "priority": _("A guest of honour: takes a free seat, or goes first in line."),
        }

    def clean(self):
        data = super().clean()
        if data.get("session") is not None:
            seats.check_open(data["session"])
        return data


@admin.register(Registration)
class RegistrationAdmin(HistoryAdmin, ModelAdmin):
    """Staff register someone directly (a seat if free, else first in line) and cancel
    registrations; the seat count and the waiting list follow the same rules as the site."""

    list_display = ["session", "person", "status", "priority", "queued_at"]
    list_filter = ["status", "priority", "session__summit", "session"]
    list_select_related = ["session", "person"]
    search_fields = ["person__name", "session__title"]
    autocomplete_fields = ["session", "person"]
    actions = ["cancel_registrations"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = DirectRegistrationForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ["session", "person", "status", "queued_at"] if obj else []

    def get_fields(self, request, obj=None):
        return (
            ["session", "person", "status", "priority", "queued_at"]
            if obj
            else ["session", "person", "priority"]
        )

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["priority", "updated_at"])
            return
        outcome = seats.register(
            session=obj.session,
            person=obj.person,
            actor=request.user,
            priority=obj.priority,
            allow_clash=True,
        )
        obj.pk = outcome.registration.pk
        self.message_user(request, f"{obj.person}: {outcome.describe()}")

    @admin.action(
        description=_("Cancel the selected registrations (seats go down the line)"),
        permissions=["change"],
    )
    def cancel_registrations(self, request, queryset):
        cancelled = 0
        for registration in queryset.select_related("session", "person"):
            if seats.cancel(
                session=registration.session, person=registration.person, actor=request.user
            ):
                cancelled += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d registration cancelled.", "%(count)d registrations cancelled.", cancelled
            )
            % {"count": cancelled},
        )


class RecordAdmin(ModelAdmin):
    """A record the site writes and nobody edits: read only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgendaChange)
class AgendaChangeAdmin(RecordAdmin):
    """The record of every change to an attendee's time: read only."""

    list_display = ["at", "action", "person", "user", "session", "actor", "detail"]
    list_filter = ["action", "session__summit"]
    list_select_related = ["person", "user", "session", "actor"]
    search_fields = ["person__name", "user__username", "session__title", "detail"]
    date_hierarchy = "at"


@admin.register(Star)
class StarAdmin(ModelAdmin):
    list_display = ["user", "session", "created_at"]
    list_filter = ["session__summit"]
    list_select_related = ["user", "session"]
    search_fields = ["user__username", "session__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Removal)
class RemovalAdmin(ModelAdmin):
    """What syncing clients are told to drop: read only."""

    list_display = ["removed_at", "kind", "object_id", "reason", "public", "summit"]
    list_filter = ["kind", "reason", "public", "summit"]
    date_hierarchy = "removed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Release)
class ReleaseAdmin(RecordAdmin):
    """The releases published, read only: a release is published from its summit's page
    ("Publish a release"), which shows what it changes first, and is never edited after."""

    list_display = ["__str__", "published_at", "published_by", "note", "changelog"]
    list_filter = ["summit"]
    list_select_related = ["summit", "published_by"]
    search_fields = ["note"]
    date_hierarchy = "published_at"
    fields = readonly_fields = (
        "summit",
        "number",
        "note",
        "published_at",
        "published_by",
        "changelog",
    )

    @admin.display(description=_("changelog"))
    def changelog(self, release):
        return format_html('<a href="{}">{}</a>', release.get_absolute_url(), _("Changes"))
