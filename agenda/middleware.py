import zoneinfo

from django.utils import timezone

from agenda import cached


class SummitTimezoneMiddleware:
    """Show every time in the zone of the summit at hand: the URL's, else the current one's,
    looked up only when a time is shown (a request that shows none does no query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("summit")
        summit = cached.find_summit(request, slug) if isinstance(slug, str) else None
        if summit is not None:
            timezone.activate(zoneinfo.ZoneInfo(summit.time_zone))
        else:
            timezone.activate(cached.DeferredZone(request))
