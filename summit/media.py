"""People's thumbnails, served to those who may see the person: a hidden person's photo
stays hidden even to someone who guesses its file name."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from people.models import Person


@require_safe
def thumbnail(request, name):
    path = f"people/thumbnails/{name}"
    person = (
        Person.objects.visible_to(request.user).filter(thumbnail=path).only("is_public").first()
    )
    if person is None or not default_storage.exists(path):
        raise Http404("No such photo.")
    response = FileResponse(default_storage.open(path, "rb"), content_type="image/jpeg")
    # A new photo gets a new file name, so a copy can be kept a long time.
    patch_cache_control(
        response,
        max_age=7 * 24 * 3600,
        **({"public": True} if person.is_public else {"private": True}),
    )
    return response
