"""A production install (no dev extras) serves: the site imports, routes and passes its
checks with every dev-only module made impossible to import."""

import os
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from django.conf import settings

# The site as a production install has it: settings, apps, admin, middleware, every view and
# the system checks, with the modules named in argv (the dev extras) made impossible to import.
WITHOUT_DEV_EXTRAS = """
import sys
from importlib.abc import MetaPathFinder

class DevOnly(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in sys.argv[1:]:
            raise ModuleNotFoundError(f"No module named {name!r}: a dev extra", name=name)

sys.meta_path.insert(0, DevOnly())
import summit.wsgi, summit.urls
from django.core.management import call_command
call_command("check")
"""


def dev_only_modules():
    """The top-level modules installed by the distributions of pyproject's dev extras alone."""
    pyproject = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())

    def canonical(name):
        return re.sub(r"[-_.]+", "-", name).lower()

    dev = {
        canonical(re.match(r"[\w.-]+", requirement)[0])
        for requirement in pyproject["project"]["optional-dependencies"]["dev"]
    }
    return {
        module
        for module, distributions in packages_distributions().items()
        if {canonical(d) for d in distributions} <= dev
    }


def test_the_site_needs_no_dev_extra():
    modules = dev_only_modules()
    assert "pytest" in modules  # else the blocker would block nothing and prove nothing
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_DEV_EXTRAS, *sorted(modules)],
        cwd=settings.BASE_DIR,  # first on the path of `python -c`: these sources, no other copy
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "summit.settings",
            "DEBUG": "0",
            "SECRET_KEY": "production-install-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGH",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
