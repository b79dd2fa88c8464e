from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

from gongkai.catalogue import outbox
from gongkai.catalogue.channels import led, noticeboard
from gongkai.catalogue.models import Channel, Delivery, DeliveryStatus, Item
from gongkai.catalogue.services import editing, publishing
from tests.catalogue.conftest import School, draft, xlsx_with
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World

A4_POINTS = (595.28, 841.89)


def publish(school: School, title: str, **extra: object) -> Item:
    item = draft(school, title=title, **extra)
    publish_quickly(school, item)
    item.refresh_from_db()
    return item


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as fh:
        data: bytes = fh.read()
    return data


def pdf_text_and_fonts(data: bytes) -> tuple[str, set[str]]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    fonts: set[str] = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return text, fonts


def test_a_notice_board_gets_an_a4_pdf_in_chinese_with_the_catalogue_metadata(
    world: World, school: School
) -> None:
    Channel.objects.create(unit=world.school_a, kind="notice_board", name="校门公告栏")
    item = draft(
        school,
        summary="公示一年级新生名单，公示期5个工作日。",
        document_number="一小〔2025〕3号",
        body="<p>经审核，下列学生符合入学条件。</p><script>x()</script>",
    )
    editing.add_attachment(
        actor=school.author,
        item=item,
        name="新生名单.xlsx",
        data=xlsx_with(("姓名", "班级"), ("张三", "一（1）班")),
    )
    publish_quickly(school, item)
    item.refresh_from_db()

    assert outbox.run_outbox().delivered == 1

    delivery = Delivery.objects.get()
    today = timezone.localdate()
    serial = item.index_number.rsplit("/", 1)[1]  # type: ignore[union-attr]
    name = noticeboard.file_name(delivery)
    assert name == (
        f"exports/noticeboard/100000001/{today:%Y-%m-%d}-100000001-{serial}.pdf"
    )
    data = read(name)
    reader = PdfReader(io.BytesIO(data))
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width, 1), round(height, 1)) == (
        round(A4_POINTS[0], 1),
        round(A4_POINTS[1], 1),
    )
    text, fonts = pdf_text_and_fonts(data)
    flat = "".join(text.split())
    for expected in (
        "2025年秋季学期一年级新生名单公示",
        "发布机构",
        "测试第一小学",
        "索引号",
        str(item.index_number),
        "一小〔2025〕3号",
        f"{today.year}年{today.month}月{today.day}日",
        "经审核，下列学生符合入学条件。",
        "新生名单.xlsx",
        f"请以政府信息公开平台发布为准：https://gk.example.gov.cn/items/{item.pk}/",
    ):
        assert expected in flat, expected
    assert "x()" not in flat
    assert any("CJK" in f for f in fonts), fonts


def test_a_repeated_notice_board_delivery_replaces_its_own_file(
    world: World, school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    Channel.objects.create(unit=world.school_a, kind="notice_board", name="公告栏")
    publish(school, "关于秋季开学安排的通知")
    real = outbox.SENDERS["notice_board"]

    def render_then_die(delivery: Delivery) -> None:
        real(delivery)
        raise SystemExit("worker killed after writing the PDF")

    monkeypatch.setitem(outbox.SENDERS, "notice_board", render_then_die)
    with pytest.raises(SystemExit):
        outbox.run_outbox()
    monkeypatch.setitem(outbox.SENDERS, "notice_board", real)
    assert outbox.run_outbox().delivered == 1

    _dirs, files = default_storage.listdir("exports/noticeboard/100000001")
    assert files == [noticeboard.file_name(Delivery.objects.get()).rsplit("/", 1)[1]]


@pytest.mark.parametrize(
    ("title", "max_chars", "line"),
    [
        ("开学通知", 60, "开学通知 2025-09-01"),
        (
            "关于2025年秋季学期\n一年级新生\t名单的公示",
            60,
            "关于2025年秋季学期 一年级新生 名单的公示 2025-09-01",
        ),
        ("关于2025年秋季学期一年级新生名单的公示", 20, "关于2025年秋… 2025-09-01"),
        ("一二三四五六", 17, "一二三四五六 2025-09-01"),
        ("一二三四五六七", 17, "一二三四五… 2025-09-01"),
    ],
)
def test_an_led_line_is_title_and_date_cut_to_the_screen_width(
    title: str, max_chars: int, line: str
) -> None:
    result = led.led_line(title, date(2025, 9, 1), max_chars)
    assert result == line and len(result) <= max_chars


def test_led_files_are_gb18030_with_crlf_and_latest_lists_the_newest_first(
    world: World, school: School
) -> None:
    Channel.objects.create(
        unit=world.school_a,
        kind="led",
        name="校门 LED 屏",
        config={"encoding": "gb18030", "max_chars": 24, "latest": 3},
    )
    titles = [f"第{n}条：关于2025年秋季学期开学工作安排的通知" for n in range(1, 5)]
    items = [publish(school, t) for t in titles]
    assert outbox.run_outbox().delivered == 4

    today = f"{timezone.localdate():%Y-%m-%d}"
    latest = read("exports/led/100000001/latest.txt")
    with pytest.raises(UnicodeDecodeError):
        latest.decode("utf-8")
    lines = latest.decode("gb18030").split("\r\n")
    assert lines[-1] == "" and len(lines) == 4
    assert [line[:3] for line in lines[:3]] == ["第4条", "第3条", "第2条"]
    assert all(len(line) <= 24 and line.endswith(today) for line in lines[:3])

    one = Delivery.objects.get(item=items[0])
    assert read(led.file_name(one)).decode("gb18030") == (
        led.led_line(titles[0], timezone.localdate(), 24) + "\r\n"
    )


def test_latest_led_text_shows_an_items_newest_revision_once_and_drops_withdrawn_items(
    world: World, school: School
) -> None:
    Channel.objects.create(unit=world.school_a, kind="led", name="LED")
    first = publish(school, "开学通知")
    second = publish(school, "放假通知")
    assert outbox.run_outbox().delivered == 2

    editing.update_draft(actor=school.author, item=first, title="开学通知（更正）")
    publish_quickly(school, first)
    assert outbox.run_outbox().delivered == 1
    lines = read("exports/led/100000001/latest.txt").decode("utf-8").split("\n")
    assert [line.split(" ")[0] for line in lines if line] == [
        "放假通知",
        "开学通知（更正）",
    ]

    publishing.withdraw(actor=school.signer, item=second, reason="信息有误")
    third = publish(school, "运动会通知")
    assert outbox.run_outbox().delivered == 1
    lines = read("exports/led/100000001/latest.txt").decode("utf-8").split("\n")
    assert [line.split(" ")[0] for line in lines if line] == [
        "运动会通知",
        "开学通知（更正）",
    ]
    assert Delivery.objects.filter(item=third, status=DeliveryStatus.DELIVERED).exists()


def test_an_invalid_led_width_is_reported(world: World, school: School) -> None:
    Channel.objects.create(
        unit=world.school_a, kind="led", name="LED", config={"max_chars": "宽"}
    )
    publish(school, "开学通知")
    assert outbox.run_outbox().retried == 1
    assert "max_chars" in Delivery.objects.get().last_error
