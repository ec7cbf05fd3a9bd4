from django.core.cache import cache

from common.limits import within_limit


def test_the_allowance_is_counted_per_key_until_the_window_closes():
    assert [within_limit("a", limit=3, seconds=60) for _ in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert within_limit("b", limit=3, seconds=60) is True
    cache.delete("a")  # as when the window closes
    assert within_limit("a", limit=3, seconds=60) is True


def test_a_limit_of_none_allows_nothing():
    assert within_limit("c", limit=0, seconds=60) is False
