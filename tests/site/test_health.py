"""/healthz and /readyz, as a load balancer asks them.

readyz is asked of the real database, cache and broker of the run (SQLite and the file-system
broker by default; PostgreSQL and Redis in the PostgreSQL pass). The failure is shown on a real
gunicorn started with the production settings and a broker URL on a closed port.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ok_when_the_database_the_cache_and_the_broker_answer(client):
    response = client.get("/readyz")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "failed": [],
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }


@pytest.mark.django_db
def test_health_endpoints_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/fr/").status_code == 301  # the pages are


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_readyz_names_the_broker_when_it_is_down_under_gunicorn(tmp_path):
    port, closed = free_port(), free_port()
    broker_url = f"redis://:hunter2-broker-password@127.0.0.1:{closed}/0"
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTEST_VERSION", "DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL"}
    }
    environment.update(
        DEBUG="true",
        MAALEM_VAR_DIR=str(tmp_path),
        CELERY_BROKER_URL=broker_url,
        WEB_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
    )
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "python:config.gunicorn", "config.wsgi"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        status, body = get(f"http://127.0.0.1:{port}/readyz")
        get(f"http://127.0.0.1:{port}/fr/?phone=0612345678")
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert status == 503
    answer = json.loads(body)
    assert answer["status"] == "failed"
    assert answer["failed"] == ["broker"]
    assert answer["checks"]["database"] == answer["checks"]["cache"] == "ok"
    assert str(closed) not in body.decode() and "hunter2" not in body.decode()
    # The access log: the failed check, the page without its query, no successful health check.
    lines = log.read_text()
    assert '"GET /readyz HTTP/1.1" 503' in lines
    assert '"GET /fr/ HTTP/1.1"' in lines
    assert "0612345678" not in lines
    assert "/healthz" not in lines
