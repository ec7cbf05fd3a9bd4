"""The texts about people written in each language (see agenda.translation)."""

from modeltranslation.translator import TranslationOptions, register

from people.models import Organisation, Person


@register(Organisation)
class OrganisationTexts(TranslationOptions):
    fields = ("name",)


@register(Person)
class PersonTexts(TranslationOptions):
    fields = ("position", "bio")
