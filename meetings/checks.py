"""What `manage.py check --deploy` says about the meetings' settings."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.validators import validate_email


@checks.register("meetings", deploy=True)
def organizer_mailbox(app_configs, **kwargs):
    """Calendar programs send their answers to an invitation's ORGANIZER: it must be a mailbox
    someone reads, not the placeholder under the reserved .invalid domain."""
    address = settings.SUMMIT_ORGANIZER_EMAIL
    try:
        validate_email(address)
    except ValidationError:
        usable = False
    else:
        usable = not address.rpartition("@")[2].lower().rstrip(".").endswith(".invalid")
    if usable:
        return []
    return [
        checks.Warning(
            f"SUMMIT_ORGANIZER_EMAIL is {address}: the answers calendar programs send to "
            "meeting invitations cannot be delivered.",
            hint="Set SUMMIT_ORGANIZER_EMAIL to a mailbox the protocol team reads.",
            id="meetings.W001",
        )
    ]
