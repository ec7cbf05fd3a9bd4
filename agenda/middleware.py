import zoneinfo

from django.utils import timezone

from agenda.models import Summit


class SummitTimezoneMiddleware:
    """Show every time in the zone of the summit at hand (the URL's, else the current one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("summit")
        zone = None
        if isinstance(slug, str):
            zone = Summit.objects.filter(slug=slug).values_list("time_zone", flat=True).first()
        if zone is None:
            summit = Summit.objects.current()
            zone = summit.time_zone if summit else None
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
