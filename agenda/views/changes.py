"""The public changelog of a summit's programme: its releases, newest first, and their feed."""

from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from agenda import cached
from agenda.models import Release
from agenda.releases import changelog, describe


def releases_of(summit):
    """Each release with its changes in words, newest first: one query, whatever the number
    of releases (each keeps its snapshot, so no history is read)."""
    releases = list(Release.objects.filter(summit=summit).order_by("number"))
    for release in releases:
        release.summit = summit  # for their links, without a query each
    return [
        (release, [describe(change, summit=summit) for change in changes])
        for release, changes in changelog(releases)
    ]


@require_safe
def changes(request, summit):
    summit = cached.summit(request, summit)
    return render(
        request,
        "agenda/changes.html",
        {
            "summit": summit,
            "releases": releases_of(summit),
            "feed_url": reverse("changes-feed", kwargs={"summit": summit.slug}),
            "nav": "changes",
        },
    )


@method_decorator(require_safe, name="__call__")
class ChangesFeed(Feed):
    """The changelog as an Atom feed: one entry per release."""

    feed_type = Atom1Feed

    def get_object(self, request, summit):
        return cached.summit(request, summit)

    def title(self, summit):
        return _("Changes to the programme of %(summit)s") % {"summit": summit.name}

    def link(self, summit):
        return reverse("agenda:changes", kwargs={"summit": summit.slug})

    def subtitle(self, summit):
        return _("Each release of the programme, with what it changed.")

    def items(self, summit):
        return [(summit, release, lines) for release, lines in releases_of(summit)]

    def item_title(self, item):
        _summit, release, _lines = item
        return f"{release.name}: {release.note}"

    # The changes as on the page, with links that work outside the site.
    description_template = "agenda/_release_changes.html"

    def get_context_data(self, **kwargs):
        _summit, release, lines = kwargs["item"]
        base = kwargs["request"].build_absolute_uri("/").rstrip("/")
        return {"release": release, "lines": lines, "base": base}

    def item_link(self, item):
        return item[1].get_absolute_url()

    def item_pubdate(self, item):
        return item[1].published_at

    def item_updateddate(self, item):
        return item[1].published_at
