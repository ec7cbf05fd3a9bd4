"""Forms that parse what attendees send from their own pages."""

from django import forms

from agenda.models import FeedToken


class NewFeedLinkForm(forms.Form):
    label = forms.CharField(required=False)


class RevokeFeedLinkForm(forms.Form):
    revoke = forms.ModelChoiceField(queryset=FeedToken.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revoke"].queryset = FeedToken.objects.active().filter(user=user)
