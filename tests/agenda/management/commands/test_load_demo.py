from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.mark.django_db
def test_the_command_prints_the_counts_and_the_logins():
    first, second = StringIO(), StringIO()

    call_command("load_demo", stdout=first)
    call_command("load_demo", stdout=second)

    assert "AI Action Summit: created " in first.getvalue()
    lines = second.getvalue().splitlines()
    assert lines[0].startswith("AI Action Summit: created 0, updated 0, unchanged ")
    assert lines[1:] == [
        "Demo logins (illustrative data; for local use only):",
        "  staff   summit-staff-2025   programme staff (admin)",
        "  amelie  summit-amelie-2025  attendee (researcher)",
        "  rahul   summit-rahul-2025   attendee (start-up founder, panellist)",
        "Admin: http://127.0.0.1:8000/admin/",
    ]


@pytest.mark.django_db
def test_the_command_is_silent_when_quiet_and_refuses_a_missing_file(tmp_path):
    out = StringIO()
    call_command("load_demo", "--quiet", stdout=out)
    assert out.getvalue() == ""

    with pytest.raises(CommandError, match="Nothing loaded"):
        call_command("load_demo", "--path", str(tmp_path / "missing.toml"))


@pytest.mark.django_db
def test_the_command_places_the_summit_on_other_dates_and_says_where():
    out = StringIO()

    call_command("load_demo", "--start", "2026-12-17", stdout=out)

    assert out.getvalue().splitlines()[1] == "Placed on 2026-12-14 to 2026-12-15."
    with pytest.raises(CommandError, match="'14/12/2026' is not a date such as 2026-12-14"):
        call_command("load_demo", "--start", "14/12/2026")
