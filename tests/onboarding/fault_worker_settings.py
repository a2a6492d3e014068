"""Settings of the Celery worker that the failure tests start (worker killed, provider faults).

The end-to-end worker settings, with the lease and the account poll read from the environment:
the tests move the step's lease or the case's last change in the database past them, so each test
names the values it relies on.
"""

import os

from tests.onboarding.worker_settings import *  # noqa: F403

ONBOARDING_LEASE_SECONDS = float(os.environ.get("ONBOARDING_LEASE_SECONDS", "10"))
ONBOARDING_ACCOUNT_POLL_AFTER = float(os.environ.get("ONBOARDING_ACCOUNT_POLL_AFTER", "600"))
