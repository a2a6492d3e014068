"""A worker's database connections live as long as CONN_MAX_AGE says, as a web process's do.

Celery's Django fix-up closes them after every task unless told otherwise (config/settings.py,
CELERY_DB_REUSE_MAX); config/celery.py closes them by Django's own rule instead.
"""

from pathlib import Path

import pytest

from tests.connection_probe import record_connections_opened
from tests.worker import celery_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def counts_after_three_tasks(tmp_path: Path, max_age: str) -> list[int]:
    record = tmp_path / f"connections-{max_age}.txt"
    with celery_worker(
        name=f"connections-{max_age}",
        env={"CONN_MAX_AGE": max_age},
        include="tests.connection_probe",
    ):
        for done in range(1, 4):
            record_connections_opened.delay(str(record))
            wait_for(
                lambda done=done: record.exists() and len(record.read_text().split()) == done,
                what=f"task {done} of the connection probe",
            )
    return [int(count) for count in record.read_text().split()]


def test_a_worker_keeps_its_connection_from_task_to_task_within_conn_max_age(tmp_path):
    opened = counts_after_three_tasks(tmp_path, "60")

    assert opened[0] >= 1
    assert opened == [opened[0]] * 3


def test_with_conn_max_age_0_each_task_has_a_connection_of_its_own(tmp_path):
    opened = counts_after_three_tasks(tmp_path, "0")

    assert opened[1] == opened[0] + 1
    assert opened[2] == opened[1] + 1
