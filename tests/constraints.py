"""The database itself refusing a row, whatever the checks before it."""

import pytest
from django.db import IntegrityError, transaction


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()
