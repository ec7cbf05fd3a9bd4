"""Accounts: the password-reset email goes through the outbox like every other."""

from django.contrib.auth import forms as auth_forms
from django.template import loader

from outbox import mail as outbox


class PasswordResetForm(auth_forms.PasswordResetForm):
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
