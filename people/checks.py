"""What `manage.py check --deploy` says about where the site counts logins and requests."""

from django.conf import settings
from django.core import checks

# Caches that each process keeps for itself, or that keep nothing.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """The API's throttles and the new-password limits count in the default cache. Kept in
    each process, every gunicorn worker counts on its own: four workers allow four times the
    rate, and a restart forgets the counts. A development server is one process."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        checks.Warning(
            f"The default cache ({backend.rpartition('.')[2]}) is not shared between "
            "processes: each worker counts API throttles and new-password limits on its own.",
            hint="Set CACHE_URL=redis://host:6379/0 so that every worker counts in one place.",
            id="people.W001",
        )
    ]
