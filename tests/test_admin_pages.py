"""Every page of every app's admin loads, with a row to show."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_admin_page_loads(staff_client, staff_user, programme, rf):
    request = rf.get("/admin/")
    request.user = staff_user
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert staff_client.get(changelist).status_code == 200, changelist
        assert staff_client.get(f"{changelist}?q=a").status_code == 200, changelist
        add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        # Some rows are only made by the site (feed links, login attempts): no add page.
        expected = 200 if model_admin.has_add_permission(request) else 403
        assert staff_client.get(add).status_code == expected, add
        first = model.objects.first()
        if first is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            assert staff_client.get(change).status_code == 200, change
