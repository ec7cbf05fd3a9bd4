from django.contrib.admin.apps import AdminConfig


class SummitAdminConfig(AdminConfig):
    """Django's admin, on a site named for the summit (summit.admin_site)."""

    default_site = "summit.admin_site.SummitAdminSite"
