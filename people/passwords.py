"""Rules for the passwords attendees choose, beside Django's."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MaximumLengthValidator:
    """A passphrase of a few hundred words at most: a longer text is no safer, and one of a
    megabyte is a paste gone wrong or an attack on the page."""

    def __init__(self, max_length: int = 1000) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: object = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("This password is too long: it may have at most %(max_length)d characters.")
                % {"max_length": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("Your password may have at most %(max_length)d characters.") % {
            "max_length": self.max_length
        }
