"""Background work of the orders. Each task takes ids and calls a service function.

Retries are not Celery's: a failed step's next attempt is scheduled on its row (see
:mod:`.order_outbox`), and the sweeper re-enqueues whatever a lost message left behind. The
outbox queues :func:`run_order_step` by name (:data:`.order_steps.RUN_ORDER_STEP`).
"""

from __future__ import annotations

from celery import shared_task

from . import order_outbox, order_sweeper


@shared_task
def run_order_step(step_id: int) -> str:
    return order_outbox.run_step(step_id)


@shared_task
def sweep_orders() -> dict[str, int]:
    """Periodic (beat, on the sweeper's queue): re-enqueue lost order steps, re-check unpaid
    orders past their hold."""
    return order_sweeper.sweep()
