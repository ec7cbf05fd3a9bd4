"""What every writable API view shares."""

from django.db import transaction


class AtomicWritesMixin:
    """Validate and write in one transaction: the room lock taken by the checks holds
    until the row is saved, and a refused write leaves nothing behind."""

    def create(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)
