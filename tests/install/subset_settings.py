"""The host site's settings (config/) with only the Maalem apps named in $MAALEM_TEST_APPS."""

import os

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS as _HOST_APPS

_MAALEM_APPS = {
    "maalem.core",
    "lms.crafts",
    "lms.courses",
    "lms.certificates",
    "lms.accounts",
    "onboarding",
    "onboarding.marketplace",
    "demo",  # the demo loads every app's data
}

INSTALLED_APPS = [
    *os.environ["MAALEM_TEST_APPS"].split(","),
    *(app for app in _HOST_APPS if app not in _MAALEM_APPS),
]
ROOT_URLCONF = "tests.install.subset_urls"

if "lms.accounts" not in INSTALLED_APPS:
    # Without phone sign-in, learners sign in through the host's own page: Django's default.
    LOGIN_URL = "/accounts/login/"
