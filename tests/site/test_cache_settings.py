"""The cache and the session engine follow CACHE_URL (config/caches.py): sessions are read
through the cache only when every web process shares it, and the Redis cache keeps its client."""

import environ
import pytest

from config.caches import SharedRedisCache, cache_settings


@pytest.mark.parametrize(
    ("url", "backend", "engine"),
    [
        ("rediscache://127.0.0.1:6379/1", "config.caches.SharedRedisCache", "cached_db"),
        ("pymemcache://127.0.0.1:11211", "PyLibMCCache", "cached_db"),
        ("dbcache://cache_table", "DatabaseCache", "cached_db"),
        ("locmemcache://", "LocMemCache", "db"),
        ("filecache:///tmp/maalem-cache", "FileBasedCache", "db"),
        ("dummycache://", "DummyCache", "db"),
    ],
)
def test_sessions_are_read_through_the_cache_only_when_it_is_shared(url, backend, engine):
    settings = cache_settings(environ.Env.cache_url_config(url))
    assert settings["CACHES"]["default"]["BACKEND"].endswith(backend)
    assert settings["SESSION_ENGINE"] == f"django.contrib.sessions.backends.{engine}"


def test_the_redis_cache_builds_one_client_and_reuses_it():
    config = cache_settings(environ.Env.cache_url_config("rediscache://127.0.0.1:6379/9"))
    default = config["CACHES"]["default"]
    cache = SharedRedisCache(default["LOCATION"], {})
    client = cache._cache.get_client("a")
    assert client is cache._cache.get_client("b", write=True)
    assert client.connection_pool is cache._cache._get_connection_pool(True)
