"""The language switch in every page's header."""

from django import forms
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.views import i18n
from django.views.decorators.http import require_http_methods

from agenda.forms import NEXT_LENGTH
from common.refusals import UNKNOWN_CHOICE, form_refusal


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES, error_messages=UNKNOWN_CHOICE)
    next = forms.CharField(required=False, max_length=NEXT_LENGTH)


@require_http_methods(["GET", "HEAD", "POST"])
def set_language(request):
    """Django's switch, for a language the site speaks: another is a 400 naming it, where
    Django would quietly keep the current one. A GET changes nothing and goes back, as
    Django's does."""
    if request.method == "POST":
        form = LanguageForm(request.POST)
        if not form.is_valid():
            return form_refusal(request, form)
    return i18n.set_language(request)


def switch(request):
    """The header's language links: this very page (path and filters) in each language.
    Plain links, so that they work both ways: an unprefixed path is English whatever the
    cookie says (i18n_patterns without a prefix for the default language)."""
    current = translation.get_language()
    path = request.get_full_path()
    return {
        "language_links": [
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "url": translate_url(path, code),
                "current": code == current,
            }
            for code, _ in settings.LANGUAGES
        ]
    }
