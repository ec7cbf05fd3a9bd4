"""Summit's settings as deployed, plus a bare view to measure every page against (`make bench`).

benchmarks/ is never installed (see pyproject.toml), so the bare view exists in bench runs only.
"""

from summit.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
