import os

import pytest
from django.db import connection

# Parts a plain machine may lack. `make test` skips their tests with a loud reason; CI lists
# them in SUMMIT_REQUIRE (comma separated) so that such a skip fails the run instead.
REQUIRED_PARTS = {part.strip() for part in os.environ.get("SUMMIT_REQUIRE", "").split(",")}


def require(part, available, reason):
    """Skip (or, where CI requires the part, fail) a test that needs a missing part."""
    if available:
        return
    message = f"MISSING {part.upper()}: {reason}"
    if part in REQUIRED_PARTS:
        pytest.fail(f"{message} (required here by SUMMIT_REQUIRE)", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def postgres(db):
    require(
        "postgres",
        connection.vendor == "postgresql",
        "runs on PostgreSQL only; set DATABASE_URL=postgres://... or run `make test-postgres`",
    )


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # The manifest storage of production needs collectstatic; tests render templates as is.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        "staffer", "staffer@example.org", "pw-staffer-123", is_staff=True, is_superuser=True
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
