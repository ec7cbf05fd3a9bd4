from django.contrib import admin
from django.db import models

from people.models import Delegation, Organisation, Person


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "organisation", "country", "is_public", "user"]
    list_filter = ["is_public", "organisation__kind", "country", "organisation"]
    list_select_related = ["organisation", "user"]
    search_fields = ["name", "position", "organisation__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation", "user"]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "head"]
    list_select_related = ["organisation", "head"]
    search_fields = ["name", "members__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation", "head", "members"]
