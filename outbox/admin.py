from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import ModelAdmin
from outbox import tasks
from outbox.models import Email


@admin.register(Email)
class EmailAdmin(ModelAdmin):
    """What the summit sent, is sending, or could not send (with the reason); read only."""

    list_display = [
        "created_at",
        "subject",
        "recipients",
        "purpose",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "purpose", "method"]
    search_fields = ["subject", "to"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Email._meta.fields]
    actions = ["retry"]

    @admin.display(description=_("to"))
    def recipients(self, email):
        return ", ".join(email.to)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected emails again"), permissions=["change"])
    def retry(self, request, queryset):
        count = tasks.retry(queryset)
        self.message_user(
            request,
            ngettext("%(count)d email queued again.", "%(count)d emails queued again.", count)
            % {"count": count},
        )
