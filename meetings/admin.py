from django import forms
from django.contrib import admin
from django.contrib import messages as django_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agenda.admin_forms import (
    ConflictCheckedForm,
    PeopleConflictFormSet,
    ScheduledItemAdmin,
    local_time,
)
from agenda.models import Room, Venue
from common.admin import HistoryAdmin, ModelAdmin, TabularInline, TextsAdmin
from meetings import history, lifecycle, scheduling
from meetings.models import Meeting, MeetingParticipant, MeetingTransition


class ProposeSlotForm(forms.Form):
    """The slot staff chose among the suggestions: a start (in the summit's zone) and a room."""

    start = forms.DateTimeField(label=_("start"))
    room = forms.ModelChoiceField(label=_("room"), queryset=Room.objects.none())

    def __init__(self, *args, summit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(venue__summit=summit)


class VenueChoice(forms.Form):
    venue = forms.ModelChoiceField(queryset=Venue.objects.none(), required=False)

    def __init__(self, *args, summit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = summit.venues.all()


class MeetingForm(ConflictCheckedForm):
    class Meta:
        model = Meeting
        fields = [
            *("summit", "title", "purpose", "requested_by", "confidentiality"),
            *("window_start", "window_end", "duration_minutes", "respond_by"),
            *("status", "start", "end", "venue", "room"),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The meeting as stored, which the lifecycle compares the edit with.
        self.before = lifecycle.State.of(self.instance)

    def clean(self):
        data = super().clean()
        if "status" in data:
            try:
                lifecycle.check_change(before=self.before, status=data["status"])
            except ValidationError as error:
                self.add_error(None, error)
        return data

    def check_item(self, item):
        return scheduling.check_meeting(meeting=item, people=[])


class ParticipantFormSet(PeopleConflictFormSet):
    def takes_time(self, form):
        return form.instance.response != MeetingParticipant.Response.DECLINED


class ParticipantInline(TabularInline):
    model = MeetingParticipant
    formset = ParticipantFormSet
    extra = 2
    autocomplete_fields = ["person"]
    fields = ["person", "side", "is_principal", "response", "responded_at"]
    # Only the participant answers (or staff for them, with the reply action of the API or
    # the actions of the participants' list); someone newly added has yet to answer.
    readonly_fields = ["response", "responded_at"]


class TransitionInline(TabularInline):
    model = MeetingTransition
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "actor", "from_status", "to_status", "note")
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Meeting)
class MeetingAdmin(TextsAdmin, HistoryAdmin, ScheduledItemAdmin):
    form = MeetingForm
    list_display = ["title", "status", "starts", "room", "venue", "confidentiality", "sequence"]
    list_filter = ["status", "confidentiality", "summit", "venue"]
    list_select_related = ["summit", "room__venue", "venue"]
    search_fields = ["title", "purpose", "participants__person__name"]
    date_hierarchy = "window_start"
    autocomplete_fields = ["room", "venue", "requested_by"]
    readonly_fields = ["sequence", "updated_at", "current_conflicts"]
    inlines = [ParticipantInline, TransitionInline]
    actions = ["cancel_meetings", "expire_overdue"]
    change_form_template = "admin/meetings/meeting/change_form.html"
    fieldsets = [
        (None, {"fields": ["summit", "title", "purpose", "requested_by", "confidentiality"]}),
        (
            _("Request"),
            {"fields": ["window_start", "window_end", "duration_minutes", "respond_by"]},
        ),
        (_("Time and place"), {"fields": ["status", "start", "end", "venue", "room"]}),
        (
            _("Conflicts"),
            {"fields": ["current_conflicts", "accept_conflicts", "sequence", "updated_at"]},
        ),
    ]

    @admin.display(description=_("start"), ordering="start")
    def starts(self, meeting):
        return local_time(meeting, meeting.start)

    def conflicts_of(self, meeting):
        return scheduling.check_meeting(meeting=meeting)

    restorable = True
    change_list_template = "admin/history/change_list.html"

    def deleted_records(self):
        return history.deleted_meetings()

    def restore(self, history_id):
        return history.restore_meeting(history_id=history_id)

    def relations_of(self, record):
        return [
            f"{participant.person} ({participant.get_response_display()})"
            for participant in history.deleted_participants(record)
        ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the participants: they are the ones the lifecycle asks and emails.
        lifecycle.apply_change(form.instance, before=form.before, actor=request.user)

    def get_urls(self):
        suggest = self.admin_site.admin_view(self.suggest_view)
        return [
            path("<int:pk>/suggest/", suggest, name="meetings_meeting_suggest"),
            *super().get_urls(),
        ]

    def suggest_view(self, request, pk):
        """The "suggest slots" step: free slots for everyone, with a room; one click proposes."""
        meeting = get_object_or_404(Meeting.objects.select_related("summit", "venue"), pk=pk)
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        timezone.activate(meeting.summit.tz)
        if request.method == "POST":
            chosen = ProposeSlotForm(request.POST, summit=meeting.summit)
            try:
                if not chosen.is_valid():
                    # The slot's fields are hidden in its button: each error says whose it is.
                    raise ValidationError(
                        [
                            f"{capfirst(chosen[name].label)}: {' '.join(errors)}"
                            for name, errors in chosen.errors.items()
                        ]
                    )
                lifecycle.propose(
                    meeting,
                    start=chosen.cleaned_data["start"],
                    room=chosen.cleaned_data["room"],
                    actor=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, level=django_messages.ERROR)
            else:
                self.message_user(request, _("Proposed; the participants are asked to answer."))
                return redirect("admin:meetings_meeting_change", meeting.pk)
        venues = VenueChoice(request.GET, summit=meeting.summit)
        venue = venues.cleaned_data["venue"] if venues.is_valid() else None
        suggestions = scheduling.suggest_slots(meeting=meeting, venue=venue, limit=8)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "meeting": meeting,
            "suggestions": suggestions,
            "venues": meeting.summit.venues.all(),
            "chosen_venue": venue,
            "title": _("Suggest slots"),
        }
        return TemplateResponse(request, "admin/meetings/meeting/suggest.html", context)

    @admin.action(
        description=_("Cancel the selected meetings (participants are told)"),
        permissions=["change"],
    )
    def cancel_meetings(self, request, queryset):
        cancelled = 0
        for meeting in queryset:
            try:
                lifecycle.cancel(meeting, actor=request.user)
                cancelled += 1
            except ValidationError as error:
                self.message_user(
                    request, f"{meeting}: {' '.join(error.messages)}", django_messages.WARNING
                )
        self.message_user(request, _("%(count)d meeting(s) cancelled.") % {"count": cancelled})

    @admin.action(
        description=_("Expire requests unanswered past their deadline"), permissions=["change"]
    )
    def expire_overdue(self, request, queryset):
        expired = lifecycle.expire_overdue(meetings=queryset)
        self.message_user(request, _("%(count)d meeting(s) expired.") % {"count": len(expired)})


@admin.register(MeetingParticipant)
class MeetingParticipantAdmin(HistoryAdmin, ModelAdmin):
    """Answers across meetings. Staff answer for participants with the actions, which take
    the answer through the lifecycle like the participant's own."""

    list_display = ["person", "meeting", "side", "is_principal", "response", "responded_at"]
    list_filter = ["response", "is_principal", "meeting__summit"]
    list_select_related = ["person", "meeting"]
    search_fields = ["person__name", "meeting__title"]
    autocomplete_fields = ["person", "meeting"]
    readonly_fields = ["response", "responded_at"]
    actions = ["accept_for_them", "decline_for_them"]

    def has_answer_permission(self, request):
        # As in the API: answering for someone else is for those who schedule meetings.
        return request.user.has_perm("meetings.change_meeting")

    @admin.action(description=_("Accept for the selected participants"), permissions=["answer"])
    def accept_for_them(self, request, queryset):
        self.answer_for(request, queryset, MeetingParticipant.Response.ACCEPTED)

    @admin.action(description=_("Decline for the selected participants"), permissions=["answer"])
    def decline_for_them(self, request, queryset):
        self.answer_for(request, queryset, MeetingParticipant.Response.DECLINED)

    def answer_for(self, request, queryset, response):
        answered = 0
        for participant in queryset.select_related("meeting", "person"):
            try:
                lifecycle.reply(
                    participant.meeting,
                    person=participant.person,
                    response=response,
                    actor=request.user,
                )
            except ValidationError as error:
                self.message_user(
                    request, f"{participant}: {' '.join(error.messages)}", django_messages.WARNING
                )
            else:
                answered += 1
        self.message_user(request, _("%(count)d answer(s) recorded.") % {"count": answered})
