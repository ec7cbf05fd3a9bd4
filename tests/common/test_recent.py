"""The process's own cache of recent renderings: kept as they are, dropped by size."""

from common.recent import RecentCache


def recent(max_bytes: int) -> RecentCache:
    return RecentCache("", {"OPTIONS": {"MAX_BYTES": max_bytes}})


def test_values_are_kept_as_they_are():
    cache = recent(1000)
    body = b"x" * 100
    cache.set("page", body)
    assert cache.get("page") is body
    assert cache.get("other", "missing") == "missing"


def test_the_least_recently_used_leave_first_once_past_the_size():
    cache = recent(250)
    for name in ("a", "b"):
        cache.set(name, b"x" * 100)
    cache.get("a")  # b is now the least recently used
    cache.set("c", b"x" * 100)
    assert {name for name in "abc" if cache.has_key(name)} == {"a", "c"}


def test_a_value_larger_than_the_whole_cache_is_not_kept():
    cache = recent(50)
    cache.set("small", b"x" * 10)
    cache.set("huge", b"x" * 100)
    assert (cache.get("huge"), cache.get("small")) == (None, b"x" * 10)


def test_clear_and_delete_give_back_the_room():
    cache = recent(100)
    cache.set("a", b"x" * 60)
    assert cache.delete("a") and not cache.delete("a")
    cache.set("b", b"x" * 60)
    cache.clear()
    cache.set("c", b"x" * 100)
    assert cache.get("c") == b"x" * 100


def test_kept_with_a_local_memory_cache_is_kept_once(settings):
    """The default cache in local memory is this process's own: a pickled second copy of
    what the near cache holds would only double the memory."""
    from django.core.cache import cache, caches

    from common import recent as module

    value = module.kept("programme:1:page", lambda: b"x" * 100, 60)
    assert caches["recent"].get("programme:1:page") is value
    assert cache.get("programme:1:page") is None


def test_kept_with_redis_is_shared_with_other_processes(settings, redis_url):
    from django.core.cache import caches

    from common import recent as module

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
        },
    }
    try:
        module.kept("programme:1:page", lambda: b"made once", 60)
        caches["recent"].clear()  # as another process would find it
        assert module.kept("programme:1:page", lambda: b"made again", 60) == b"made once"
    finally:
        caches["default"].clear()
