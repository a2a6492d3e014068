"""Running commands in a folder outside the repository: a fresh virtualenv, a site made there."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What points a process at this checkout or at the test run's own database, broker or settings:
# a site made for a test must find none of it and stand on its own.
_OURS = (
    "PYTHONPATH",
    "PYTHONHOME",
    "VIRTUAL_ENV",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "MAALEM_VAR_DIR",
    "SECRET_KEY",
    "DEBUG",
)


def clean_environment(bin_folder: Path | None = None, **extra: str) -> dict[str, str]:
    """This process's environment without the settings of this checkout, with ``bin_folder``
    first on PATH (a virtualenv's, or the one running the tests by default)."""
    env = {name: value for name, value in os.environ.items() if name not in _OURS}
    env["PATH"] = f"{bin_folder or Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    if bin_folder is not None:
        env["VIRTUAL_ENV"] = str(bin_folder.parent)
    env.update(extra)
    return env


def outcome(
    command: str | Sequence[str], cwd: Path, env: dict[str, str], timeout: float = 600
) -> tuple[int, str]:
    """Run a command (a string goes to bash); its exit status and output."""
    args = ["bash", "-euo", "pipefail", "-c", command] if isinstance(command, str) else command
    result = subprocess.run(
        list(args),
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )
    return result.returncode, result.stdout


def run(command: str | Sequence[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> str:
    """Run a command (a string goes to bash) and return its output; fail with the output."""
    status, output = outcome(command, cwd, env, timeout)
    if status != 0:
        raise AssertionError(f"`{command}` in {cwd} exited with {status}:\n{output[-6000:]}")
    return output


@contextmanager
def background(
    command: str, cwd: Path, env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``command`` in its own process group, logging to ``log``; stop the group on exit."""
    with open(log, "wb") as output:
        process = subprocess.Popen(
            shlex.split(command),
            cwd=cwd,
            env=env,
            stdout=output,
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def copy_of_checkout(destination: Path) -> Path:
    """The files of this checkout that git tracks or would track, copied to ``destination``:
    what a fresh clone with the working tree's changes holds, without venvs or build output."""
    listing = run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        env=clean_environment(),
    )
    for name in filter(None, listing.split("\0")):
        source = ROOT / name
        if not source.is_file():
            continue  # deleted in the working tree
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    return destination


class Processes(ExitStack):
    """Background processes started by the steps, all stopped together."""

    def start(self, command: str, cwd: Path, env: dict[str, str], log: Path) -> None:
        self.enter_context(background(command, cwd, env, log))
