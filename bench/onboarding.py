"""How fast onboarding cases go from a submitted application to a live seller, end to end.

Run: .venv/bin/python bench/onboarding.py [--cases 40] [--rounds 3] [--recoveries 3]
[--database maalem_bench_onboarding] [--broker redis://127.0.0.1:6379/7]

Needs the PostgreSQL server on 127.0.0.1:5432 (trust auth) and Redis on 127.0.0.1:6379. It
creates (and drops first) its own database (``--database``), uses a Redis db as the broker
(``--broker``) and another for the cache, migrates, then starts as subprocesses: the payment
sandbox (activation delay 0.2 s), the site under gunicorn that receives the sandbox's signed
webhooks, and Celery workers. Every process runs the production shape of docs/deploy.md:
database connections kept open (``CONN_MAX_AGE=60``) and one Redis cache for all.

Each round creates N learners with an open case, submits their applications through
``applications.submit_application`` (which queues the payment step after the commit) and waits
until every case is ``active``: payment account opened, webhook received and the account re-fetched,
seller profile page published. A sweep is queued every 5 s while it waits, as beat would do.

Prints per round and then the median of the rounds, for one worker process (concurrency 1) and for
two worker processes (concurrency 1 each), interleaved:
- cases per second: N divided by the time from the first submission to the last case active;
- p50 and p95 latency from submission to ``active``, from the case's own timeline
  (``CaseTransition.at`` of ``submitted`` and of ``active``);
- the scaling ratio of the two medians of cases per second;
- the task runs per step (every ``run_step`` message the workers received, over the steps): 1.00
  when the sweeper sends no copy of a step whose message is waiting;
- then (:mod:`bench.worker_recovery`), the seconds from a SIGKILL of the worker in the middle of
  a slow payment call to the step's claim by the other worker, median of ``--recoveries``.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lms.certificates.keys import new_signing_key  # noqa: E402

ARGUMENTS = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ARGUMENTS.add_argument("--cases", type=int, default=40, help="at most 999")
ARGUMENTS.add_argument("--rounds", type=int, default=3, help="rounds per worker setting")
ARGUMENTS.add_argument("--recoveries", type=int, default=3, help="workers killed, one by one")
ARGUMENTS.add_argument("--database", default="maalem_bench_onboarding", help="dropped first")
ARGUMENTS.add_argument("--broker", default="redis://127.0.0.1:6379/7")
ARGS = ARGUMENTS.parse_args()
DB_NAME = ARGS.database
SERVER_URL = "postgresql://postgres@127.0.0.1:5432"
BROKER_URL = ARGS.broker
# The cache in the Redis db after the broker's.
_REDIS, _BROKER_DB = BROKER_URL.removeprefix("redis://").rsplit("/", 1)
CACHE_URL = f"rediscache://{_REDIS}/{int(_BROKER_DB) + 1}"
VAR_DIR = tempfile.mkdtemp(prefix="maalem-bench-onboarding-")

# Set before Django is imported: this process, the web server and the workers share them.
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
        "CELERY_BROKER_URL": BROKER_URL,
        "MAALEM_VAR_DIR": VAR_DIR,
        "DEBUG": "false",
        "SECRET_KEY": "bench-onboarding-secret-key-not-for-production",
        "PII_SALT_KEYS": "bench-onboarding-salt",
        "PII_HMAC_KEY": "bench-onboarding-hmac",
        "LOG_LEVEL": "WARNING",
        # The production shape (docs/deploy.md): connections kept open, one cache for every process.
        "CONN_MAX_AGE": "60",
        "CACHE_URL": CACHE_URL,
        # Production settings, with the sandbox's public webhook secret and a key made per run.
        "PAYMENTS_WEBHOOK_SECRETS": "whsec_sandbox",
        "CERTIFICATE_SIGNING_KEY": new_signing_key(),
    }
)
os.environ.pop("PYTEST_VERSION", None)


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DB_NAME}"')


recreate_database()

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import close_old_connections  # noqa: E402

from bench.processes import free_port, web_server, workers  # noqa: E402
from bench.worker_recovery import SWEEP_STEPS_EVERY, measure_recovery  # noqa: E402
from config.celery import app  # noqa: E402
from onboarding import applications  # noqa: E402
from onboarding.models import CaseTransition, OnboardingCase, OnboardingStep  # noqa: E402
from onboarding.tasks import sweep_steps  # noqa: E402
from tests.onboarding.sandbox_process import RunningSandbox, running_sandbox  # noqa: E402

CONSENT = "I agree that my data is shared with the payment provider to open my account."
SWEEP_EVERY = SWEEP_STEPS_EVERY  # seconds, as beat's onboarding-sweep-steps


def make_cases(
    count: int, serial: int, round_label: str
) -> list[tuple[OnboardingCase, Any, dict[str, Any]]]:
    """``count`` learners, each with a case in ``eligible`` and an application ready to send."""
    user_model = get_user_model()
    prepared = []
    for index in range(count):
        learner = user_model.objects.create_user(
            username=f"bench-{round_label}-{index}",
            first_name="Artisan",
            last_name=f"{round_label} {index}",
        )
        case, _created = applications.open_case(learner, reason="benchmark")
        data = {
            "consent": True,
            "consent_text": CONSENT,
            # Unique per case (a repeated national ID would send the case to manual review), and
            # never ending in one of the sandbox's magic endings (0000, 1111, 9999).
            "cin": f"BK{serial:02d}{index:03d}5",
            "phone": "0612345678",
            "region": "Fès-Meknès",
            "shop_name": f"Atelier {index}",
            "payout_method": "wallet",
        }
        prepared.append((case, learner, data))
    return prepared


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def run_round(
    count: int, workers_count: int, sandbox: RunningSandbox, serial: int, label: str
) -> dict:
    sandbox.reset()
    prepared = make_cases(count, serial, label)
    ids = [case.pk for case, _learner, _data in prepared]
    environment = {"PAYMENTS_API_URL": sandbox.url, "PAYMENTS_TIMEOUT": "5"}
    with workers(workers_count, label, Path(VAR_DIR), environment):
        started = time.monotonic()
        for case, learner, data in prepared:
            applications.submit_application(case.pk, data, learner)
        next_sweep = time.monotonic() + SWEEP_EVERY
        sweeps = 0
        deadline = time.monotonic() + 60 + count * 3
        while OnboardingCase.objects.filter(pk__in=ids).exclude(state="active").exists():
            if time.monotonic() > deadline:
                stuck = OnboardingCase.objects.filter(pk__in=ids).exclude(state="active")
                raise RuntimeError(
                    f"{stuck.count()} cases not active after {deadline - started:.0f}s: "
                    f"{sorted(stuck.values_list('state', flat=True))}"
                )
            if time.monotonic() > next_sweep:
                sweep_steps.delay(steps_only=True)
                sweeps += 1
                next_sweep += SWEEP_EVERY
            # The times come from the cases' timelines, not from this loop: it may ask seldom, and
            # leave the 2 cores to the processes measured.
            time.sleep(0.25)
            close_old_connections()
        # Every run_step message the workers took, copies included (the sweep ones do not count).
        totals = (app.control.inspect(timeout=2.0).stats() or {}).values()
        runs = sum(stats["total"].get("onboarding.tasks.run_step", 0) for stats in totals)
    steps = OnboardingStep.objects.filter(case_id__in=ids).count()
    moments: dict[int, dict[str, Any]] = {pk: {} for pk in ids}
    for case_id, state, at in CaseTransition.objects.filter(
        case_id__in=ids, to_state__in=["submitted", "active"]
    ).values_list("case_id", "to_state", "at"):
        moments[case_id][state] = at
    latencies = [
        (times["active"] - times["submitted"]).total_seconds() for times in moments.values()
    ]
    first = min(times["submitted"] for times in moments.values())
    last = max(times["active"] for times in moments.values())
    wall = (last - first).total_seconds()
    stats = sandbox.stats()
    return {
        "workers": workers_count,
        "cases": count,
        "seconds": wall,
        "rate": count / wall,
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "sweeps": sweeps,
        "runs_per_step": runs / steps,
        "accounts": stats["accounts_created"],
        "one_account_each": sorted(stats["accounts_by_case"].values()) == [1] * count,
    }


WORKER_LABELS = {1: "1 process x concurrency 1", 2: "2 processes x concurrency 1"}


def main() -> None:
    args = ARGS

    print(f"database {DB_NAME}, broker {BROKER_URL}, runtime files in {VAR_DIR}")
    call_command("migrate", verbosity=0)
    cache.clear()  # what an earlier run left, keyed by this run's fresh primary keys
    port = free_port()
    results: list[dict] = []
    with web_server(port, Path(VAR_DIR)) as site_url:
        webhook_url = site_url + "/onboarding/webhooks/payments/"
        with running_sandbox(webhook_url=webhook_url, activation_delay=0.2) as sandbox:
            # Interleaved, so that a drift of the machine's load hits both settings alike.
            for round_number in range(1, args.rounds + 1):
                for workers_count in (1, 2):
                    label = f"r{round_number}w{workers_count}"
                    serial = round_number * 2 + workers_count
                    result = run_round(args.cases, workers_count, sandbox, serial, label)
                    result["round"] = round_number
                    results.append(result)
                    print(
                        f"  round {round_number}, {WORKER_LABELS[workers_count]}: "
                        f"{result['rate']:.2f} cases/s, p95 {result['p95']:.2f} s",
                        flush=True,
                    )
            recoveries = []
            for number in range(1, args.recoveries + 1):
                recovery = measure_recovery(
                    sandbox,
                    lambda number=number: make_cases(1, 90 + number, f"kill{number}")[0],
                    Path(VAR_DIR),
                    {"PAYMENTS_API_URL": sandbox.url},
                )
                recoveries.append(recovery)
                print(
                    f"  worker killed {number}: step taken over after {recovery['recovery']:.2f} s"
                )

    print()
    print(f"{args.cases} cases per round, submission -> active (seller live), PostgreSQL + Redis")
    header = (
        f"{'workers':<28} {'round':>5} {'seconds':>8} {'cases/s':>8} {'p50 s':>7} {'p95 s':>7}"
        f" {'sweeps':>6} {'runs/step':>9} {'1 account/case':>14}"
    )
    print(header)
    print("-" * len(header))
    for result in sorted(results, key=lambda r: (r["workers"], r["round"])):
        print(
            f"{WORKER_LABELS[result['workers']]:<28} {result['round']:>5} "
            f"{result['seconds']:>8.2f} {result['rate']:>8.2f} {result['p50']:>7.2f} "
            f"{result['p95']:>7.2f} {result['sweeps']:>6} {result['runs_per_step']:>9.2f} "
            f"{'yes' if result['one_account_each'] else 'NO':>14}"
        )
    medians = {}
    for workers_count in (1, 2):
        mine = [r for r in results if r["workers"] == workers_count]
        medians[workers_count] = {
            "rate": statistics.median(r["rate"] for r in mine),
            "p95": statistics.median(r["p95"] for r in mine),
        }
        print(
            f"{'median, ' + WORKER_LABELS[workers_count]:<40} "
            f"{medians[workers_count]['rate']:>8.2f} cases/s   p95 "
            f"{medians[workers_count]['p95']:.2f} s"
        )
    print(
        f"scaling ratio (2 workers / 1 worker, cases/s): {medians[2]['rate'] / medians[1]['rate']:.2f}"
    )
    if recoveries:
        lease = recoveries[0]["lease"]
        print(
            f"worker SIGKILLed mid-call, {len(recoveries)} times (lease {lease:g} s renewed every "
            f"{lease / 4:g} s, steps swept every {SWEEP_STEPS_EVERY:g} s, call held "
            f"{statistics.median(r['held'] for r in recoveries):.1f} s before the kill): step "
            f"taken over by the other worker after median "
            f"{statistics.median(r['recovery'] for r in recoveries):.2f} s, max "
            f"{max(r['recovery'] for r in recoveries):.2f} s; accounts opened per case "
            f"{sorted(int(r['accounts']) for r in recoveries)}"
        )
    print(
        f"Note: this machine has {os.cpu_count()} cores, shared by the workers with PostgreSQL, "
        "Redis, the sandbox, the web server receiving the webhooks and this driver; the payment "
        "sandbox settles each account 0.2 s after it is opened."
    )


if __name__ == "__main__":
    main()
