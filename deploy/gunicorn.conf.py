"""gunicorn settings for gongkai's production profile (docs/deploy.md).

    gunicorn -c deploy/gunicorn.conf.py

Everything can be overridden from the environment: GONGKAI_BIND (default
127.0.0.1:8001, the upstream of deploy/nginx.conf), GONGKAI_WEB_WORKERS (default
2 × cores), GONGKAI_WEB_THREADS (default 4), GONGKAI_WEB_TIMEOUT (default 60 s), GONGKAI_WEB_MAX_REQUESTS (default 20000),
GONGKAI_GUNICORN_CONTROL_SOCKET (a path for `gunicornc`; none by default).
Access log: one JSON object a line on stdout (with the request id nginx passes),
or Apache's combined format with GONGKAI_JSON_LOGS=0.
"""

from __future__ import annotations

import datetime
import json
import os
from typing import Any

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "gongkai.wsgi:application"
bind = [os.environ.get("GONGKAI_BIND", "127.0.0.1:8001")]
proc_name = "gongkai-web"

# Threads let a worker overlap database and file waits; processes use the cores.
worker_class = "gthread"
workers = _int("GONGKAI_WEB_WORKERS", 2 * (os.cpu_count() or 1))
threads = _int("GONGKAI_WEB_THREADS", 4)

# A request that takes longer than this is killed (report builds and evidence
# packages are the slowest pages); nginx's proxy_read_timeout is a little longer.
timeout = _int("GONGKAI_WEB_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak cannot grow without bound; the
# application is loaded once in the master (preload_app), so a new worker starts
# in milliseconds instead of importing Django again, and no request waits long.
max_requests = _int("GONGKAI_WEB_MAX_REQUESTS", 20000)
max_requests_jitter = max_requests // 10
preload_app = True

# gunicorn's control socket (for `gunicornc`) only where asked for: its default
# path in $HOME would be shared by every instance on the machine.
control_socket = os.environ.get("GONGKAI_GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

# Only nginx on this machine may tell gunicorn the scheme (X-Forwarded-Proto).
forwarded_allow_ips = "127.0.0.1,::1"

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GONGKAI_WEB_LOG_LEVEL", "info")
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}i)s'
)


class JsonAccessLogger(Logger):
    """The access log as one JSON object a line (escaped properly, unlike a
    JSON-looking access_log_format), matching Django's JSON logs."""

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        record = {
            "time": datetime.datetime.now(datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "logger": "gunicorn.access",
            "request_id": atoms.get("{x-request-id}o")
            or atoms.get("{x-request-id}i", "-"),
            "client": atoms.get("{x-forwarded-for}i", "-"),
            "method": atoms.get("m"),
            "path": atoms.get("U"),
            "query": atoms.get("q"),
            "status": atoms.get("s"),
            "bytes": atoms.get("B"),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "referer": atoms.get("f"),
            "user_agent": atoms.get("a"),
            "pid": os.getpid(),
        }
        self.access_log.info(json.dumps(record, ensure_ascii=False))


if os.environ.get("GONGKAI_JSON_LOGS", "1").strip().lower() not in {
    "0",
    "false",
    "no",
    "off",
}:
    logger_class = JsonAccessLogger
