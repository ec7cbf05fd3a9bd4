"""A participant's meetings: the list, one meeting, and their answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from common.private import private_page
from common.refusals import form_refusal
from meetings import lifecycle
from meetings.forms import AnswerForm
from meetings.models import Meeting, MeetingParticipant


def my_meetings(user):
    person = getattr(user, "person", None)
    if person is None:
        return Meeting.objects.none()
    return Meeting.objects.visible_to(user).of_person(person).with_participants(user)


@private_page
@require_safe
@login_required
def meeting_list(request):
    meetings = my_meetings(request.user).order_by("window_start", "id")
    return render(request, "meetings/meeting_list.html", {"meetings": meetings})


@private_page
@require_safe
@login_required
def meeting_detail(request, pk):
    queryset = Meeting.objects.visible_to(request.user).with_participants(request.user)
    meeting = get_object_or_404(queryset.prefetch_related("transitions__actor"), pk=pk)
    person = getattr(request.user, "person", None)
    mine = next(
        (p for p in meeting.participants.all() if p.person_id == getattr(person, "pk", None)), None
    )
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "summit": meeting.summit,
            "meeting": meeting,
            "mine": mine,
            "can_answer": mine is not None and meeting.status in Meeting.HOLDING_STATUSES,
            # The history names who answered what: for the meeting's own people and staff.
            "show_history": mine is not None or request.user.is_staff,
        },
    )


@private_page
@require_POST
@login_required
def answer(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    answer = AnswerForm(request.POST)
    if not answer.is_valid():
        return form_refusal(request, answer)
    person = getattr(request.user, "person", None)
    try:
        if person is None:
            raise ValidationError(_("Your login is not linked to a participant."))
        lifecycle.reply(
            meeting, person=person, response=answer.cleaned_data["response"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        accepted = answer.cleaned_data["response"] == MeetingParticipant.Response.ACCEPTED
        messages.success(
            request,
            (_("You accepted “%(title)s”.") if accepted else _("You declined “%(title)s”."))
            % {"title": meeting.title},
        )
    return redirect("me-meeting", pk=meeting.pk)
