"""The onboarding bench's recovery measure: how soon a step is taken over after its worker dies.

Two workers run; the payment sandbox answers slowly, so the payment step is still on the wire
past its first lease (kept alive by the renewals). The worker running it is then killed with
SIGKILL, its whole process group, and the driver sweeps as beat does
(``onboarding-sweep-steps``). Measured: the seconds from the kill to the step's next claim (its
attempt counter going up), on the surviving worker.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SWEEP_STEPS_EVERY = 4.0  # seconds, as beat's onboarding-sweep-steps entry


def measure_recovery(
    sandbox: Any,
    make_case: Callable[[], tuple[Any, Any, dict[str, Any]]],
    log_dir: Path,
    environment: dict[str, str],
) -> dict[str, float]:
    from django.conf import settings
    from django.db import close_old_connections

    from bench.processes import workers
    from config.celery import app
    from onboarding import applications
    from onboarding.models import OnboardingCase, OnboardingStep
    from onboarding.tasks import sweep_steps

    lease = float(getattr(settings, "ONBOARDING_LEASE_SECONDS", 10.0))
    sandbox.reset()
    case, learner, data = make_case()
    # Slower than the lease, so the step lives on renewals only when the worker dies.
    sandbox.faults(latency_ms=int((lease * 2 + 5) * 1000))
    slow = {**environment, "PAYMENTS_TIMEOUT": str(lease * 3 + 10)}
    with workers(2, f"recovery-{case.pk}", log_dir, slow) as processes:
        applications.submit_application(case.pk, data, learner)

        def step() -> Any:
            close_old_connections()
            return OnboardingStep.objects.filter(case_id=case.pk, kind="payment_account").first()

        deadline = time.monotonic() + 60
        while getattr(step(), "status", "") != "running":
            if time.monotonic() > deadline:
                raise RuntimeError("the payment step never started")
            time.sleep(0.05)
        claimed_at = time.monotonic()
        # Past the first lease: the worker is alive only if it renewed it.
        time.sleep(lease + 2)
        held = step()
        if held.status != "running" or held.attempts != 1:
            raise RuntimeError(f"the step was taken over while its worker lived: {held}")
        busy = [
            name
            for name, tasks in (app.control.inspect(timeout=2.0).active() or {}).items()
            if any(task["name"] == "onboarding.tasks.run_step" for task in tasks)
        ]
        if len(busy) != 1:
            raise RuntimeError(f"cannot tell which worker runs the step: {busy}")
        os.killpg(processes[busy[0]].pid, signal.SIGKILL)
        killed_at = time.monotonic()
        sandbox.faults(latency_ms=0)
        next_sweep = killed_at + random.uniform(0, SWEEP_STEPS_EVERY)  # beat's phase
        while step().attempts < 2:
            if time.monotonic() > killed_at + 120:
                raise RuntimeError("the step was not taken over within 120 s")
            if time.monotonic() >= next_sweep:
                sweep_steps.delay(steps_only=True)
                next_sweep += SWEEP_STEPS_EVERY
            time.sleep(0.05)
        reclaimed_at = time.monotonic()
        deadline = time.monotonic() + 60
        while OnboardingCase.objects.get(pk=case.pk).state != "active":
            if time.monotonic() > deadline:
                raise RuntimeError("the case did not become active after the takeover")
            time.sleep(0.1)
    stats = sandbox.stats()
    return {
        "lease": lease,
        "held": killed_at - claimed_at,
        "recovery": reclaimed_at - killed_at,
        "accounts": float(stats["accounts_by_case"].get(str(case.pk), 0)),
    }
