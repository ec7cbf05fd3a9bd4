from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework.authtoken import admin as token_admin
from rest_framework.authtoken.models import TokenProxy

from common.admin import AnyInputMixin, HistoryAdmin, ModelAdmin, TextsAdmin
from people import accounts, invitations
from people.models import Delegation, Organisation, Person
from people.spreadsheets import PersonSpreadsheets


@admin.register(Organisation)
class OrganisationAdmin(TextsAdmin, ModelAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    position = forms.CharField(label=_("Job title"), max_length=300, required=False)
    country = forms.CharField(label=_("Country code"), max_length=2, required=False)
    csv_file = forms.FileField(
        label=_("Or a CSV file"),
        required=False,
        help_text=_("UTF-8, first line: name,email[,organisation,position,country]"),
    )

    def invitees(self):
        """The invitees this form names; raises ValidationError naming what is wrong."""
        data = self.cleaned_data
        if data.get("csv_file"):
            raw = data["csv_file"].read(2_000_000)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise ValidationError(_("The file is not UTF-8 text.")) from error
            return invitations.read_csv(text)
        if not data.get("email"):
            raise ValidationError(_("Give a name and an email, or a CSV file."))
        invitee = invitations.Invitee(**{key: data.get(key) or "" for key in invitations.COLUMNS})
        return [invitations.clean_invitee(invitee)]


@admin.register(Person)
class PersonAdmin(PersonSpreadsheets, TextsAdmin, HistoryAdmin, ModelAdmin):
    list_display = ["name", "position", "organisation", "country", "is_public", "user"]
    list_filter = ["is_public", "organisation__kind", "country", "organisation"]
    list_select_related = ["organisation", "user"]
    search_fields = ["name", "position", "organisation__name", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation", "user"]

    def get_urls(self):
        invite = self.admin_site.admin_view(self.invite_view)
        return [path("invite/", invite, name="people_person_invite"), *super().get_urls()]

    def invite_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:people_person_changelist")
        form = InviteForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                created, existing = invitations.invite(form.invitees(), request=request)
            except ValidationError as error:
                errors = error.messages
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d invitation sent.", "%(count)d invitations sent.", len(created)
                    )
                    % {"count": len(created)},
                )
                if existing:
                    emails = ", ".join(invitee.email for invitee in existing)
                    self.message_user(
                        request,
                        _("Already invited, left as they are: %(emails)s") % {"emails": emails},
                        messages.WARNING,
                    )
                return redirect("admin:people_person_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/people/person/invite.html", context)


@admin.register(Delegation)
class DelegationAdmin(ModelAdmin):
    list_display = ["name", "organisation", "head"]
    list_select_related = ["organisation", "head"]
    search_fields = ["name", "members__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation", "head", "members"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(AnyInputMixin, auth_admin.UserAdmin):
    actions = ["lift_login_lock"]

    @admin.action(description=_("Lift login lock"), permissions=["change"])
    def lift_login_lock(self, request, queryset):
        """For the attendee on the phone who is locked out and has no access to their mailbox:
        staff who know them lift the lock, from every address."""
        lifted = sum(accounts.lift_login_lock(user) for user in queryset)
        if lifted:
            self.message_user(
                request,
                ngettext(
                    "Lifted the login lock of %(count)d user.",
                    "Lifted the login lock of %(count)d users.",
                    lifted,
                )
                % {"count": lifted},
            )
        else:
            self.message_user(
                request, _("None of these users had failed logins on record."), messages.WARNING
            )


admin.site.login_form = accounts.AdminLoginForm

# The admins of groups, API tokens and failed logins that Django and its add-ons bring,
# answering any input like ours.
admin.site.unregister([Group, TokenProxy, AccessAttempt, AccessLog, AccessFailureLog])


@admin.register(Group)
class GroupAdmin(AnyInputMixin, auth_admin.GroupAdmin):
    pass


@admin.register(TokenProxy)
class TokenAdmin(AnyInputMixin, token_admin.TokenAdmin):
    pass


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AnyInputMixin, axes_admin.AccessAttemptAdmin):
    pass


@admin.register(AccessLog)
class AccessLogAdmin(AnyInputMixin, axes_admin.AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(AnyInputMixin, axes_admin.AccessFailureLogAdmin):
    pass
