"""The index follows publication, republication, withdrawal and repeal in the
same transaction, and ``gongkai search rebuild`` reproduces it."""

from __future__ import annotations

import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from gongkai.catalogue.importing.service import import_rows
from gongkai.catalogue.importing.sources import SourceRow
from gongkai.catalogue.models import Item
from gongkai.catalogue.services import editing, publishing
from gongkai.search import services
from gongkai.search.backends import current_backend
from gongkai.search.backends.base import Where
from gongkai.search.backends.postgres import PostgresBackend
from gongkai.search.models import SearchDocument
from gongkai.search.services import (
    RebuildReport,
    index_items,
    index_status,
    rebuild_index,
)
from tests.catalogue.conftest import School, draft
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World
from tests.importing.rows import legacy_rows
from tests.search.conftest import found, publish, results


class Rollback(Exception):
    pass


def test_a_draft_is_not_searchable_until_published(school: School) -> None:
    item = draft(school, "尚未发布的招生方案")
    assert found("招生方案") == []
    publish_quickly(school, item)
    assert found("招生方案") == [item.pk]


def test_withdrawal_removes_the_item_in_the_same_transaction(school: School) -> None:
    item = publish(school, "招生方案")
    with pytest.raises(Rollback), transaction.atomic():
        publishing.withdraw(actor=school.signer, item=item, reason="内容有误")
        assert found("招生方案") == []  # no commit hook needed
        raise Rollback
    assert found("招生方案") == [item.pk]  # rolled back together with the item
    publishing.withdraw(actor=school.signer, item=item, reason="内容有误")
    assert found("招生方案") == [] and not SearchDocument.objects.exists()


def test_republication_replaces_the_indexed_text(school: School) -> None:
    item = publish(school, "招生方案", "<p>旧的报名时间</p>")
    editing.update_draft(
        actor=school.author,
        item=item,
        title="招生方案（修订）",
        body="<p>新的报名地点</p>",
    )
    assert found("报名时间") == [item.pk]  # the published revision still stands
    assert found("报名地点") == []
    publish_quickly(school, item)
    assert found("报名地点") == [item.pk] and found("报名时间") == []
    assert results("修订").hits[0].document.title == "招生方案（修订）"
    assert SearchDocument.objects.count() == 1


def test_repeal_changes_the_validity_filter_in_the_same_transaction(
    school: School,
) -> None:
    item = publish(school, "学籍管理办法")
    today = timezone.localdate()
    with pytest.raises(Rollback), transaction.atomic():
        publishing.change_validity(
            actor=school.signer, item=item, validity="repealed", on=today
        )
        assert found("学籍", validity="repealed") == [item.pk]
        raise Rollback
    assert found("学籍", validity="repealed") == []
    publishing.change_validity(
        actor=school.signer, item=item, validity="repealed", on=today
    )
    assert found("学籍", validity="repealed") == [item.pk]
    assert found("学籍", validity="in_force") == []
    assert found("学籍") == [item.pk]  # repealed items stay findable


def test_a_withdrawn_item_published_again_is_found_again(school: School) -> None:
    item = publish(school, "招生方案")
    publishing.withdraw(actor=school.signer, item=item, reason="调整")
    assert found("招生方案") == []
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        publishing.publish_locked(actor=None, item=locked)
    assert found("招生方案") == [item.pk]


def _snapshot() -> list[tuple[object, ...]]:
    return list(
        SearchDocument.objects.order_by("item_id").values_list(
            "item_id",
            "unit_id",
            "column_id",
            "kind_id",
            "year",
            "validity",
            "published_at",
            "title",
            "document_number",
            "index_number",
            "text",
            "folded",
        )
    )


QUERIES = ["招生", "方案", "报名时间", "生方", "招", "岚教〔2025〕3号", "不存在的词"]


def test_rebuild_reproduces_the_index(school: School) -> None:
    items = [
        publish(
            school, "招生方案", "<p>报名时间</p>", document_number="岚教〔2025〕3号"
        ),
        publish(school, "学籍管理", "<p>方案附后</p>"),
        publish(school, "撤回的招生方案"),
    ]
    publishing.withdraw(actor=school.signer, item=items[2], reason="重复")
    before = _snapshot()
    answers = {q: found(q) for q in QUERIES}
    report = rebuild_index(batch_size=2)
    assert (report.indexed, report.removed) == (2, 0)
    assert _snapshot() == before
    assert {q: found(q) for q in QUERIES} == answers
    # An index emptied behind the services' back is restored the same way.
    SearchDocument.objects.all().delete()
    assert found("招生") == []
    rebuild_index()
    assert _snapshot() == before and {q: found(q) for q in QUERIES} == answers


