"""The default cache, and where sessions are kept.

``CACHE_URL`` names the cache (README.md); with Redis it is Django's Redis backend, made to keep
one Redis client per connection pool instead of building a new one (and its table of about 170
response callbacks) for every cache operation, which a learner page does a dozen times.

Sessions are stored in the database, and read through the cache when the cache is shared by
every web process (Redis, Memcached, the database cache): Django's ``cached_db`` engine writes
each session to both, so a session outlives a flush or restart of the cache, and signing out
deletes it from both. A cache local to each process (the embedded default) would let one
process keep a session that another has just ended, so sessions are then read from the database
alone.
"""

from __future__ import annotations

from typing import Any

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

DJANGO_REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
LOCAL_BACKENDS = ("locmem", "dummy", "filebased")


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, with one ``redis.Redis`` per server kept for reuse (it is
    safe to share between threads: each command takes a connection from the pool)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[Any, redis.Redis] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> redis.Redis:
        # Django's choice of server, kept as it is (a private method, missing from the stubs).
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = redis.Redis(connection_pool=pool)
        return client


class SharedRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient


def cache_settings(default: dict[str, Any]) -> dict[str, Any]:
    """``CACHES`` and ``SESSION_ENGINE`` for the default cache ``default`` (from CACHE_URL)."""
    if default.get("BACKEND") == DJANGO_REDIS_BACKEND:
        default = {**default, "BACKEND": "config.caches.SharedRedisCache"}
    backend = str(default.get("BACKEND", "")).lower()
    shared = not any(local in backend for local in LOCAL_BACKENDS)
    return {
        "CACHES": {"default": default},
        # Whether every web process and worker sees the same cache, and so the same page
        # generation (lms.courses.middleware.KnownSiteMiddleware keeps the site only then).
        "MAALEM_SHARED_CACHE": shared,
        "SESSION_ENGINE": (
            "django.contrib.sessions.backends.cached_db"
            if shared
            else "django.contrib.sessions.backends.db"
        ),
    }
