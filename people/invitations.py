"""Inviting attendees: a login, a private Person linked to it, and an email whose link lets
them set their own password (Django's password-reset token, valid for PASSWORD_RESET_TIMEOUT)."""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from outbox import mail as outbox
from people.models import Organisation, Person

COLUMNS = ["name", "email", "organisation", "position", "country"]


@dataclass(frozen=True)
class Invitee:
    name: str
    email: str
    organisation: str = ""
    position: str = ""
    country: str = ""


def clean_invitee(invitee):
    """Refuse a row that cannot become an attendee, naming the field."""
    errors = {}
    if not invitee.name.strip():
        errors["name"] = _("A name is needed.")
    if len(invitee.name) > 200:
        errors["name"] = _("Names are at most 200 characters.")
    try:
        validate_email(invitee.email.strip())
    except ValidationError:
        errors["email"] = _("“%(email)s” is not an email address.") % {"email": invitee.email}
    else:
        if len(invitee.email.strip()) > 150:  # it becomes the username
            errors["email"] = _("Email addresses are at most 150 characters here.")
    if invitee.country and len(invitee.country.strip()) != 2:
        errors["country"] = _("Give the two-letter country code, e.g. FR.")
    if errors:
        raise ValidationError(errors)
    return Invitee(
        name=invitee.name.strip(),
        email=invitee.email.strip().lower(),
        organisation=invitee.organisation.strip(),
        position=invitee.position.strip()[:300],
        country=invitee.country.strip().upper(),
    )


def read_csv(data):
    """Invitees from CSV text with a header naming at least name and email."""
    if "\x00" in data:
        # No database can store it as text; PostgreSQL refuses even to compare it.
        raise ValidationError(_("The file contains a NUL character, which is not text."))
    reader = csv.DictReader(io.StringIO(data))
    try:
        header = [column.strip().lower() for column in reader.fieldnames or []]
        reader.fieldnames = header
        rows = list(reader)
    except csv.Error as error:  # a field past the csv module's limit, say
        raise ValidationError(
            _("The file is not CSV that can be read: %(error)s.") % {"error": error}
        ) from error
    if not {"name", "email"} <= set(header):
        raise ValidationError(
            _("The first line must name the columns, with at least name and email.")
        )
    invitees, errors = [], []
    for number, row in enumerate(rows, start=2):
        values = {column: (row.get(column) or "") for column in COLUMNS}
        try:
            invitees.append(clean_invitee(Invitee(**values)))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.append(
                    _("Line %(line)d, %(field)s: %(message)s")
                    % {"line": number, "field": field, "message": " ".join(messages)}
                )
    seen = set()
    for invitee in invitees:
        if invitee.email in seen:
            errors.append(_("%(email)s appears twice.") % {"email": invitee.email})
        seen.add(invitee.email)
    if errors:
        raise ValidationError(errors)
    return invitees


def invite(invitees, *, request):
    """Create the logins and people, then send the emails. All or nothing: returns the
    invitees who were new and those who already had a login."""
    User = get_user_model()
    created, existing = [], []
    with transaction.atomic():
        for invitee in invitees:
            if User.objects.filter(email__iexact=invitee.email).exists():
                existing.append(invitee)
                continue
            user = User.objects.create_user(username=invitee.email, email=invitee.email)
            user.set_unusable_password()
            user.first_name, _space, user.last_name = invitee.name.partition(" ")
            user.save()
            organisation = None
            if invitee.organisation:
                organisation = Organisation.objects.filter(name=invitee.organisation).first()
                if organisation is None:
                    organisation = Organisation.objects.create(
                        name=invitee.organisation[:200],
                        slug=unique_slug(Organisation, invitee.organisation),
                    )
            Person.objects.create(
                name=invitee.name,
                slug=unique_slug(Person, invitee.name),
                position=invitee.position,
                organisation=organisation,
                country=invitee.country,
                is_public=False,
                user=user,
            )
            created.append((invitee, user))
    for _invitee, user in created:
        send_invitation(user, request=request)
    return [invitee for invitee, _user in created], existing


def unique_slug(model, name):
    base = slugify(name)[:180] or "item"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def send_invitation(user, *, request):
    person = getattr(user, "person", None)
    # In the invitee's language, the link to their page in it too.
    with translation.override(person.language if person else settings.LANGUAGE_CODE):
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context = {
            "user": user,
            "link": request.build_absolute_uri(path),
            "site": request.get_host(),
        }
        subject = _("Your invitation to the summit")
        body = render_to_string("registration/invitation_email.txt", context)
    outbox.send(to=[user.email], subject=subject, body=body, purpose="invitation")
