"""Forms that parse what participants send from their meeting pages."""

from django import forms

from common.refusals import UNKNOWN_CHOICE
from meetings.models import MeetingParticipant


class AnswerForm(forms.Form):
    response = forms.ChoiceField(
        choices=[
            (MeetingParticipant.Response.ACCEPTED, MeetingParticipant.Response.ACCEPTED),
            (MeetingParticipant.Response.DECLINED, MeetingParticipant.Response.DECLINED),
        ],
        error_messages=UNKNOWN_CHOICE,
    )