def test_rebuild_drops_documents_of_items_that_are_no_longer_public(
    school: School,
) -> None:
    item = publish(school, "招生方案")
    Item.objects.filter(pk=item.pk).update(is_public=False)  # behind the services
    assert found("招生") == []  # the search never shows a non-public item
    assert rebuild_index() == RebuildReport(indexed=0, removed=1)
    assert not SearchDocument.objects.exists()


def test_the_search_command_rebuilds_and_reports(school: School) -> None:
    publish(school, "招生方案")
    out = StringIO()
    call_command("search", "rebuild", stdout=out)
    assert "已重建检索索引：1 条" in out.getvalue()
    out = StringIO()
    call_command("search", "status", stdout=out)
    assert "检索文档 1 条，公开信息 1 条" in out.getvalue()
    assert found("招生") != []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 rows are SQLite's")
def test_rewritten_documents_leave_stale_fts_rows_that_rebuild_clears(
    school: School,
) -> None:
    item = publish(school, "招生方案")
    publishing.change_validity(
        actor=school.signer, item=item, validity="expired", on=timezone.localdate()
    )
    assert index_status().stale_rows == 1
    rebuild_index()
    assert index_status().stale_rows == 0 and found("招生") == [item.pk]


def _documents() -> list[tuple[object, ...]]:
    return list(
        SearchDocument.objects.order_by("item_id").values_list(
            "item_id", "title", "meta_folded", "folded", "year", "validity"
        )
    )


def test_indexing_in_small_batches_inside_a_transaction_gives_the_same_index(
    world: World,
) -> None:
    """Batches of 7 inside one transaction give the same documents and the same
    answer to every search as the import's own indexing."""
    path_rows = legacy_rows(45)
    report = import_rows(
        actor=None,
        rows=[
            SourceRow(line=n, label=f"第{n}行", data=row)
            for n, row in enumerate(path_rows, start=1)
        ],
        source="rows.jsonl",
        format="jsonl",
        default_unit=world.bureau,
        create_columns=True,
    )
    ids = report.item_ids
    queries = ["督导", "第1", "2019年", "测教", "知", "批次教育督导工作的通知"]
    serial_documents = _documents()
    serial_hits = [found(q) for q in queries]
    assert len(serial_documents) == 45 and all(serial_hits)
    with transaction.atomic():
        assert index_items(ids, batch_size=7) == 45
        assert _documents() == serial_documents
        assert [found(q) for q in queries] == serial_hits
    assert index_status().stale_rows >= 0


def test_a_batch_the_database_refuses_fails_the_whole_indexing(
    world: World, school: School
) -> None:
    items = [publish(school, f"招生方案{n}") for n in range(5)]
    SearchDocument.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:  # the second batch cannot be written
            cursor.execute(
                "CREATE UNIQUE INDEX search_test_one_year ON search_searchdocument"
                " (unit_id, year, validity)"
            )
        index_items([item.pk for item in items], batch_size=2)
    assert not SearchDocument.objects.exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 rows are SQLite's")
def test_the_title_table_migration_fills_it_from_the_stored_titles(
    school: School,
) -> None:
    from django.apps import apps

    title_match = publish(school, "招生方案公告", body="<p>其他内容</p>")
    body_match = publish(school, "学校公告", body="<p>今年的招生方案如下</p>")
    backend = current_backend()

    def title_walk() -> list[int]:
        newest = backend.newest(["招生方案"], Where(), 5, title=True)
        return [SearchDocument.objects.get(pk=r.pk).item_id for r in newest]

    assert title_walk() == [title_match.pk]
    # A page of one result: the title match, found by the title walk, first.
    assert found("招生方案", page_size=1) == [title_match.pk]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_fts_titles (search_fts_titles) VALUES ('delete-all')"
        )
    assert title_walk() == []
    migration = importlib.import_module(
        "gongkai.search.migrations.0008_sqlite_title_table"
    )
    # The migration's SQL run inside the test's transaction (the schema editor
    # refuses to open in one on SQLite).
    editor = SimpleNamespace(connection=connection, execute=_execute)
    migration.forward(apps, editor)
    assert title_walk() == [title_match.pk]
    assert found("招生方案", page_size=1) == [title_match.pk]
    assert sorted(found("公告")) == sorted([body_match.pk, title_match.pk])


