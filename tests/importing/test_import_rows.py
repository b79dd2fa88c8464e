from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from gongkai.accounts.models import Unit
from gongkai.audit.models import AuditEvent
from gongkai.catalogue.importing.service import import_rows
from gongkai.catalogue.importing.sources import read_rows
from gongkai.catalogue.management.commands import items as items_command
from gongkai.catalogue.models import Column, IndexSequence, Item, Status
from gongkai.catalogue.services.columns import create_column
from gongkai.search.models import SearchDocument
from tests.conftest import World
from tests.importing.conftest import run
from tests.importing.rows import legacy_rows, write_csv, write_jsonl

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def columns(world: World) -> list[Column]:
    return [
        create_column(actor=None, unit=world.bureau, name=name, slug=slug)
        for name, slug in [
            ("通知公告", "tzgg"),
            ("政策文件", "zcwj"),
            ("工作动态", "gzdt"),
            ("人事信息", "rsxx"),
        ]
    ]


def test_rows_are_imported_straight_into_the_published_state(
    columns: list[Column], tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "items.jsonl", legacy_rows(6))
    out = run("import", str(path))
    assert "导入 6 条，拒绝 0 条" in out and "写入检索索引 6 条" in out
    assert SearchDocument.objects.count() == 6
    items = list(Item.objects.order_by("published_at"))
    assert len(items) == 6
    for item in items:
        rev = item.published_revision
        assert rev is not None and item.draft_revision_id == rev.pk
        assert item.is_public and item.imported and item.status == Status.PUBLISHED
        assert item.unit.name == "测试区教育局"
    first = items[0]
    assert first.external_id == "/zwgk/tzgg/201901/t20190102_1.htm"
    assert first.published_at == datetime(2019, 1, 2, 9, 1, tzinfo=SHANGHAI)
    rev = first.published_revision
    assert rev is not None
    assert rev.title == "关于做好2019年第1批次教育督导工作的通知"
    assert rev.column.name == "政策文件"
    assert rev.written_on == date(2018, 12, 31) == rev.formed_on
    assert rev.body.startswith("<p>各学校：</p><p>为进一步做好第1批次督导工作")
    third = Item.objects.get(external_id__endswith="_3.htm").published_revision
    assert third is not None and third.document_number == "测教〔2019〕4号"


def test_a_large_import_ends_with_the_search_index_merged(
    columns: list[Column], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = run("import", str(write_jsonl(tmp_path / "a.jsonl", legacy_rows(3))))
    assert "检索索引" not in small.split("写入检索索引")[-1]
    monkeypatch.setattr(items_command, "BULK_ITEMS", 3)  # 1,000 in use
    path = write_jsonl(tmp_path / "b.jsonl", legacy_rows(3, start=10))
    out = run("import", str(path))
    assert "导入 3 条" in out
    merged = "已合并检索索引段：" if connection.vendor == "sqlite" else "已整理检索索引"
    assert merged in out.splitlines()[-1]
    assert SearchDocument.objects.count() == 6


def test_index_numbers_come_from_the_unit_sequence_of_the_publication_year(
    world: World, columns: list[Column], tmp_path: Path
) -> None:
    IndexSequence.objects.create(unit=world.bureau, year=2019, last=41)
    run("import", str(write_jsonl(tmp_path / "a.jsonl", legacy_rows(3))))
    numbers = list(
        Item.objects.order_by("published_at").values_list("index_number", flat=True)
    )
    assert numbers == [
        "000014349/2019-00042",
        "000014349/2019-00043",
        "000014349/2019-00044",
    ]
    assert IndexSequence.objects.get(unit=world.bureau, year=2019).last == 44


def test_one_audit_event_records_the_whole_batch(
    columns: list[Column], tmp_path: Path
) -> None:
    before = AuditEvent.objects.count()
    run("import", str(write_jsonl(tmp_path / "batch.jsonl", legacy_rows(25))))
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("seq")
    assert event.action == "catalogue.items_imported"
    assert event.data["source"] == "batch.jsonl"
    assert event.data["imported"] == 25 and event.data["rejected"] == 0
    ids = sorted(Item.objects.values_list("pk", flat=True))
    assert event.data["item_ids"] == [[ids[0], ids[-1]]]
    assert event.data["batch"] in event.summary


def test_every_rejected_row_is_reported_with_its_line_and_reason_and_nothing_of_it_is_saved(
    columns: list[Column], tmp_path: Path
) -> None:
    rows = legacy_rows(8)
    rows[1]["title"] = ""
    rows[2]["published_on"] = "2019年13月1日"
    rows[3]["column"] = "不存在的栏目"
    rows[4]["doc_number"] = "测教2019第4号"
    rows[5]["id"] = rows[0]["id"]
    rows[6]["written_on"] = "2030-01-01"
    path = write_jsonl(tmp_path / "bad.jsonl", rows)
    (tmp_path / "bad.jsonl").write_text(
        path.read_text() + "{not json\n", encoding="utf-8"
    )
    report_path = tmp_path / "report.json"
    out = run("import", str(path), "--report", str(report_path))
    assert Item.objects.count() == 2
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["imported"] == 2
    reasons = {r["line"]: (r["field"], r["reason"]) for r in report["rejected"]}
    assert reasons[2] == ("title", "title（标题）：请填写标题")
    assert reasons[3][0] == "published_on" and "2019年13月1日" in reasons[3][1]
    assert reasons[4][0] == "column" and "--create-columns" in reasons[4][1]
    assert reasons[5][0] == "doc_number" and "格式不正确" in reasons[5][1]
    assert reasons[6][0] == "id" and "与第 1 行重复" in reasons[6][1]
    assert reasons[7] == ("written_on", "written_on（成文日期）：不能晚于今天")
    assert "不是有效的 JSON" in reasons[9][1]
    assert "被拒绝的行：" in out and "第 6 行" in out
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 9]


