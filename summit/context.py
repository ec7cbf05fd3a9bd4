"""What the frame of every page needs without each view passing it."""

from django.utils.functional import SimpleLazyObject

from agenda import cached


def current_summit(request):
    """The summit of pages outside a summit's URLs (the attendee's own pages, logging in):
    their navigation, title and time-zone note. A view's own `summit` wins; looked up from
    the cache, and only when the page shows it."""
    return {"summit": SimpleLazyObject(lambda: cached.current_summit(request))}
