"""The host site's defences around sign-in and in the browser, read from the environment.

Imported by ``config.settings``; each setting is documented in README.md.
"""

from __future__ import annotations

from datetime import timedelta

import environ

env = environ.Env()
TESTING = "PYTEST_VERSION" in env

__all__ = [
    "AUTHENTICATION_BACKENDS",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_TIME",
    "AXES_LOCKOUT_PARAMETERS",
    "AXES_RESET_ON_SUCCESS",
    "AXES_CLIENT_IP_CALLABLE",
    "AXES_LOCKOUT_CALLABLE",
    "AXES_VERBOSE",
    "SILENCED_SYSTEM_CHECKS",
    "CONTENT_SECURITY_POLICY",
    "PERMISSIONS_POLICY",
]

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
AXES_CLIENT_IP_CALLABLE = "maalem.core.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "maalem.core.lockout.locked_out"
AXES_VERBOSE = False
# axes.W006 asks to count per address as well; behind a carrier's NAT that would lock out every
# staff member at once, and rotating user agents or cookies changes nothing when only the
# username counts.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if TESTING:
    # The suite signs its webhooks with the sandbox's public secret (refused in production).
    SILENCED_SYSTEM_CHECKS.append("onboarding.E005")

# Content-Security-Policy (django-csp): the learner pages load only the site's own scripts,
# styles, images and sounds, and no inline script. The Wagtail admin keeps its own rules.
_MEDIA_ORIGINS = env.list("CSP_MEDIA_ORIGINS", default=[])
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
        "frame-ancestors": ["'self'"],
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
