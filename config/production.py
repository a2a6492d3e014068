"""The host site's settings for running on several machines behind a load balancer: database
connections kept open, the health endpoints, the HTTP cache headers of public pages and the
purge of a front-end cache when a page is published.

Imported by ``config.settings``; each setting is documented in README.md and docs/deploy.md.
"""

from __future__ import annotations

from typing import Any

import environ

env = environ.Env()

__all__ = [
    "DATABASE_CONNECTION",
    "SECRET_KEY_FALLBACKS",
    "SECURE_REDIRECT_EXEMPT",
    "MAALEM_HEALTH_PATHS",
    "MAALEM_PUBLIC_CACHE_MAX_AGE",
    "MAALEM_PUBLIC_CACHE_PAGE_TYPES",
    "WAGTAILFRONTENDCACHE",
]

# Former SECRET_KEYs, still accepted while one is rotated out: sessions and signed links stay
# valid, and applicants' fields encrypted under the old key can be read and re-encrypted
# (manage.py reencrypt_applicants). Remove them once that is done.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

# A connection kept open across requests saves its set-up on every one (a few milliseconds on
# PostgreSQL, more with TLS). Checked before reuse, so a database restart costs no failed request.
# A value in DATABASE_URL (?conn_max_age=) wins over these.
DATABASE_CONNECTION: dict[str, Any] = {
    "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=0),
    "CONN_HEALTH_CHECKS": True,
}

# /healthz answers while the process runs; /readyz when the database, the cache and the broker
# answer too. Outside the language prefixes, and never redirected to HTTPS, so that a load balancer
# may ask over plain HTTP.
MAALEM_HEALTH_PATHS = ("/healthz", "/readyz")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Anonymous visitors' catalogue, course and seller pages may be kept this many seconds by the
# browser and by shared caches (Cache-Control: public). 0 turns it off. Signed-in visitors' pages,
# and any page that sets a cookie or holds a form, are never marked public.
MAALEM_PUBLIC_CACHE_MAX_AGE = env.int("PUBLIC_CACHE_MAX_AGE", default=300)
MAALEM_PUBLIC_CACHE_PAGE_TYPES = [
    "maalem_courses.courseindexpage",
    "maalem_courses.coursepage",
    "maalem_marketplace.marketplaceindexpage",
    "maalem_marketplace.sellerprofilepage",
]

# A front-end cache (a caching proxy or a CDN) to purge when a page is published, unpublished or
# moved, through wagtail.contrib.frontend_cache. FRONTEND_CACHE_PURGE_URL names a proxy that
# accepts PURGE requests (Varnish, nginx with a purge module); CLOUDFLARE_ZONE_ID with
# CLOUDFLARE_API_TOKEN names a Cloudflare zone. Neither set: nothing is purged.
WAGTAILFRONTENDCACHE: dict[str, dict[str, Any]] = {}
if _purge_url := env.str("FRONTEND_CACHE_PURGE_URL", default=""):
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": _purge_url,
    }
if _zone := env.str("CLOUDFLARE_ZONE_ID", default=""):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": _zone,
        "BEARER_TOKEN": env.str("CLOUDFLARE_API_TOKEN"),
    }
