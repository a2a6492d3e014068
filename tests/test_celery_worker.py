from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from config.tasks import clear_expired_sessions
from tests.worker import celery_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_on_the_configured_broker_runs_the_host_sites_periodic_chore():
    live, stale = SessionStore(), SessionStore()
    live.create()
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    with celery_worker():
        with transaction.atomic():
            transaction.on_commit(clear_expired_sessions.delay)
        wait_for(
            lambda: not Session.objects.filter(session_key=stale.session_key).exists(),
            what="the worker to delete the expired session",
        )
    assert Session.objects.filter(session_key=live.session_key).exists()
