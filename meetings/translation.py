"""A meeting's title in each language, for its participants (see agenda.translation)."""

from modeltranslation.translator import TranslationOptions, register

from meetings.models import Meeting


@register(Meeting)
class MeetingTexts(TranslationOptions):
    fields = ("title",)
