"""Celery's queues, and the beat entries of the onboarding sweeper and of exports (imported by
the settings).

The onboarding sweeper has a queue of its own, so that it never waits behind the steps it
rescues. Background exports have theirs too: one export of half a million rows takes a minute,
and steps must not wait behind it. A worker started without ``-Q`` consumes every queue named here; a deployment may also
give the sweeper a worker of its own (``celery -A config worker -Q onboarding.sweeper``).
"""

from kombu import Exchange, Queue

CELERY_TASK_DEFAULT_QUEUE = "celery"
# Each its own exchange and routing key: bound to one exchange by one key, every message would
# land in both queues.
CELERY_TASK_QUEUES = (
    Queue("celery", Exchange("celery"), routing_key="celery"),
    Queue("onboarding.sweeper", Exchange("onboarding.sweeper"), routing_key="onboarding.sweeper"),
    Queue("exports", Exchange("exports"), routing_key="exports"),
)
CELERY_TASK_ROUTES = {
    "onboarding.tasks.sweep_steps": {"queue": "onboarding.sweeper"},
    "onboarding.marketplace.order_tasks.sweep_orders": {"queue": "onboarding.sweeper"},
    "maalem.core.tasks.run_export": {"queue": "exports"},
}

# The outbox's safety net: the steps every 4 s, so a dead worker's step is taken over within
# its lease (ONBOARDING_LEASE_SECONDS) and one sweep; webhooks and quiet accounts every 30 s. A
# sweep no worker took before the next one is due is dropped (``expires``), never piled up.
ONBOARDING_BEAT_SCHEDULE = {
    "onboarding-sweep-steps": {
        "task": "onboarding.tasks.sweep_steps",
        "schedule": 4.0,
        "kwargs": {"steps_only": True},
        "options": {"expires": 4.0},
    },
    "onboarding-sweep": {
        "task": "onboarding.tasks.sweep_steps",
        "schedule": 30.0,
        "options": {"expires": 30.0},
    },
    # The marketplace's orders: their outbox, and unpaid orders past their hold.
    "marketplace-sweep-orders": {
        "task": "onboarding.marketplace.order_tasks.sweep_orders",
        "schedule": 4.0,
        "options": {"expires": 4.0},
    },
}

# Export files past MAALEM_EXPORT_RETENTION_DAYS are deleted within the hour.
EXPORTS_BEAT_SCHEDULE = {
    "exports-expire": {
        "task": "maalem.core.tasks.expire_exports",
        "schedule": 3600.0,
        "options": {"expires": 3600.0},
    },
}
