"""A cache of the process's own recent answers, in front of the shared one (Redis; with the
default cache in local memory, the only copy): objects kept as they are (no pickling, no
copy), the least recently used dropped first once their sizes pass `MAX_BYTES`, so that a
worker's memory stays bounded however many pages and filters are asked for.

Only for values that never change under their key (renderings keyed by the programme's
version, bodies keyed by their ETag): another process cannot tell this one that an entry is
stale, so nothing here may ever be overwritten with different content."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
# What an entry of unknown size is counted as.
SMALL = 1024


def size_of(value: Any) -> int:
    measure = getattr(value, "size", None)
    if isinstance(measure, int):
        return measure
    if isinstance(value, bytes | str):
        return len(value)
    if isinstance(value, tuple):
        return sum(size_of(part) for part in value)
    return SMALL


class RecentCache(BaseCache):
    """Django's cache API over an in-process LRU (see the module). Timeouts are ignored:
    entries leave by size only, as their keys stop being asked for."""

    def __init__(self, location, params):
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self.max_bytes = int(options.get("MAX_BYTES", DEFAULT_MAX_BYTES))
        self._entries: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return default
            self._entries.move_to_end(key)
            return found[0]

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        size = size_of(value)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _key, (_value, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self.has_key(key, version=version):
            return False
        self.set(key, value, timeout, version=version)
        return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.has_key(key, version=version)

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            old = self._entries.pop(key, None)
            if old is None:
                return False
            self._bytes -= old[1]
            return True

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return key in self._entries

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def shared() -> BaseCache | None:
    """The cache other processes see, or None when the default cache is this process's own
    memory: a second, pickled copy of what the near cache holds would only cost memory."""
    default = caches["default"]
    return None if isinstance(default, LocMemCache) else default


def found(name: str) -> Any:
    """What `kept` keeps under `name`, or None: this process's copy, else the shared one."""
    near = caches["recent"]
    value = near.get(name)
    if value is None:
        other = shared()
        value = other.get(name) if other is not None else None
        if value is not None:
            near.set(name, value)
    return value


def kept_here(name: str, build) -> Any:
    """What never changes under `name` and is cheap to make again: this process's copy only."""
    near = caches["recent"]
    value = near.get(name)
    if value is None:
        value = build()
        near.set(name, value)
    return value


def kept_until(name: str, build, lifetime: int) -> Any:
    """Like `kept`, for a value that also changes with time alone (a session over): kept
    until the moment its `until` names (None: for as long as the key lasts), then made
    again. The one exception to never overwriting an entry: every process reads the same
    moment from the value and judges it by its own clock."""
    value = found(name)
    if value is None or (value.until is not None and timezone.now() >= value.until):
        value = keep(name, build(), lifetime)
    return value


def kept(name: str, build, lifetime: int) -> Any:
    """What never changes under `name` (a key of the programme's version, a body's ETag):
    this process's own copy when it has one, else the shared cache's, else `build()`, kept in
    both."""
    value = found(name)
    if value is None:
        value = keep(name, build(), lifetime)
    return value


def keep(name: str, value: Any, lifetime: int) -> Any:
    """`value` kept under `name` in this process and, when there is one, the shared cache."""
    other = shared()
    if other is not None:
        other.set(name, value, lifetime)
    caches["recent"].set(name, value)
    return value
