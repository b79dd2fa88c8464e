"""The production profile, for real: deploy/run-production.sh against a fresh
PostgreSQL database and a Redis queue of its own — nginx in front of two gunicorn
workers, an RQ worker, no scheduler — driven over HTTP through nginx and with the
management commands in processes of their own.

Skipped when PostgreSQL, Redis or nginx is missing, except under CI=true, where
that fails (as ./dev.sh does for PostgreSQL)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SCRIPT = ROOT / "deploy" / "run-production.sh"
POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_HOST = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
WEBHOOK_SECRET = "profile-webhook-secret"


def _missing_services() -> list[str]:
    missing = []
    try:
        import psycopg

        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
    except Exception as exc:
        missing.append(f"PostgreSQL at {POSTGRES} ({type(exc).__name__})")
    try:
        import redis

        redis.Redis.from_url(f"{REDIS_HOST}/0", socket_timeout=3).ping()
    except Exception as exc:
        missing.append(f"Redis at {REDIS_HOST} ({type(exc).__name__})")
    if not _nginx():
        missing.append("nginx (Debian package nginx)")
    return missing


def _nginx() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for[T](what: str, probe: Callable[[], T | None], timeout: float = 30.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.2)


@dataclass
class Receiver:
    """The webhook's far end: a loopback HTTP server recording every POST."""

    url: str = ""
    posts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Profile:
    base: str
    run: Path
    env: dict[str, str]
    database_url: str
    redis_url: str
    queue: str
    receiver: Receiver
    process: subprocess.Popen[bytes]
    setup: dict[str, Any] = field(default_factory=dict)

    def get(
        self, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return (
                    response.status,
                    dict(response.headers),
                    response.read().decode("utf-8"),
                )
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")

    def run_python(self, *args: str) -> dict[str, Any]:
        out = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert out.returncode == 0, out.stderr[-3000:]
        result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
        return result

    def gongkai(self, *args: str) -> str:
        out = subprocess.run(
            [str(BIN / "gongkai"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert out.returncode == 0, out.stderr[-3000:]
        return out.stdout

    def sql(self, query: str, *params: object) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.database_url) as conn:
            return conn.execute(query, params).fetchall()  # type: ignore[arg-type]

    def finished_jobs(self) -> list[Any]:
        """The RQ jobs the worker finished on this profile's queue."""
        import redis
        from rq.job import Job
        from rq.registry import FinishedJobRegistry

        connection = redis.Redis.from_url(self.redis_url)
        registry = FinishedJobRegistry(self.queue, connection=connection)
        return [
            job
            for job in Job.fetch_many(registry.get_job_ids(), connection=connection)
            if job is not None
        ]

    def wait[T](
        self, what: str, probe: Callable[[], T | None], timeout: float = 30.0
    ) -> T:
        """``wait_for``, with the profile's logs in the failure."""
        try:
            return wait_for(what, probe, timeout)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self.logs()}") from None

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-4000:]}"
            for p in sorted((self.run / "logs").glob("*.log"))
        )


