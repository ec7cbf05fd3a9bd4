from django.http import JsonResponse
from django.views import defaults


def not_found(request, exception=None):
    """API callers get JSON; people get the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    return defaults.server_error(request)


def locked_out(request, response, credentials):
    """django-axes' answer once a username has failed too often from one address."""
    from django.conf import settings
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
