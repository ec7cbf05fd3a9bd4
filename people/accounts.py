"""Accounts: the password-reset email goes through the outbox like every other, and so
often only; the lock that repeated failed logins put on a username from one address
(django-axes) can be lifted."""

import hashlib
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as reset_login_attempts
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.validators import MaxLengthValidator
from django.template import loader
from django.utils import timezone

from common.limits import within_limit
from outbox import mail as outbox

# New-password links are counted per hour.
RESET_WINDOW_SECONDS = 3600


def login_lock_ends(*, username: str, address: str) -> datetime | None:
    """When the lock on logging in as `username` from `address` lifts; None if there is none.
    django-axes counts the failures of that pair (AXES_LOCKOUT_PARAMETERS) made within the
    cool-off, one row per browser: the lock lifts when the newest rows that reach the limit
    leave the cool-off. Tries while locked are not counted, so this time does not move."""
    cool_off = get_cool_off()
    attempts = AccessAttempt.objects.filter(
        username=username, ip_address=address, attempt_time__gte=timezone.now() - cool_off
    ).order_by("-attempt_time")
    failures = 0
    for attempt in attempts:
        failures += attempt.failures_since_start
        if failures >= settings.AXES_FAILURE_LIMIT:
            return attempt.attempt_time + cool_off
    return None


def lift_login_lock(user: AbstractBaseUser) -> bool:
    """Forget the failed logins as `user` from every address; whether there were any."""
    return reset_login_attempts(username=user.get_username()) > 0


def reset_allowed_from(address: str) -> bool:
    """Count one more new-password link asked for from the client `address`; whether it is
    within PASSWORD_RESETS_PER_CLIENT this hour. Asks for unknown email addresses count too,
    so a refusal says nothing about which addresses have an account."""
    return within_limit(
        f"password-reset:client:{address}",
        limit=settings.PASSWORD_RESETS_PER_CLIENT,
        seconds=RESET_WINDOW_SECONDS,
    )


def reset_allowed_to(email: str) -> bool:
    """Count one more new-password link asked for `email`; whether it is within
    PASSWORD_RESETS_PER_EMAIL this hour, whoever asks. The address is hashed: the cache
    holds no list of who forgot their password."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return within_limit(
        f"password-reset:email:{digest}",
        limit=settings.PASSWORD_RESETS_PER_EMAIL,
        seconds=RESET_WINDOW_SECONDS,
    )


class UsernameWithinLengthMixin:
    """Django's login forms give the username its length only in the page (maxlength): a
    longer one reached the database, where PostgreSQL refused it in the record of failed
    logins (a 500). It is refused beside its field now, before any password is tried."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class LoginForm(UsernameWithinLengthMixin, auth_forms.AuthenticationForm):
    pass


class AdminLoginForm(UsernameWithinLengthMixin, AdminAuthenticationForm):
    pass


class PasswordResetForm(auth_forms.PasswordResetForm):
    def save(self, *args, **kwargs):
        """Send the link, unless the address had its allowance this hour. The visitor sees
        the same page either way: it must tell neither whether the address has an account
        nor that someone else asked already. The links sent before still work."""
        if reset_allowed_to(self.cleaned_data["email"]):
            super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        outbox.send(
            to=[to_email],
            subject=loader.render_to_string(subject_template_name, context),
            body=loader.render_to_string(email_template_name, context),
            purpose="password-reset",
        )


class SetPasswordForm(auth_forms.SetPasswordForm):
    """The new password chosen through an emailed link. Whoever holds the mailbox is the
    account's owner: the lock that failed logins put on it goes, and the guesses that
    earned it are moot now that the password changed."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            lift_login_lock(user)
        return user
