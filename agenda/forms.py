"""Forms that parse what attendees send from their own pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agenda.models import FeedToken
from common.refusals import UNKNOWN_CHOICE

# Longer than any address of the site; a longer one is not a page to come back to.
NEXT_LENGTH = 2000


class ButtonForm(forms.Form):
    """What a button on a page posts: an action among a few (absent, the first) and the
    page to come back to."""

    ACTIONS: tuple[str, ...] = ()

    action = forms.ChoiceField(required=False, error_messages=UNKNOWN_CHOICE)
    next = forms.CharField(required=False, max_length=NEXT_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(action, action) for action in self.ACTIONS]

    def clean_action(self):
        return self.cleaned_data["action"] or self.ACTIONS[0]


class ReturnForm(forms.Form):
    """The page a confirmation returns to."""

    next = forms.CharField(required=False, max_length=NEXT_LENGTH)


class StarForm(ButtonForm):
    ACTIONS = ("star", "unstar")


class RegistrationForm(ButtonForm):
    ACTIONS = ("register", "cancel")


class NewFeedLinkForm(forms.Form):
    label = forms.CharField(
        required=False, max_length=FeedToken._meta.get_field("label").max_length
    )


class RevokeFeedLinkForm(forms.Form):
    revoke = forms.ModelChoiceField(queryset=FeedToken.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revoke"].queryset = FeedToken.objects.active().filter(user=user)


class DirectoryFilterForm(forms.Form):
    """The people directory's filters; a value that cannot be a slug or a country code
    filters nothing (and lists no one) rather than reaching the database."""

    name = forms.CharField(required=False, max_length=100)
    organisation = forms.SlugField(required=False, max_length=100)
    country = forms.CharField(required=False, max_length=2)

    def clean_country(self):
        return self.cleaned_data["country"].upper()


class SearchForm(forms.Form):
    """The site's search: some text, not too much of it."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
