"""The processes the onboarding bench starts beside itself: the site under gunicorn, to receive
the sandbox's webhooks, and Celery workers; each stopped with its process group."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


@contextmanager
def web_server(port: int, log_dir: Path, processes: int = 2) -> Iterator[str]:
    """The site, to receive the sandbox's webhooks: gunicorn with the production settings
    (config/gunicorn.py), ``processes`` worker processes, no access log."""
    log = open(log_dir / "web.log", "ab")
    env = {
        **os.environ,
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(processes),
        "WEB_ACCESS_LOG": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:config.gunicorn", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"the web server did not start; see {log.name}") from None
                time.sleep(0.2)
        yield url
    finally:
        stop(process)
        log.close()


@contextmanager
def workers(
    count: int, label: str, log_dir: Path, environment: dict[str, str]
) -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    """``count`` worker processes of concurrency 1, ready when the block starts, by hostname.

    ``environment`` is added to this process's own, which names the database and the broker.
    """
    from config.celery import app

    app.control.purge()
    env = {**os.environ, **environment}
    processes: dict[str, subprocess.Popen[bytes]] = {}
    logs = []
    for number in range(count):
        log = open(log_dir / f"worker-{label}-{number}.log", "ab")
        logs.append(log)
        hostname = f"bench-{label}-{number}-{os.getpid()}@{socket.gethostname()}"
        processes[hostname] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel",
                "WARNING",
                "--concurrency",
                "1",
                "--hostname",
                hostname,
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while len(app.control.ping(timeout=1.0) or []) < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{count} workers did not answer a ping; see {log_dir}")
        yield processes
    finally:
        for process in processes.values():
            stop(process)
        for log in logs:
            log.close()
