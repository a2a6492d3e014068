"""The outbox queues its tasks by name: every name it uses is a task the workers know."""

from celery import current_app

from onboarding import queueing


def test_every_task_the_outbox_queues_by_name_is_registered():
    names = {queueing.RUN_STEP, queueing.PROCESS_WEBHOOK, queueing.REFRESH_ACCOUNT}
    assert names <= set(current_app.tasks)
