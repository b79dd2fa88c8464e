from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from gongkai.accounts.models import Unit
from gongkai.audit.models import AuditEvent
from gongkai.catalogue.models import Attachment
from gongkai.core.backup import row_counts
from gongkai.core.logging import JsonFormatter


def test_healthz_reports_the_database_tasks_and_disk(db: None, client: Client) -> None:
    data = client.get("/healthz").json()
    assert data["status"] == "ok"
    assert set(data["checks"]) == {"database", "tasks", "disk"}


def test_metrics_are_served_to_loopback_and_count_requests(
    db: None, client: Client
) -> None:
    client.get("/")
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert 'gongkai_http_requests_total{method="GET",status="2xx"}' in text
    assert (
        "gongkai_applications_overdue 0" in text and "gongkai_outbox_pending 0" in text
    )
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.8").status_code == 403


def test_metrics_with_a_token_are_served_to_anyone_with_it(
    db: None, client: Client, settings: Any
) -> None:
    settings.GONGKAI_METRICS_TOKEN = "m-secret"
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.8").status_code == 403
    assert (
        client.get(
            "/metrics", REMOTE_ADDR="10.0.0.8", HTTP_AUTHORIZATION="Bearer m-secret"
        ).status_code
        == 200
    )


def test_every_response_carries_a_request_id_that_the_json_logs_use(
    db: None, client: Client
) -> None:
    response = client.get("/", HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-ID"] == "abc123"
    assert len(client.get("/")["X-Request-ID"]) == 32
    record = logging.LogRecord(
        "gongkai", logging.WARNING, __file__, 1, "出错了 %s", ("x",), None
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "出错了 x" and line["request_id"] == "-"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_into_an_empty_instance_with_counts_files_and_audit_chain(
    tmp_path: Path, settings: Any
) -> None:
    from tests.catalogue.conftest import draft, staff_for
    from tests.catalogue.test_workflow import publish_quickly
    from tests.conftest import World  # noqa: F401

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["tests.hashers.CheapArgon2PasswordHasher"]
    call_command("demo")
    bureau = Unit.objects.get(org_code="XQJY00001")
    staff = staff_for(bureau, "bk")
    item = draft(staff, title="有附件的信息")
    from gongkai.catalogue.services import editing

    editing.add_attachment(
        actor=staff.author, item=item, name="说明.txt", data="附件正文".encode()
    )
    publish_quickly(staff, item)
    before = row_counts()
    call_command("backup", str(tmp_path / "snap"))
    with pytest.raises(CommandError, match="不是空目录"):
        call_command("backup", str(tmp_path / "snap"))
    with pytest.raises(CommandError, match="空实例"):
        call_command("restore", str(tmp_path / "snap"))
    call_command("flush", "--no-input")
    for path in (tmp_path / "media").rglob("*"):
        if path.is_file():
            path.unlink()
    assert AuditEvent.objects.count() == 0
    call_command("restore", str(tmp_path / "snap"))
    assert row_counts() == before
    attachment = Attachment.objects.get(name="说明.txt")
    assert attachment.file.open("rb").read() == "附件正文".encode()
    call_command("audit", "verify")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tampered_backup_is_refused_before_anything_is_restored(
    tmp_path: Path,
) -> None:
    call_command("backup", str(tmp_path / "snap"))
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text())
    db_file = tmp_path / "snap" / manifest["database_file"]
    db_file.write_bytes(db_file.read_bytes() + b"x")
    with pytest.raises(CommandError, match="校验和不符"):
        call_command("restore", str(tmp_path / "snap"))
