"""The site's URLs and one API view that fails as a bug would: the answer a 500 gets."""

from django.urls import path
from rest_framework.views import APIView

from summit.urls import handler404, handler500, urlpatterns  # noqa: F401


class Broken(APIView):
    permission_classes = []

    def get(self, request):
        raise RuntimeError("a bug")


urlpatterns = [path("api/v1/broken/", Broken.as_view()), *urlpatterns]
