"""The site's URLs and two views under /api/ that fail as a bug would, one of the API's and
one outside it: the answer a 500 gets."""

from django.urls import path
from rest_framework.views import APIView

from summit.urls import handler404, handler500, urlpatterns  # noqa: F401


class Broken(APIView):
    permission_classes = []

    def get(self, request):
        raise RuntimeError("a bug")

    post = put = patch = delete = get


def broken(request):
    raise RuntimeError("a bug outside the API's views")


urlpatterns = [
    path("api/v1/broken/", Broken.as_view()),
    path("api/broken/", broken),
    *urlpatterns,
]
