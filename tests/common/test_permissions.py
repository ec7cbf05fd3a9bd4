import pytest
from django.contrib.auth.models import Permission

from tests.api_helpers import api, new_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_and_attendees_cannot_write(site):
    assert api().post("/api/v1/sessions/", new_session(site)).status_code in {401, 403}
    assert api(UserFactory()).post("/api/v1/sessions/", new_session(site)).status_code == 403
    panel = site["sessions"]["panel"]
    assert api(UserFactory()).delete(f"/api/v1/sessions/{panel.pk}/").status_code == 403


def test_a_user_with_model_permissions_may_write(site):
    editor = UserFactory()
    editor.user_permissions.add(
        Permission.objects.get(codename="add_session", content_type__app_label="agenda")
    )
    assert api(editor).post("/api/v1/sessions/", new_session(site)).status_code == 201
