from django.http import HttpResponse
from django.urls import path

from summit import urls


def bare(request):
    """The least a Django view does: the yardstick for every page, feed and list."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("_bench/bare/", bare, name="bench-bare"), *urls.urlpatterns]

handler404 = urls.handler404
handler500 = urls.handler500
