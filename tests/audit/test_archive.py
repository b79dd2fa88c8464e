"""Audit retention and archiving: old events leave the database only after they are in
checksummed files, never before 180 days, and the chain verifies across the cut."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.audit.archive import (
    ArchivePlan,
    archive_events,
    commit_archive,
    plan_archive,
    write_archive,
)
from gongkai.audit.models import AuditArchive, AuditChainHead, AuditEvent
from gongkai.audit.services import record_event
from gongkai.audit.tasks import archive_audit_events
from gongkai.audit.verify import verify_archive, verify_chain
from tests.conftest import World


@pytest.fixture
def archive_dir(tmp_path: Path, settings: Any) -> Path:
    path = tmp_path / "audit-archive"
    settings.GONGKAI_AUDIT_ARCHIVE_DIR = path
    return path


def _events_at(days_ago: int, count: int = 3) -> None:
    at = timezone.now() - timedelta(days=days_ago)
    with time_machine.travel(at, tick=False):
        for n in range(count):
            record_event(
                actor=None,
                action="test.history",
                summary=f"{days_ago} 天前的第 {n + 1} 条事件",
                data={"days_ago": days_ago, "列表": [n, "甲"]},
            )


@pytest.fixture
def history(request: pytest.FixtureRequest) -> Iterator[World]:
    """A bureau set up 400 days ago (units, users, roles: real audited changes), then
    events 400, 200 and 100 days ago and today."""
    with time_machine.travel(timezone.now() - timedelta(days=400), tick=False):
        world: World = request.getfixturevalue("world")
    _events_at(400)
    _events_at(200)
    _events_at(100)
    _events_at(0)
    yield world


def _older_than(days: int) -> int:
    cutoff = timezone.now() - timedelta(days=days)
    return AuditEvent.objects.filter(occurred_at__lt=cutoff).count()


def test_archiving_moves_old_events_into_files_and_the_chain_still_verifies(
    history: World, archive_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    total = AuditEvent.objects.count()
    old = _older_than(365)
    head = AuditChainHead.objects.get(pk=1)
    assert old > 3

    result = archive_events()

    assert result.count == old
    assert AuditEvent.objects.count() == total - old + 1  # + the archiving event
    assert _older_than(365) == 0
    saved = AuditArchive.objects.get()
    assert (saved.first_seq, saved.last_seq, saved.count) == (1, old, old)
    # The file holds every field, the chain hashes included, one event a line.
    lines = (archive_dir / saved.file_name).read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["seq"] for r in records] == list(range(1, old + 1))
    assert {"prev_hash", "hash", "data", "actor_id", "unit_id", "ip"} <= set(records[0])
    assert records[-1]["hash"] == saved.last_hash
    manifest = json.loads((archive_dir / saved.manifest_name).read_text())
    assert manifest["sha256"] == saved.sha256
    assert (manifest["first_seq"], manifest["last_seq"], manifest["count"]) == (
        1,
        old,
        old,
    )
    assert manifest["first_prev_hash"] == "0" * 64
    assert manifest["last_hash"] == records[-1]["hash"]
    assert manifest["created_at"]
    # Archiving is itself audited, with the range, file and checksum.
    event = AuditEvent.objects.get(action="audit.archived")
    assert event.seq == head.seq + 1
    assert event.data["sha256"] == saved.sha256
    assert event.data["file"] == saved.file_name
    assert (event.data["first_seq"], event.data["last_seq"]) == (1, old)

    assert verify_chain().ok
    report = verify_archive(archive_dir)
    assert report.ok, report.problem
    assert report.archived == old
    call_command("audit", "verify")
    call_command("audit", "verify", "--archive", str(archive_dir))
    out = capsys.readouterr().out
    assert f"归档文件 {old} 条" in out and "哈希链校验通过" in out


def test_the_live_chain_starts_from_the_archived_tail_hash(
    history: World, archive_dir: Path
) -> None:
    archive_events()
    saved = AuditArchive.objects.get()
    first_live = AuditEvent.objects.order_by("seq").first()
    assert first_live is not None
    assert first_live.seq == saved.last_seq + 1
    assert first_live.prev_hash == saved.last_hash
    # A row changed after the cut is still found.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET summary = %s WHERE seq = %s",
            ["篡改", first_live.seq],
        )
    report = verify_chain()
    assert not report.ok
    assert report.first_bad_seq == first_live.seq


def test_a_dry_run_changes_nothing(
    history: World, archive_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = list(AuditEvent.objects.order_by("seq").values_list("seq", "hash"))
    old = _older_than(365)

    result = archive_events(dry_run=True)
    call_command("audit", "archive", "--dry-run")

    assert result.count == old
    assert f"第 1 至 {old} 号，共 {old} 条" in capsys.readouterr().out
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", "hash")) == before
    assert not AuditArchive.objects.exists()
    assert not archive_dir.exists()


@pytest.mark.parametrize("days", [0, 30, 179])
def test_archiving_events_younger_than_180_days_is_refused(
    history: World, archive_dir: Path, days: int
) -> None:
    count = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        archive_events(days=days)
    assert "至少保存 180 天" in exc.value.message
    with pytest.raises(CommandError) as cmd:
        call_command("audit", "archive", "--older-than", str(days))
    assert "至少保存 180 天" in str(cmd.value)
    assert AuditEvent.objects.count() == count
    assert not archive_dir.exists()


def test_a_setting_below_the_floor_is_refused_too(
    history: World, archive_dir: Path, settings: Any
) -> None:
    settings.GONGKAI_AUDIT_ARCHIVE_AFTER_DAYS = 90
    count = AuditEvent.objects.count()
    with pytest.raises(ServiceError, match="至少保存 180 天"):
        archive_events()
    assert AuditEvent.objects.count() == count


def test_at_the_floor_only_rows_older_than_180_days_go(
    history: World, archive_dir: Path
) -> None:
    young = AuditEvent.objects.filter(
        occurred_at__gte=timezone.now() - timedelta(days=180)
    ).count()
    archive_events(days=180)
    assert _older_than(180) == 0
    # The 100-day-old and today's rows stay, with the archiving event.
    assert AuditEvent.objects.count() == young + 1
    assert verify_archive(archive_dir).ok


def test_nothing_deletes_audit_rows_younger_than_180_days(
    history: World, archive_dir: Path
) -> None:
    count = AuditEvent.objects.count()
    young = AuditEvent.objects.filter(
        occurred_at__gte=timezone.now() - timedelta(days=180)
    )
    with pytest.raises(PermissionError):
        young.delete()
    with pytest.raises(PermissionError):
        young.update(summary="改")
    # The archive's own delete step, handed a range that reaches young rows, refuses.
    last = AuditEvent.objects.order_by("-seq").first()
    first = AuditEvent.objects.order_by("seq").first()
    assert first is not None and last is not None
    forged = ArchivePlan(
        cutoff=timezone.now(),
        first_seq=first.seq,
        last_seq=last.seq,
        count=count,
        first_prev_hash=first.prev_hash,
        last_hash=last.hash,
    )
    files = write_archive(forged, archive_dir)
    with pytest.raises(ServiceError, match="未满 180 天"):
        commit_archive(forged, files)
    assert AuditEvent.objects.count() == count
    assert not AuditArchive.objects.exists()
    assert verify_chain().ok


def test_a_crash_after_writing_the_files_loses_nothing_and_a_rerun_completes(
    history: World, archive_dir: Path
) -> None:
    count = AuditEvent.objects.count()
    plan = plan_archive(days=365)
    assert plan is not None
    write_archive(plan, archive_dir)
    # The process dies here: the files are written, the rows not yet deleted.
    assert AuditEvent.objects.count() == count
    assert not AuditArchive.objects.exists()
    assert verify_chain().ok

    result = archive_events()

    assert result.count == plan.count
    assert AuditArchive.objects.count() == 1
    assert sorted(p.name for p in archive_dir.iterdir()) == [
        f"{plan.stem}.jsonl",
        f"{plan.stem}.manifest.json",
    ]
    assert verify_archive(archive_dir).ok


def test_a_file_left_by_an_unfinished_run_with_another_range_is_replaced(
    history: World, archive_dir: Path
) -> None:
    partial = plan_archive(days=365)
    assert partial is not None
    write_archive(partial, archive_dir)
    # The next run uses a later cut-off and takes a longer range.
    result = archive_events(days=180)
    assert result.plan is not None and result.plan.last_seq > partial.last_seq
    assert not (archive_dir / f"{partial.stem}.jsonl").exists()
    assert verify_archive(archive_dir).ok


def test_running_again_is_idempotent_and_a_later_run_continues_the_archive(
    history: World, archive_dir: Path
) -> None:
    first = archive_events()
    again = archive_events()
    assert first.count > 0
    assert again.plan is None
    assert AuditArchive.objects.count() == 1

    # 300 days later the 200- and 100-day-old events (and the first archiving
    # event) are past the retention period: a second file continues the first.
    with time_machine.travel(timezone.now() + timedelta(days=300), tick=False):
        second = archive_events()
        assert second.plan is not None
        assert second.plan.first_seq == first.plan.last_seq + 1  # type: ignore[union-attr]
        assert AuditArchive.objects.count() == 2
        assert verify_chain().ok
        report = verify_archive(archive_dir)
        assert report.ok, report.problem
        assert report.archived == first.count + second.count


def test_a_tampered_archive_file_is_found(history: World, archive_dir: Path) -> None:
    archive_events()
    saved = AuditArchive.objects.get()
    path = archive_dir / saved.file_name
    lines = path.read_text().splitlines()
    record = json.loads(lines[2])
    record["summary"] = "篡改后的说明"
    lines[2] = json.dumps(record, ensure_ascii=False, sort_keys=True)
    path.write_text("\n".join(lines) + "\n")

    report = verify_archive(archive_dir)
    assert not report.ok
    assert "校验和" in report.problem
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify", "--archive", str(archive_dir))
    assert exc.value.returncode == 1
    # The live chain alone still verifies: the files are checked with --archive.
    assert verify_chain().ok


def test_a_tampered_file_with_forged_checksums_is_found_by_its_hashes(
    history: World, archive_dir: Path
) -> None:
    archive_events()
    saved = AuditArchive.objects.get()
    path = archive_dir / saved.file_name
    lines = path.read_text().splitlines()
    record = json.loads(lines[2])
    record["summary"] = "篡改后的说明"
    lines[2] = json.dumps(record, ensure_ascii=False, sort_keys=True)
    path.write_text("\n".join(lines) + "\n")
    # The forger also rewrites the manifest's checksum and the database's.
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest_path = archive_dir / saved.manifest_name
    manifest = json.loads(manifest_path.read_text())
    manifest["sha256"] = sha
    manifest_path.write_text(json.dumps(manifest))
    AuditArchive.objects.filter(pk=saved.pk).update(sha256=sha)

    report = verify_archive(archive_dir)
    assert not report.ok
    assert report.first_bad_seq == record["seq"]
    assert "与哈希链不符" in report.problem


def test_a_missing_archive_file_or_manifest_is_found(
    history: World, archive_dir: Path
) -> None:
    archive_events()
    saved = AuditArchive.objects.get()
    (archive_dir / saved.file_name).unlink()
    assert "缺失" in verify_archive(archive_dir).problem
    (archive_dir / saved.manifest_name).unlink()
    assert "缺失" in verify_archive(archive_dir).problem


def test_a_forged_anchor_is_found(history: World, archive_dir: Path) -> None:
    archive_events()
    saved = AuditArchive.objects.get()
    # Pretending that more rows were archived (to hide deleted ones) breaks the
    # link between the anchor and the archiving event in the live chain.
    AuditArchive.objects.filter(pk=saved.pk).update(
        last_seq=saved.last_seq + 1, count=saved.count + 1
    )
    report = verify_chain()
    assert not report.ok


def test_archiving_a_broken_chain_is_refused(history: World, archive_dir: Path) -> None:
    target = AuditEvent.objects.order_by("seq")[2]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET summary = %s WHERE id = %s",
            ["篡改", target.pk],
        )
    with pytest.raises(ServiceError, match="校验未通过"):
        archive_events()
    assert not AuditArchive.objects.exists()


def test_the_task_archives_and_reports_the_range(
    history: World, archive_dir: Path
) -> None:
    old = _older_than(365)
    result = archive_audit_events.enqueue()
    assert result.is_finished
    value = result.return_value
    assert value is not None
    assert value["archived"] == old
    assert value["first_seq"] == 1 and value["last_seq"] == old
    assert (archive_dir / str(value["file"])).exists()