@pytest.fixture(scope="module")
def profile() -> Iterator[Profile]:
    missing = _missing_services()
    if missing:
        reason = "the production profile needs " + ", ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true)")
        pytest.skip(reason)
    import psycopg
    import redis

    pid = os.getpid()
    name = f"gongkai_prod_{pid}"
    queue = f"gongkai-test-{pid}"
    redis_url = f"{REDIS_HOST}/{1 + pid % 15}"
    database_url = f"{POSTGRES}/{name}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            receiver.posts.append({"headers": dict(self.headers), "body": body})
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"

    # nginx's workers (an unprivileged user) read the static files in here.
    run = Path(tempfile.mkdtemp(prefix="gongkai-profile-"))
    run.chmod(0o755)
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")},
        "DATABASE_URL": database_url,
        "GONGKAI_TASKS_BACKEND": "rq",
        "GONGKAI_REDIS_URL": redis_url,
        "GONGKAI_CACHE_URL": redis_url,
        "GONGKAI_CACHE_PREFIX": queue,
        "GONGKAI_TASK_QUEUE": queue,
        "GONGKAI_HTTP_PORT": str(port),
        "GONGKAI_BIND": f"127.0.0.1:{_free_port()}",
        "GONGKAI_WEB_WORKERS": "2",
        "GONGKAI_RUN_DIR": str(run),
        "GONGKAI_DATA_DIR": str(run / "data"),
        "GONGKAI_SCHEDULER": "0",
        "GONGKAI_BIN": str(BIN),
        "GONGKAI_WEBHOOK_SECRET_PROFILE": WEBHOOK_SECRET,
        "GONGKAI_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        "NGINX": _nginx() or "nginx",
        "PYTHONUNBUFFERED": "1",
    }
    out = (run / "run-production.out").open("wb")
    process = subprocess.Popen(
        ["bash", str(SCRIPT)],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    profile = Profile(
        base=f"http://127.0.0.1:{port}",
        run=run,
        env=env,
        database_url=database_url,
        redis_url=redis_url,
        queue=queue,
        receiver=receiver,
        process=process,
    )
    try:

        def healthy() -> bool:
            assert process.poll() is None, (
                run / "run-production.out"
            ).read_text() + profile.logs()
            try:
                return profile.get("/healthz")[0] == 200
            except OSError:
                return False

        wait_for("/healthz through nginx", healthy, timeout=90)
        # A bureau with its reviewers, a webhook channel to the receiver above and
        # an application due within days, written by a process of its own.
        profile.setup = profile.run_python(
            "-m", "tests.production.profile_data", "setup", "--webhook", receiver.url
        )
        yield profile
    finally:
        _stop(process)
        out.close()
        server.shutdown()
        server.server_close()
        _forget_queue(redis.Redis.from_url(redis_url), queue)
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(run, ignore_errors=True)


def _forget_queue(connection: Any, queue: str) -> None:
    """Leave nothing of this run in Redis: the queue, its registries, jobs and
    results, the worker's record and the cache (prefixed with the queue name)."""
    for key in connection.scan_iter(f"*{queue}*"):
        connection.delete(key)
    for key in connection.scan_iter("rq:job:*"):
        if connection.hget(key, "origin") == queue.encode():
            connection.delete(key, key.replace(b"rq:job:", b"rq:results:"))
    for key in connection.scan_iter("rq:worker:*"):
        if connection.hget(key, "queues") == queue.encode():
            connection.srem("rq:workers", key)
            connection.delete(key)
    connection.srem("rq:queues", f"rq:queue:{queue}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """The script stops its children on SIGTERM; whatever is left is killed."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def test_healthz_through_nginx_names_the_rq_backend_and_queue_and_keeps_the_request_id(
    profile: Profile,
) -> None:
    status, headers, body = profile.get("/healthz", {"X-Request-ID": "trace-42"})
    data = json.loads(body)
    assert status == 200 and data["status"] == "ok", body
    assert data["tasks"] == {"backend": "RQBackend", "queues": [profile.queue]}
    assert data["checks"]["database"].startswith("ok")
    assert headers["X-Request-ID"] == "trace-42"
    assert headers["Server"].startswith("nginx")
    # Two gunicorn workers under one master.
    master = int((profile.run / "gunicorn.pid").read_text())
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    assert len(children) == 2
    # Static files come from STATIC_ROOT through nginx; /metrics answers loopback.
    css = next((profile.run / "static").rglob("*.css")).relative_to(profile.run)
    status, headers, _ = profile.get(f"/{css.as_posix()}")
    assert status == 200 and headers["Content-Type"] == "text/css"
    status, _, metrics = profile.get("/metrics")
    assert status == 200 and "gongkai_outbox_pending" in metrics


def test_a_publication_in_another_process_reaches_the_webhook_through_the_rq_worker(
    profile: Profile,
) -> None:
    title = "关于2026年义务教育阶段学校招生入学工作的通知"
    published = profile.run_python(
        "-m", "tests.production.profile_data", "publish", "--title", title
    )
    assert published["status"] == "published"

    # No scheduler and no `gongkai outbox`: the publication's commit enqueued the task.
    post = profile.wait(
        "the webhook delivery", lambda: profile.receiver.posts[:1], timeout=30
    )[0]
    payload = json.loads(post["body"])
    assert payload["item"]["title"] == title
    assert payload["item"]["index_number"] == published["index_number"]
    signature = hmac.new(WEBHOOK_SECRET.encode(), post["body"], hashlib.sha256)
    assert post["headers"]["X-Gongkai-Signature"] == f"sha256={signature.hexdigest()}"
    profile.wait(
        "the delivery row to be marked delivered",
        lambda: (
            profile.sql(
                "SELECT status FROM catalogue_delivery WHERE item_id = %s",
                published["item"],
            )
            == [("delivered",)]
        ),
    )
    jobs = profile.wait(
        "the worker's finished job",
        lambda: [
            j
            for j in profile.finished_jobs()
            if j.func_name == "gongkai.catalogue.tasks.deliver_and_publish"
        ],
    )
    result = jobs[0].latest_result()
    assert result.worker_name.startswith("gongkai-worker-")
    assert result.return_value["delivered"] == 1
    assert "deliver_and_publish" in (profile.run / "logs" / "worker.log").read_text()

    org_code = profile.setup["org_code"]
    status, _, rss = profile.get(f"/feeds/units/{org_code}/rss.xml")
    assert status == 200 and title in rss and published["index_number"] in rss
    status, _, page = profile.get("/search/?q=" + urllib.parse.quote("招生入学"))
    assert status == 200 and f'href="/items/{published["item"]}/"' in page


def test_a_scheduled_publication_is_published_and_delivered_by_the_worker_on_time(
    profile: Profile,
) -> None:
    before = len(profile.receiver.posts)
    title = "关于寒假安全教育工作的通知"
    scheduled = profile.run_python(
        "-m", "tests.production.profile_data", "publish", "--title", title, "--in", "2"
    )
    assert scheduled["status"] == "scheduled"
    # The worker's RQ scheduler runs the deferred task once the time has come.
    profile.wait(
        "the scheduled item's webhook",
        lambda: len(profile.receiver.posts) > before,
    )
    assert json.loads(profile.receiver.posts[-1]["body"])["item"]["title"] == title
    assert profile.sql(
        "SELECT status, is_public FROM catalogue_item WHERE id = %s", scheduled["item"]
    ) == [("published", True)]


def test_the_daily_reminders_enqueued_by_schedule_once_run_on_the_worker(
    profile: Profile,
) -> None:
    out = profile.gongkai("schedule", "--once")
    assert f"已加入队列 {profile.queue}" in out, out
    notifications = profile.wait(
        "the reminder notification",
        lambda: profile.sql(
            "SELECT n.key, n.text FROM core_notification n "
            "JOIN accounts_user u ON u.id = n.user_id WHERE u.username = 'p_officer'"
        ),
    )
    assert notifications[0][0].startswith("application-")
    jobs = profile.wait(
        "the worker's reminder job",
        lambda: [
            j
            for j in profile.finished_jobs()
            if j.func_name == "gongkai.applications.tasks.send_application_reminders"
        ],
    )
    assert jobs[0].latest_result().return_value["notifications"] >= 1
