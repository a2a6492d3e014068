"""Gunicorn's settings for the production web process (Procfile.production):
``gunicorn --config python:config.gunicorn config.wsgi``.

Every value comes from the environment; docs/deploy.md says how to size them. The access log
names no client address and no query string (a query may carry a phone number), and leaves out
the load balancer's health checks, which would be most of its lines.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from gunicorn.glogging import Logger

bind = os.environ.get("WEB_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Gunicorn reads WEB_CONCURRENCY itself too; this default suits a machine that does nothing else.
workers = int(os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) * 2 + 1)))
# Above 1, each worker serves this many requests at once in threads (the gthread worker).
threads = int(os.environ.get("WEB_THREADS", "1"))
# A request longer than this is killed and its worker replaced; the exports stream, so they
# write before this runs out.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("WEB_KEEPALIVE", "5"))
# A worker is replaced after this many requests, so that no slow leak grows without bound.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The workers' heartbeat files in memory: on a disk, a slow write can get a busy worker killed.
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None
# The load balancer's addresses, whose X-Forwarded-* headers are believed.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None
access_log_format = '"%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# No control socket: its default path is one per user, which several sites on a machine share.
control_socket_disable = True
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

HEALTH_PATHS = ("/healthz", "/readyz")


class QuietHealthLogger(Logger):
    """Gunicorn's logger, without a line for each health check that succeeds."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if environ.get("PATH_INFO") in HEALTH_PATHS and str(resp.status).startswith("200"):
            return
        super().access(resp, req, environ, request_time)


logger_class = QuietHealthLogger
