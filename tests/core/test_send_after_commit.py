"""A signal sent with send_after_commit reaches its receivers only once the change is committed;
a failing receiver is logged and does not stop the others."""

import logging

import pytest
from django.db import transaction
from django.dispatch import Signal

from maalem.core.signals import send_after_commit

pytestmark = pytest.mark.django_db

something_happened = Signal()


class Thing:
    pk = 7


@pytest.fixture
def received():
    calls: list[dict] = []

    def failing(sender, **kwargs):
        raise RuntimeError("receiver broke")

    def recording(sender, **kwargs):
        calls.append(kwargs)

    something_happened.connect(failing, dispatch_uid="failing")
    something_happened.connect(recording, dispatch_uid="recording")
    yield calls
    something_happened.disconnect(dispatch_uid="failing")
    something_happened.disconnect(dispatch_uid="recording")


def test_receivers_run_after_the_commit_and_a_failure_is_logged_without_stopping_the_others(
    received, django_capture_on_commit_callbacks, caplog
):
    thing = Thing()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_after_commit(something_happened, Thing, thing=thing, state="done")
    assert received == []

    with caplog.at_level(logging.ERROR, logger="maalem.core.signals"):
        for callback in callbacks:
            callback()

    assert received == [{"signal": something_happened, "thing": thing, "state": "done"}]
    assert "receiver broke" in caplog.text
    assert "thing=7" in caplog.text


def test_nothing_is_sent_when_the_change_is_rolled_back(
    received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                send_after_commit(something_happened, Thing, thing=Thing())
                raise ValueError("rolled back")
        except ValueError:
            pass
    assert received == []
