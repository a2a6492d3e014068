"""A real Celery worker process for tests, on the configured broker and the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_database_url() -> str:
    """A DATABASE_URL that points a child process at the database this test run uses."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


@contextmanager
def celery_worker(
    concurrency: int = 1,
    name: str = "test",
    env: dict[str, str] | None = None,
    include: str | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """A worker process; ``env`` is added to this process's environment, and ``include`` names
    a module of test tasks for it to load as well."""
    from config.celery import app

    app.control.purge()
    env = {**os.environ, "DATABASE_URL": test_database_url(), **(env or {})}
    # Under the run's own runtime folder, so two runs side by side (.ci/run) keep apart.
    log = open(Path(settings.VAR_DIR) / f"worker-{name}.log", "wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            str(concurrency),
            "--hostname",
            f"{name}-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            *(["--include", include] if include else []),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def wait_for(
    condition: Callable[[], object],
    timeout: float = 60,
    what: str = "condition",
    every: float = 0.2,
) -> None:
    """Return as soon as ``condition()`` holds, asking ``every`` seconds; fail after ``timeout``.

    Waiting on what a test needs, rather than for a fixed time, keeps it quick on an idle machine
    and right on a loaded one: the timeout is only how long to wait before calling it a failure.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
