"""The host site's settings that make each request cheaper on the production shape.

Imported by ``config.settings``; each setting is documented in README.md and docs/deploy.md.
"""

from __future__ import annotations

import environ

env = environ.Env()

__all__ = ["RENDITIONS_CACHE", "SESSION_ENGINE"]

# Every signed-in request reads its session. With a cache that all web processes share (Redis,
# Memcached), sessions are read from it and written through to the database, which keeps them
# across a cache restart: one query fewer per request. A per-process cache (the default
# local-memory one) cannot hold them: a sign-out in one process would not reach the others.
_SHARED_CACHES = ("redis", "memcache", "pymemcache")
_cache_backend = str(env.cache("CACHE_URL", default="locmemcache://")["BACKEND"]).lower()
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if any(name in _cache_backend for name in _SHARED_CACHES)
    else "django.contrib.sessions.backends.db"
)

# Wagtail looks up an image's rendition in the "renditions" cache on every picture of a page, and
# writes it back there each time: two round trips to Redis per picture. A rendition never changes
# (its key holds the file's hash), so each process keeps the ones it served in its own memory.
RENDITIONS_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "maalem-renditions",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
