"""Counters that say "something changed": read with one query by every worker on every
machine, moved by every write that can change what they cover."""

from django.db import models


class Version(models.Model):
    """A named counter, one row each: `programme` moves with every change that can alter a
    public page, feed or export, so a rendering cached under its value is never stale."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "version"

    def __str__(self):
        return f"{self.name} {self.value}"
