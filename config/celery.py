import os
from typing import Any

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("maalem")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["config"])
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_database_connections(task: Any = None, **kwargs: Any) -> None:
    """Before and after each task, as Django does around a web request: close the connections
    past CONN_MAX_AGE, broken, or left in a transaction (see CELERY_DB_REUSE_MAX in settings)."""
    if not getattr(task.request, "is_eager", False):
        close_old_connections()
