"""The database goes away while the portal serves requests: the portal answers 503 in
Chinese with Retry-After, and serves again by itself once the database is back."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test import Client

from tests.conftest import World
from tests.faults.wsgi import wsgi_get

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@contextmanager
def database_unreachable() -> Iterator[None]:
    """Point the connection at a database that is not there (an SQLite file in a
    missing folder, a PostgreSQL port nobody listens on), then restore it."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-gongkai-dir/db.sqlite3"
    else:
        connection.settings_dict["HOST"] = "127.0.0.1"
        connection.settings_dict["PORT"] = "1"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def _assert_503(response: Any) -> None:
    assert response.status == 503
    assert response.headers["Retry-After"] == "30"
    assert "no-store" in response.headers["Cache-Control"]


def test_the_portal_answers_503_in_chinese_while_the_database_is_down_and_recovers(
    world: World,
) -> None:
    assert wsgi_get("/").status == 200

    with database_unreachable():
        down = wsgi_get("/")
        _assert_503(down)
        assert "服务暂时不可用" in down.text
        assert "请 30 秒后刷新页面重试" in down.text
        assert down.headers["Content-Type"].startswith("text/html")
        # The load balancer's health check says so too.
        assert wsgi_get("/healthz").status == 503

    # No restart: the next request opens a new connection.
    assert wsgi_get("/").status == 200
    assert wsgi_get("/healthz").status == 200


def test_a_signed_in_console_user_gets_503_not_500_and_keeps_the_session(
    world: World,
) -> None:
    client = Client()
    client.force_login(world.author)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    assert wsgi_get("/console/", cookie=cookie).status == 200

    with database_unreachable():
        # The session itself cannot be loaded: the failure is in the middleware and
        # the handler of last resort answers 503 as well.
        _assert_503(wsgi_get("/console/", cookie=cookie))
        _assert_503(wsgi_get("/console/items/", cookie=cookie))

    assert wsgi_get("/console/", cookie=cookie).status == 200


def test_the_api_answers_503_with_a_json_error(world: World) -> None:
    with database_unreachable():
        down = wsgi_get("/api/items")
        _assert_503(down)
        assert down.headers["Content-Type"].startswith("application/json")
        assert json.loads(down.body)["error"] == "数据库暂时不可用，请稍后重试"
    assert wsgi_get("/api/items").status == 200


def _terminate(pid: int) -> None:
    """Kill a backend as a database restart or failover would (pg_terminate_backend),
    and wait until it is gone."""
    params = connection.get_connection_params()
    conninfo = {k: v for k, v in params.items() if k in {"host", "port", "user"}}
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            row = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid]
            ).fetchone()
            if row is not None and row[0] == 0:
                return
            time.sleep(0.05)
    raise AssertionError(f"backend {pid} still alive")


@contextmanager
def persistent_connection(*, health_checks: bool | None = None) -> Iterator[None]:
    """DB_CONN_MAX_AGE > 0, as a deployment sets it; health checks as configured
    unless given."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 600
    if health_checks is not None:
        connection.settings_dict["CONN_HEALTH_CHECKS"] = health_checks
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.fixture
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL (DATABASE_URL=postgres://…)")


@pytest.mark.usefixtures("postgres_only")
def test_a_persistent_connection_killed_by_the_server_is_replaced_by_the_health_check(
    world: World,
) -> None:
    with persistent_connection():
        assert wsgi_get("/").status == 200
        pid = connection.connection.info.backend_pid  # type: ignore[union-attr]
        _terminate(pid)
        # CONN_HEALTH_CHECKS (on in the settings): checked before reuse, replaced.
        assert wsgi_get("/").status == 200
        assert connection.connection.info.backend_pid != pid  # type: ignore[union-attr]


@pytest.mark.usefixtures("postgres_only")
def test_without_health_checks_the_killed_connection_costs_one_503_then_recovers(
    world: World,
) -> None:
    with persistent_connection(health_checks=False):
        assert wsgi_get("/").status == 200
        pid = connection.connection.info.backend_pid  # type: ignore[union-attr]
        _terminate(pid)
        failed = wsgi_get("/")
        _assert_503(failed)
        assert "服务暂时不可用" in failed.text
        # The broken connection is marked unusable and closed at the next request.
        assert wsgi_get("/").status == 200
        assert connection.connection.info.backend_pid != pid  # type: ignore[union-attr]
