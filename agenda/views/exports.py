"""frab/pentabarf-style schedule exports (schedule.xml, schedule.json) of the public programme.

Like the .ics feeds, each asks the database for a version first (one aggregate query) and
answers 304 without building anything when the client is up to date.
"""

import json

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from agenda import frab
from agenda.conditional import absolute, respond, session_version, version_of
from agenda.models import Session, Summit

# Bump when the builders' output changes for the same rows, so cached copies are refreshed.
EXPORT_FORMAT = 2


def public_programme(summit):
    """What apps may show: public sessions that go ahead (the format cannot say cancelled)."""
    return Session.objects.visible_to(AnonymousUser()).scheduled().filter(summit=summit)


def export(request, slug, *, content_type, render):
    summit = get_object_or_404(Summit, slug=slug)
    sessions = public_programme(summit)
    rows = sessions.with_people(AnonymousUser())
    # Links in the default language: the ETag does not vary with the reader's language.
    with translation.override(settings.LANGUAGE_CODE):
        base_url = request.build_absolute_uri(reverse("agenda:home", args=[summit.slug]))
        extra = (EXPORT_FORMAT, content_type, base_url, summit.updated_at)
        return respond(
            request,
            version=version_of(session_version(sessions), extra=extra),
            content_type=content_type,
            build=lambda: render(
                frab.build_schedule(
                    summit=summit, sessions=rows, base_url=base_url, link=absolute(request)
                )
            ),
        )


def to_json(schedule):
    return json.dumps(schedule, ensure_ascii=False, indent=1).encode()


@require_safe
def schedule_xml(request, summit):
    return export(
        request, summit, content_type="application/xml; charset=utf-8", render=frab.to_xml
    )


@require_safe
def schedule_json(request, summit):
    return export(request, summit, content_type="application/json", render=to_json)
