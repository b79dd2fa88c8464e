from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from gongkai.audit.models import AuditChainHead, AuditEvent
from gongkai.audit.services import record_event
from gongkai.audit.verify import verify_chain
from tests.conftest import World


def test_an_untouched_chain_verifies(world: World) -> None:
    report = verify_chain()
    assert report.ok
    assert report.checked == AuditEvent.objects.count() > 0


def test_the_command_confirms_an_intact_chain_with_exit_code_zero(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("audit", "verify")
    assert "哈希链校验通过" in capsys.readouterr().out


def test_a_row_changed_directly_in_the_database_is_found(world: World) -> None:
    target = AuditEvent.objects.order_by("seq")[3]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET summary = %s WHERE id = %s",
            ["篡改后的说明", target.pk],
        )
    report = verify_chain()
    assert not report.ok
    assert report.first_bad_seq == target.seq
    assert "内容被改动" in report.problem
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert exc.value.returncode == 1
    assert f"第 {target.seq} 号" in str(exc.value)


def test_a_row_deleted_from_the_middle_is_found(world: World) -> None:
    target = AuditEvent.objects.order_by("seq")[2]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [target.pk])
    report = verify_chain()
    assert not report.ok
    assert report.first_bad_seq == target.seq
    assert "缺失" in report.problem


def test_rows_deleted_from_the_end_are_found(world: World) -> None:
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    report = verify_chain()
    assert not report.ok
    assert "链尾不符" in report.problem


def test_a_row_inserted_with_a_forged_hash_is_found(world: World) -> None:
    second = AuditEvent.objects.order_by("seq")[1]
    head = AuditChainHead.objects.get(pk=1)
    with connection.cursor() as cursor:
        # Shift every later row up by one and slip a forged row into the gap.
        cursor.execute(
            "UPDATE audit_auditevent SET seq = seq + 1000000 WHERE seq > %s",
            [second.seq],
        )
        cursor.execute(
            "UPDATE audit_auditevent SET seq = seq - 1000000 + 1 WHERE seq > 1000000"
        )
    forged = AuditEvent(
        seq=second.seq + 1,
        occurred_at=second.occurred_at,
        actor_label="伪造",
        action="accounts.role_granted",
        summary="伪造的记录",
        prev_hash=second.hash,
        hash="f" * 64,
    )
    forged.save()
    AuditChainHead.objects.filter(pk=1).update(seq=head.seq + 1)
    report = verify_chain()
    assert not report.ok
    assert report.first_bad_seq == second.seq + 1


def test_audit_rows_refuse_to_be_changed_or_deleted_through_the_orm(
    world: World,
) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    event.summary = "x"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_an_event_rolled_back_with_its_change_leaves_the_chain_intact(
    world: World,
) -> None:
    count = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(actor=world.author, action="test.rolled_back", summary="回滚")
        raise RuntimeError
    assert AuditEvent.objects.count() == count
    assert verify_chain().ok
    record_event(actor=world.author, action="test.after", summary="之后")
    assert verify_chain().ok


def test_non_ascii_data_and_dates_hash_the_same_after_a_round_trip(
    world: World,
) -> None:
    import datetime

    record_event(
        actor=None,
        action="test.data",
        summary="数据",
        data={
            "日期": datetime.date(2026, 2, 14),
            "列表": (1, 2),
            "嵌套": {"b": 1, "a": "甲"},
        },
    )
    assert verify_chain().ok
