"""How often something happened lately, counted in the default cache: with a shared cache
(CACHE_URL) every worker and machine counts against the same allowance."""

from django.core.cache import cache


def within_limit(key: str, *, limit: int, seconds: int) -> bool:
    """Count one more occurrence of `key`; whether at most `limit` have happened in the window
    of `seconds` that opened with the first of them. The count is one atomic increment, so
    workers asking at the same moment cannot both take the last place."""
    if cache.add(key, 1, timeout=seconds):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # the window closed between the two calls
        return within_limit(key, limit=limit, seconds=seconds)
    if count == 1:
        # Redis made the key anew, without expiry, as the window closed: give it its window.
        cache.touch(key, seconds)
    return count <= limit