def _execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _gin_pending_tuples() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
        cursor.execute(
            "SELECT (pgstatginindex(i)).pending_tuples FROM unnest(%s::regclass[]) i",
            [list(PostgresBackend.GIN_INDEXES)],
        )
        return [row[0] for row in cursor.fetchall()]


def _settings(*names: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names
        )
        return list(cursor.fetchone())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN")
def test_bulk_indexing_merges_the_gin_pending_lists_and_restores_the_settings(
    school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [publish(school, f"招生方案{n}", body="义务教育阶段") for n in range(6)]
    before = _settings("gin_pending_list_limit", "work_mem")
    assert all(_gin_pending_tuples())  # each publication went to the pending lists
    monkeypatch.setattr(services, "BULK_ITEMS", 5)
    assert index_items([item.pk for item in items], batch_size=2) == 6
    assert _gin_pending_tuples() == [0, 0]
    assert _settings("gin_pending_list_limit", "work_mem") == before
    assert len(found("教育阶")) == 6 and len(found("方案")) == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN")
@pytest.mark.django_db
def test_bulk_settings_hold_while_writing_and_a_failed_write_undoes_them() -> None:
    backend = PostgresBackend()
    names = list(backend.BULK_SETTINGS)
    before = _settings(*names)
    with backend.bulk_writes():
        assert _settings(*names) == list(backend.BULK_SETTINGS.values())
    assert _settings(*names) == before
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        backend.bulk_writes(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT 1 / 0")
    assert _settings(*names) == before


def _answers() -> dict[str, list[int]]:
    """What each query finds (as sets: re-indexing an item published in the
    same second as others changes its place among them)."""
    return {
        q: sorted(found(q)) for q in ("招生", "方案", "招生方案", "义务教育阶段", "招")
    }


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 segments")
def test_optimising_merges_the_segments_of_many_small_writes_in_bounded_steps(
    school: School,
) -> None:
    # Some thousands of distinct pairs, so that the merged index spans pages.
    text = "义务教育阶段" + "".join(chr(0x4E00 + n * 7) for n in range(3000))
    items = [publish(school, f"招生方案{n}", body=text) for n in range(3)]
    for _ in range(3):  # each batch is a savepoint: FTS5 writes a segment per batch
        index_items([item.pk for item in items], batch_size=1)
    answers = _answers()
    assert index_status().segments == 12  # below automerge's 16
    report = services.optimise_index(pages=1)
    assert (report.segments_before, report.segments_after) == (12, 1)
    assert report.steps > 2  # a page a step: the merge took several transactions
    assert index_status().segments == 1 and _answers() == answers
    assert services.optimise_index().steps == 1  # nothing left to merge


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 segments")
def test_segments_written_while_merging_are_merged_by_another_round(
    school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [publish(school, f"招生方案{n}", body="义务教育阶段") for n in range(4)]
    backend = current_backend()
    merge = backend.merge
    calls = []

    def merge_and_publish(pages: int, *, first: bool) -> bool:
        calls.append(first)
        worked = merge(pages, first=first)
        if len(calls) == 2:  # a publication between two steps of the first round
            index_items([items[0].pk])
        return worked

    monkeypatch.setattr(backend, "merge", merge_and_publish)
    monkeypatch.setattr(services, "current_backend", lambda: backend)
    answers = _answers()
    report = services.optimise_index(pages=1)
    assert report.segments_after == 1 and calls.count(True) >= 2
    assert _answers() == answers


def test_the_search_command_optimizes_and_the_status_counts_segments(
    school: School,
) -> None:
    publish(school, "招生方案")
    publish(school, "学籍管理")
    out = StringIO()
    call_command("search", "optimize", stdout=out)
    if connection.vendor == "sqlite":
        assert "已合并检索索引段：" in out.getvalue()
        assert "索引段 1 个。" in out.getvalue()
    else:  # PostgreSQL merges its GIN pending lists and reports no segments
        assert "已整理检索索引" in out.getvalue()
        assert "索引段" not in out.getvalue().split("\n", 1)[1]
    assert "检索文档 2 条，公开信息 2 条" in out.getvalue()
    assert found("招生") != [] and found("学籍") != []
