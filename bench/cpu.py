"""CPU seconds spent by a process tree and by a database's server processes, read from /proc.

Requests per second on a shared machine say as much about the neighbours as about the site;
CPU time per request does not. :func:`tree_cpu` counts a process, its live children, and the
children it has already reaped (gunicorn replaces a worker after ``max_requests``), so the
figure survives worker restarts. :func:`database_cpu` sums the PostgreSQL backends serving one
database (approximate: a backend that ended between two readings is not counted).
"""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces: the fields start after its closing parenthesis.
    return text[text.rindex(")") + 2 :].split()


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree_cpu(pid: int) -> float:
    """User + system seconds of ``pid``, its descendants, and its reaped children."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    # utime, stime, cutime, cstime are fields 14-17 of stat(5); fields[0] here is field 3.
    ticks = sum(int(value) for value in fields[11:15])
    return ticks / TICKS + sum(tree_cpu(child) for child in _children(pid))


def processes_cpu(pids: list[int]) -> dict[int, float]:
    """User + system seconds of each of ``pids`` that still runs."""
    seconds = {}
    for pid in pids:
        fields = _stat(pid)
        if fields is not None:
            seconds[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return seconds


def database_cpu(database_url: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend now connected to ``database_url``'s database."""
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as db:
        rows = db.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        ).fetchall()
    return processes_cpu([row[0] for row in rows])


def database_cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """Seconds the backends spent between two :func:`database_cpu` readings."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


class Usage:
    """CPU milliseconds per request served, of gunicorn's processes and of the database's
    backends, between two readings: far steadier than requests/s on a shared machine."""

    def __init__(self, server_pid: int, database_url: str, access_log: Path) -> None:
        self.pid, self.database_url, self.log = server_pid, database_url, access_log
        self.start()

    def start(self) -> None:
        self.web, self.db = tree_cpu(self.pid), database_cpu(self.database_url)
        self.lines = self.log.read_bytes().count(b"\n") if self.log.exists() else 0

    def per_request(self) -> tuple[float, float]:
        served = max(self.log.read_bytes().count(b"\n") - self.lines, 1)
        web = tree_cpu(self.pid) - self.web
        db = database_cpu_between(self.db, database_cpu(self.database_url))
        return 1000 * web / served, 1000 * db / served
