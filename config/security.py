"""The host site's secrets and defences around sign-in and in the browser, read from the
environment.

Imported by ``config.settings``; each setting is documented in README.md.
"""

from __future__ import annotations

from datetime import timedelta

import environ

from .storage import storage_origins

env = environ.Env()
TESTING = "PYTEST_VERSION" in env
_dev_only = env.bool("DEBUG", default=False) or TESTING

__all__ = [
    "SALT_KEY",
    "ONBOARDING_PII_HMAC_KEY",
    "MAALEM_PHONE_HMAC_KEY",
    "MAALEM_CLIENT_IP_HEADER",
    "AUTHENTICATION_BACKENDS",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_TIME",
    "AXES_LOCKOUT_PARAMETERS",
    "AXES_RESET_ON_SUCCESS",
    "AXES_CLIENT_IP_CALLABLE",
    "AXES_LOCKOUT_CALLABLE",
    "AXES_VERBOSE",
    "SILENCED_SYSTEM_CHECKS",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SAMESITE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "CONTENT_SECURITY_POLICY",
    "PERMISSIONS_POLICY",
]

# Personal data (national ID, phone): encrypted with keys derived from SECRET_KEY and each salt;
# the first salt encrypts, all decrypt, so a new one goes first when rotating. The HMAC keys find a
# national ID or a phone number without storing it in clear; they must never change.
SALT_KEY = env.list("PII_SALT_KEYS", default=["dev-only-pii-salt"] if _dev_only else [])
ONBOARDING_PII_HMAC_KEY = env.str("PII_HMAC_KEY", default="dev-only-hmac" if _dev_only else "")
MAALEM_PHONE_HMAC_KEY = env.str(
    "PHONE_HMAC_KEY", default="dev-only-phone-hmac" if _dev_only else ""
)
# Behind a reverse proxy set this to HTTP_X_FORWARDED_FOR, so rate limits count real clients.
MAALEM_CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="REMOTE_ADDR")

# Password sign-in (the Wagtail admin and the learners' password page) is limited by django-axes:
# after AXES_FAILURE_LIMIT wrong passwords for one username, that username waits out the
# cool-off. Counted per username, not per address: a whole carrier shares a few addresses.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "maalem.core.ratelimit.known_client_ip"
AXES_LOCKOUT_CALLABLE = "maalem.core.lockout.locked_out"
AXES_VERBOSE = False
# axes.W006 asks to count per address as well; behind a carrier's NAT that would lock out every
# staff member at once, and rotating user agents or cookies changes nothing when only the
# username counts.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if TESTING:
    # The suite runs production settings against development parts: it signs its webhooks with
    # the sandbox's public secret, calls the payments sandbox and reads codes from the console
    # (each refused in production; the Celery worker runs the checks when it starts).
    SILENCED_SYSTEM_CHECKS += ["onboarding.E005", "onboarding.E006", "maalem.E004"]

# Cookies: none is readable by scripts (the language one is only read by the server), and none is
# sent with another site's POST.
SESSION_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
# No page is shown in another site's frame, nor in the site's own: Wagtail's admin preview, the
# only page framed, answers SAMEORIGIN by itself (wagtail.utils.decorators).
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
SECURE_PROXY_SSL_HEADER: tuple[str, str] | None = None
SECURE_HSTS_SECONDS = 0
SECURE_SSL_REDIRECT = False
# HSTS covers the subdomains and asks to be preloaded unless the deployment says otherwise: a
# domain with a subdomain still on plain HTTP turns them off (and the deploy check's warning with
# them, since that is the operator's decision).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("HSTS_PRELOAD", default=True)
if env.bool("HTTPS", default=False):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=31536000)
    SECURE_SSL_REDIRECT = True
    if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
        SILENCED_SYSTEM_CHECKS.append("security.W005")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")

# Content-Security-Policy (django-csp): the learner pages load only the site's own scripts,
# styles, images and sounds, and no inline script. The Wagtail admin keeps its own rules.
# Files in object storage come from the buckets' origins (config/storage.py).
_MEDIA_ORIGINS = [*env.list("CSP_MEDIA_ORIGINS", default=[]), *storage_origins()]
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_MEDIA_ORIGINS],
        "media-src": ["'self'", *_MEDIA_ORIGINS],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", *env.list("CSP_FORM_ORIGINS", default=[])],
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy (django-permissions-policy): no page may use the camera, the microphone,
# the position or payment APIs; file inputs still open the camera app, which needs none.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}
