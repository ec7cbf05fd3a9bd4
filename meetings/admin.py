from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from agenda.admin import (
    ConflictCheckedForm,
    PeopleConflictFormSet,
    SummitZoneMixin,
    conflict_list,
    local_time,
)
from meetings import scheduling
from meetings.models import Meeting, MeetingParticipant


class MeetingForm(ConflictCheckedForm):
    class Meta:
        model = Meeting
        fields = [
            *("summit", "title", "purpose", "requested_by", "confidentiality"),
            *("window_start", "window_end", "duration_minutes"),
            *("status", "start", "end", "venue", "room"),
        ]

    def check_item(self, item):
        return scheduling.check_meeting(meeting=item, people=[])


class ParticipantFormSet(PeopleConflictFormSet):
    def takes_time(self, data):
        return data.get("response") != MeetingParticipant.Response.DECLINED


class ParticipantInline(admin.TabularInline):
    model = MeetingParticipant
    formset = ParticipantFormSet
    extra = 2
    autocomplete_fields = ["person"]
    fields = ["person", "side", "is_principal", "response", "responded_at"]


@admin.register(Meeting)
class MeetingAdmin(SummitZoneMixin, admin.ModelAdmin):
    form = MeetingForm
    list_display = ["title", "status", "starts", "room", "venue", "confidentiality", "sequence"]
    list_filter = ["status", "confidentiality", "summit", "venue"]
    list_select_related = ["summit", "room__venue", "venue"]
    search_fields = ["title", "purpose", "participants__person__name"]
    date_hierarchy = "window_start"
    autocomplete_fields = ["room", "venue", "requested_by"]
    readonly_fields = ["sequence", "updated_at", "current_conflicts"]
    inlines = [ParticipantInline]
    fieldsets = [
        (None, {"fields": ["summit", "title", "purpose", "requested_by", "confidentiality"]}),
        (_("Request"), {"fields": ["window_start", "window_end", "duration_minutes"]}),
        (_("Time and place"), {"fields": ["status", "start", "end", "venue", "room"]}),
        (
            _("Conflicts"),
            {"fields": ["current_conflicts", "accept_conflicts", "sequence", "updated_at"]},
        ),
    ]

    @admin.display(description=_("start"), ordering="start")
    def starts(self, meeting):
        return local_time(meeting, meeting.start)

    @admin.display(description=_("conflicts as saved"))
    def current_conflicts(self, meeting):
        if not meeting.pk:
            return _("Checked when you save.")
        return conflict_list(scheduling.check_meeting(meeting=meeting))
