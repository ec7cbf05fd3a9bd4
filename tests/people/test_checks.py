from django.core.checks import run_checks

LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
}


def cache_warnings():
    return [
        message.id
        for message in run_checks(include_deployment_checks=True)
        if message.id.startswith("people.")
    ]


def test_check_deploy_warns_while_each_worker_counts_on_its_own(settings):
    settings.DEBUG = False
    settings.CACHES = LOCAL
    assert cache_warnings() == ["people.W001"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert cache_warnings() == ["people.W001"]
    settings.CACHES = REDIS
    assert cache_warnings() == []


def test_a_development_server_may_count_in_its_own_memory(settings):
    settings.DEBUG = True
    settings.CACHES = LOCAL
    assert cache_warnings() == []
