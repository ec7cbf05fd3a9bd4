"""The texts of the programme written in each language (django-modeltranslation): a column
per language beside the original, English the fallback."""

from modeltranslation.translator import TranslationOptions, register

from agenda.models import Room, Session, Summit, Track, Venue


@register(Summit)
class SummitTexts(TranslationOptions):
    fields = ("name", "tagline", "description")


@register(Venue)
class VenueTexts(TranslationOptions):
    fields = ("name", "description")


@register(Room)
class RoomTexts(TranslationOptions):
    fields = ("name",)


@register(Track)
class TrackTexts(TranslationOptions):
    fields = ("name", "description")


@register(Session)
class SessionTexts(TranslationOptions):
    fields = ("title", "abstract")
