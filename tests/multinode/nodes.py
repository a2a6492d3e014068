"""The processes of the multi-node test, each a real process on loopback: an S3-compatible server
(moto in server mode), web nodes (``runserver``) and a Celery worker, each of the last two in a
folder of its own with nothing shared but the database, the broker and the buckets.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

import boto3
import requests

from tests.worker import test_database_url, wait_for

ROOT = Path(__file__).resolve().parents[2]
MEDIA_BUCKET = "maalem-media"
PRIVATE_BUCKET = "maalem-private"
# The media bucket's policy, as docs/storage.md sets it: anyone may read; the private bucket has none.
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{MEDIA_BUCKET}/*",
        }
    ],
}
# Settings of the host site plus the keys the tests encrypt with and short onboarding retries.
SETTINGS_MODULE = "tests.onboarding.worker_settings"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def s3_environment(endpoint: str) -> dict[str, str]:
    """The variables that put a site's files in the test's buckets (see config/storage.py)."""
    return {
        "AWS_STORAGE_BUCKET_NAME": MEDIA_BUCKET,
        "AWS_PRIVATE_BUCKET_NAME": PRIVATE_BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": "multinode-test",
        "AWS_SECRET_ACCESS_KEY": "multinode-test-secret",
    }


def s3_client(endpoint: str) -> Any:
    variables = s3_environment(endpoint)
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=variables["AWS_S3_REGION_NAME"],
        aws_access_key_id=variables["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=variables["AWS_SECRET_ACCESS_KEY"],
    )


def bucket_names(client: Any, bucket: str) -> list[str]:
    listing = client.list_objects_v2(Bucket=bucket)
    return [item["Key"] for item in listing.get("Contents", [])]


def _answers(url: str) -> bool:
    try:
        requests.get(url, timeout=2, allow_redirects=False)
    except requests.RequestException:
        return False
    return True


def _stop(process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    log.close()


@contextmanager
def _process(
    command: list[str], cwd: Path, env: dict[str, str], log_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    log = open(log_path, "wb")
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        yield process
    finally:
        _stop(process, log)


def _check_alive(process: subprocess.Popen[bytes], what: str, log_path: Path) -> None:
    if process.poll() is not None:
        raise AssertionError(f"{what} exited ({process.returncode}); see {log_path}")


@contextmanager
def s3_server(logs: Path) -> Iterator[str]:
    """moto's S3-compatible server with the media and private buckets; yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    log_path = logs / "s3.log"
    with _process(command, ROOT, dict(os.environ), log_path) as process:

        def ready() -> bool:
            _check_alive(process, "the S3 server", log_path)
            return _answers(url)

        wait_for(ready, timeout=30, what="the S3 server to answer")
        client = s3_client(url)
        for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET):
            client.create_bucket(Bucket=bucket)
        client.put_bucket_policy(Bucket=MEDIA_BUCKET, Policy=json.dumps(PUBLIC_READ))
        yield url


def node_environment(folder: Path, shared: dict[str, str]) -> dict[str, str]:
    """A process's environment: its own var/ folder, and what every node shares."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("MEDIA_ROOT", "PRIVATE_ROOT", "MAALEM_VAR_DIR", "DJANGO_SETTINGS_MODULE")
    }
    folder.mkdir(parents=True, exist_ok=True)
    return {
        **env,
        **shared,
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": test_database_url(),
        "MAALEM_VAR_DIR": str(folder / "var"),
    }


@contextmanager
def web_nodes(
    folders: list[Path], shared: dict[str, str], logs: Path, ports: list[int]
) -> Iterator[list[str]]:
    """A web process working from each folder, on its port, all started at once; yields their
    base URLs once every one answers."""
    with ExitStack() as stack:
        started = []
        for folder, port in zip(folders, ports, strict=True):
            command = [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload"]
            log_path = logs / f"{folder.name}.log"
            env = node_environment(folder, shared)
            process = stack.enter_context(
                _process([*command, f"127.0.0.1:{port}"], folder, env, log_path)
            )
            started.append((process, f"http://127.0.0.1:{port}", log_path))
        for process, url, log_path in started:

            def ready(process: Any = process, url: str = url, log_path: Path = log_path) -> bool:
                _check_alive(process, f"the web node {log_path.stem}", log_path)
                return _answers(url + "/fr/")

            wait_for(ready, timeout=90, what=f"the web node {log_path.stem} to answer")
        yield [url for _process_, url, _log in started]


@contextmanager
def worker_node(
    folder: Path, shared: dict[str, str], logs: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """A Celery worker working from ``folder``, on the shared broker and database."""
    from config.celery import app

    app.control.purge()
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO"]
    command += ["--concurrency", "1", "--hostname", f"multinode-{os.getpid()}@%h"]
    command += ["--without-gossip", "--without-mingle"]
    log_path = logs / f"{folder.name}.log"
    with _process(command, folder, node_environment(folder, shared), log_path) as process:
        yield process
        _check_alive(process, "the worker", log_path)


def files_under(folder: Path) -> list[str]:
    """Every file a process left in its folder."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())
