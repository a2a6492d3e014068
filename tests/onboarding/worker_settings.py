"""Settings of the Celery worker process that the end-to-end onboarding tests start.

The host site's settings, with the keys the tests encrypt with and retries short enough for a
test. The payments sandbox's address comes from PAYMENTS_API_URL in the environment.
"""

from config.settings import *  # noqa: F403

SALT_KEY = ["salt-key-for-tests-a"]
ONBOARDING_PII_HMAC_KEY = "hmac-key-for-tests"
ONBOARDING_RETRY_BACKOFF = 0.5
ONBOARDING_RETRY_BACKOFF_MAX = 2.0
ONBOARDING_LEASE_SECONDS = 10.0
