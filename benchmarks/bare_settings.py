"""The same bare view with no middleware at all: what Django and gunicorn cost by themselves,
served by a second gunicorn beside the first."""

from benchmarks.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
