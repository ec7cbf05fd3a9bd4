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


class DirectoryFilterForm(forms.Form):
    """The people directory's filters; a value that cannot be a slug or a country code
    filters nothing (and lists no one) rather than reaching the database."""

    organisation = forms.SlugField(required=False, max_length=100)
    country = forms.CharField(required=False, max_length=2)

    def clean_country(self):
        return self.cleaned_data["country"].upper()
