"""``gongkai applications import``: historical registers in CSV, XLSX or JSONL,
all or nothing, every refused row reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.applications.importing import RegisterRejected, import_register
from gongkai.applications.models import Appeal, Application
from gongkai.audit.models import AuditEvent
from gongkai.reports.compute import build_report
from tests.conftest import World

HEADER = "unit,applicant_kind,channel,received_on,outcome,decided_on,reference,appeal_of,kind,filed_on,result,concluded_on\n"


def write_csv(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "register.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_csv_register_with_labels_and_an_appeal_row_fills_the_report(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(
        tmp_path,
        "000014349,自然人,当面,2020-03-02,予以公开,2020-03-20,H1,,,,,",
        "000014349,commercial_enterprise,电子邮件,2020/12/28,,,H2,,,,,",
        "测试第一小学,法律服务机构,online,2020年5月6日,（三）不予公开 4.保护第三方合法权益,2020-05-20,H3,,,,,",
        ",,,,,,,H3,行政复议,2020-06-01,结果纠正,2020-08-01",
    )
    call_command("applications", "import", str(path))
    assert "已导入 3 件申请、1 件复议或诉讼" in capsys.readouterr().out
    report = build_report(unit=world.bureau, year=2020, consolidated=True)
    rows = report["section3"]["rows"]
    assert rows["new_received"] == [1, 1, 0, 0, 1, 0, 3]
    assert rows["withheld_third_party_rights"][4] == 1
    assert rows["carried_forward"][-1] == 1
    assert report["section4"]["administrative_review"]["corrected"] == 1
    assert (
        AuditEvent.objects.filter(action="applications.register_imported").count() == 1
    )


def test_bad_rows_are_all_reported_and_nothing_is_imported(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(
        tmp_path,
        "000014349,自然人,当面,2020-03-02,予以公开,2020-03-20,H1,,,,,",
        "000014349,自然人,当面,2020-03-02,批准,2020-03-20,,,,,,",
        "000014349,自然人,当面,2020-03-10,予以公开,2020-03-02,,,,,,",
        ",,,,,,,NOPE,行政复议,2020-06-01,,",
        "999,外星人,飞鸽,2020-13-01,,,,,,,,",
    )
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("applications", "import", str(path))
    err = capsys.readouterr().err
    assert "第3行：未知的办理结果“批准”" in err
    assert "第4行：答复日期 2020-03-02 早于收到日期 2020-03-10" in err
    assert "第5行：复议或诉讼所涉申请“NOPE”在本文件和系统中均不存在" in err
    assert "第6行：" in err
    assert not Application.objects.exists() and not Appeal.objects.exists()


def test_jsonl_and_xlsx_registers_are_read_too(world: World, tmp_path: Path) -> None:
    import openpyxl

    jsonl = tmp_path / "r.jsonl"
    record = {
        "unit": "000014349",
        "applicant_kind": "natural_person",
        "channel": "in_person",
        "received_on": "2021-04-01",
        "outcome": "unable_not_held",
        "decided_on": "2021-04-15",
        "reference": "J1",
        "appeals": [
            {
                "kind": "litigation_direct",
                "filed_on": "2021-05-01",
                "outcome": "pending",
            }
        ],
    }
    jsonl.write_text(json.dumps(record, ensure_ascii=False) + "\n\n", encoding="utf-8")
    assert import_register(actor=None, path=jsonl).appeals == 1
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            "unit",
            "applicant_kind",
            "channel",
            "received_on",
            "outcome",
            "decided_on",
            "appeal_of",
            "kind",
            "filed_on",
            "result",
            "concluded_on",
        ]
    )
    from datetime import date

    sheet.append(
        ["000014349", "其他", "传真", date(2021, 6, 1), "重复申请", date(2021, 6, 3)]
    )
    sheet.append([None] * 11)
    sheet.append(
        [
            None,
            None,
            None,
            None,
            None,
            None,
            "J1",
            "复议后起诉",
            "2021-07-01",
            "upheld",
            "2021-08-01",
        ]
    )
    xlsx = tmp_path / "r.xlsx"
    book.save(xlsx)
    result = import_register(actor=None, path=xlsx)
    assert (result.applications, result.appeals) == (1, 1)
    rows = build_report(unit=world.bureau, year=2021)["section3"]["rows"]
    assert rows["notproc_repeat"][5] == 1 and rows["unable_not_held"][0] == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("r.txt", "x", "不支持的文件类型"),
        ("r.jsonl", "{bad", "第1行：不是有效的 JSON"),
        ("r.jsonl", "[1]", "应为 JSON 对象"),
        ("r.csv", HEADER, "没有数据行"),
        ("r.xlsx", "not a workbook", "无法读取 XLSX"),
    ],
)
def test_unreadable_registers_are_refused(
    world: World, tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RegisterRejected, match=message):
        import_register(actor=None, path=path)


def test_appeal_problems_are_reported_per_row(world: World, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "000014349,自然人,当面,2020-03-02,予以公开,2020-03-20,H1,,,,,",
        ",,,,,,,H1,行政复议,2020-01-01,,",
        ",,,,,,,H1,行政复议,2020-04-01,upheld,",
        ",,,,,,,H1,行政复议,2020-04-01,pending,2020-05-01",
        ",,,,,,,H1,行政复议,2020-04-01,upheld,2020-03-01",
        "000014349,自然人,当面,2020-03-02,予以公开,,H1,,,,,",
        "000014349,自然人,当面,2020-03-02,,2020-03-05,,,,,,",
    )
    with pytest.raises(RegisterRejected) as info:
        import_register(actor=None, path=path)
    text = "\n".join(info.value.problems)
    for expected in (
        "早于收到申请之日",
        "须填写审结日期",
        "不应有审结日期",
        "审结日期早于提起日期",
        "须填写答复日期",
        "须填写办理结果",
    ):
        assert expected in text
    path = write_csv(
        tmp_path, "000014349,自然人,当面,2020-03-02,予以公开,2020-03-20,H1,,,,,"
    )
    import_register(actor=None, path=path)
    again = write_csv(
        tmp_path,
        "000014349,自然人,当面,2020-03-02,予以公开,2020-03-20,H1,,,,,",
        ",,,,,,,H1,行政复议,2020-04-01,upheld,2020-05-01",
    )
    with pytest.raises(RegisterRejected, match="受理编号“H1”已存在"):
        import_register(actor=None, path=again)
    on_stored = write_csv(tmp_path, ",,,,,,,H1,行政复议,2020-04-01,upheld,2020-05-01")
    assert import_register(actor=None, path=on_stored).appeals == 1