def test_a_row_imported_before_is_rejected_when_the_file_comes_again(
    columns: list[Column], tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "items.jsonl", legacy_rows(3))
    run("import", str(path))
    out = run("import", str(path))
    assert Item.objects.count() == 3
    assert "导入 0 条，拒绝 3 条" in out
    assert "已导入过（信息编号" in out


def test_a_csv_in_gbk_is_refused_as_a_whole_naming_the_line_and_field(
    columns: list[Column], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "old.csv", legacy_rows(3), encoding="gbk")
    data = path.read_bytes()
    # An ASCII header survives any encoding; the first Chinese value is in the agency.
    with pytest.raises(CommandError) as failure:
        run("import", str(path))
    message = str(failure.value)
    assert "第 2 行“agency（发布机构）”字段" in message
    assert "GBK/GB18030" in message and "未导入任何信息" in message
    assert Item.objects.count() == 0
    assert data.decode("gbk")  # the file itself is valid GBK


def test_a_jsonl_file_in_gbk_is_refused_naming_the_key(
    columns: list[Column], tmp_path: Path
) -> None:
    path = tmp_path / "old.jsonl"
    path.write_bytes(
        json.dumps({"id": "1", "title": "关于放假的通知"}, ensure_ascii=False).encode(
            "gbk"
        )
    )
    with pytest.raises(CommandError, match="第 1 行“title（标题）”字段"):
        run("import", str(path))


def test_the_encoding_of_a_legacy_csv_can_be_given(
    columns: list[Column], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "old.csv", legacy_rows(2), encoding="gb18030")
    assert "导入 2 条" in run("import", str(path), "--encoding", "gb18030")


def test_a_utf8_csv_with_chinese_headers_and_a_bom_is_read(
    columns: list[Column], tmp_path: Path
) -> None:
    path = tmp_path / "目录.csv"
    path.write_text(
        "\ufeff原系统编号,发布机构,栏目,标题,文号,成文日期,发布日期,正文\n"
        "A-1,测试区教育局,通知公告,关于放假的通知,测教［2024］7号,2024年1月2日,二〇二四年一月三日,放假三天\n",
        encoding="utf-8",
    )
    assert read_rows(path)[0].data["title"] == "关于放假的通知"
    run("import", str(path))
    item = Item.objects.get(external_id="A-1")
    rev = item.published_revision
    assert rev is not None
    assert rev.document_number == "测教〔2024〕7号"
    assert rev.written_on == date(2024, 1, 2)
    assert item.published_at == datetime(2024, 1, 3, tzinfo=SHANGHAI)
    assert rev.body == "<p>放假三天</p>"


def test_missing_units_and_columns_are_created_only_when_asked(
    world: World, tmp_path: Path
) -> None:
    rows = legacy_rows(2, agency="测试区体育局")
    path = write_jsonl(tmp_path / "sport.jsonl", rows)
    out = run("import", str(path))
    assert "单位“测试区体育局”不存在（可用 --create-units 新建）" in out
    out = run("import", str(path), "--create-units")
    assert "没有栏目" in out and Item.objects.count() == 0
    assert not Unit.objects.filter(name="测试区体育局").exists()
    out = run("import", str(path), "--create-units", "--create-columns")
    assert "导入 2 条" in out and "新建单位：测试区体育局" in out
    unit = Unit.objects.get(name="测试区体育局")
    assert set(Column.objects.filter(unit=unit).values_list("name", flat=True)) == {
        "工作动态",
        "政策文件",
    }


def test_an_agency_can_be_named_by_its_short_name(
    world: World, columns: list[Column], tmp_path: Path
) -> None:
    run(
        "import",
        str(write_jsonl(tmp_path / "a.jsonl", legacy_rows(1, agency="教育局"))),
    )
    assert Item.objects.get().unit == world.bureau


def test_the_old_address_redirects_to_the_new_item_page(
    columns: list[Column], tmp_path: Path, client: Client
) -> None:
    run("import", str(write_jsonl(tmp_path / "a.jsonl", legacy_rows(1))))
    item = Item.objects.get()
    response = client.get("/legacy/zwgk/tzgg/201901/t20190102_1.htm")
    assert response.status_code == 301
    assert response["Location"] == f"/items/{item.pk}/"
    assert client.get("/legacy/zwgk/tzgg/nothing.htm").status_code == 404


def test_an_import_by_a_user_needs_the_disclosure_officer_role(world: World) -> None:
    from gongkai.accounts.errors import ServiceError

    with pytest.raises(ServiceError):
        import_rows(actor=world.author, rows=[], source="x", format="jsonl")
