from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.workdays.selectors import stored_arrangement

pytestmark = pytest.mark.django_db

CSV_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-05,holiday,春节
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-02-20,makeup_workday,春节
"""


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def deadline_json(*args: str) -> dict[str, object]:
    result: dict[str, object] = json.loads(run("deadline", *args, "--json"))
    return result


def test_deadline_for_an_online_application_before_national_day_2025() -> None:
    data = deadline_json(
        "--received", "2025-09-26", "--channel", "online", "--today", "2025-10-10"
    )
    assert data["due_on"] == "2025-10-30"
    assert data["provisional"] is False
    assert data["workdays_used"] == 5
    days = data["days"]
    assert isinstance(days, list)
    assert days[0] == {"date": "2025-09-27", "counted": False, "reason": "周六"}
    assert days[1]["counted"] is True and "调休上班" in days[1]["reason"]
    assert days[9] == {
        "date": "2025-10-06",
        "counted": False,
        "reason": "法定节假日：中秋",
    }
    assert days[-1]["date"] == "2025-10-30" and days[-1]["counted"] is True


def test_deadline_text_explains_every_day() -> None:
    text = run(
        "deadline",
        "--received",
        "2025-09-26",
        "--channel",
        "online",
        "--today",
        "2025-10-10",
    )
    assert "2025年10月30日" in text
    assert "调休上班" in text and "国庆节" in text and "中秋" in text


def test_deadline_crossing_into_2027_is_provisional_until_2027_is_entered(
    tmp_path: Path,
) -> None:
    data = deadline_json(
        "--received", "2026-12-20", "--channel", "in_person", "--today", "2026-12-21"
    )
    assert data["provisional"] is True
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    run("calendar", "import", str(path), "--source", "国办发明电〔2026〕测试号")
    after = deadline_json(
        "--received", "2026-12-20", "--channel", "in_person", "--today", "2026-12-21"
    )
    assert after["provisional"] is False


def test_deadline_after_a_correction_and_a_consultation_with_an_extension() -> None:
    data = deadline_json(
        "--received",
        "2025-03-03",
        "--channel",
        "in_person",
        "--correction-requested",
        "2025-03-05",
        "--correction-received",
        "2025-03-10",
        "--consultation",
        "2025-03-12:2025-03-18",
        "--extension",
        "10",
        "--extension-on",
        "2025-03-20",
        "--today",
        "2025-03-20",
    )
    # 20 + 10 working days after 2025-03-10; 03-13, 03-14, 03-17 and 03-18 are paused,
    # 清明 (04-04) is off and Sunday 04-27 is a make-up working day for 劳动节: the
    # 30th counted day.
    assert data["period_workdays"] == 30
    assert data["due_on"] == "2025-04-27"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--channel", "pigeon"], "未知渠道"),
        (
            [
                "--correction-requested",
                "2025-03-05",
                "--correction-received",
                "2025-03-04",
            ],
            "correction_received_on",
        ),
        (["--consultation", "2025-03-12:2025-03-10"], "consultation_ended_on"),
        (["--extension", "21"], "extension"),
        (["--extension", "-1"], "extension"),
        (["--today", "2025-13-01"], "--today"),
    ],
)
def test_deadline_bad_input_names_the_field(args: list[str], message: str) -> None:
    base = ["--received", "2025-03-03", "--channel", "in_person"]
    if "--channel" in args:
        base = base[:2]
    with pytest.raises(CommandError, match=message):
        run("deadline", *base, *args)


def test_fee_command_prints_the_itemised_total_as_json() -> None:
    data = json.loads(run("fee", "--pages", "250", "--json"))
    assert data["total_yuan"] == 4700
    assert [i["amount_yuan"] for i in data["items"]] == [0, 700, 2000, 2000]
    data = json.loads(run("fee", "--applications-this-month", "31", "--json"))
    assert data["total_yuan"] == 20 * 100 + 200


def test_fee_command_refuses_a_negative_count() -> None:
    with pytest.raises(CommandError):
        run("fee", "--pages", "-3")


def test_calendar_show_marks_an_unentered_year_provisional() -> None:
    assert "暂定推算" in run("calendar", "show", "2027")
    assert "2026-02-14（六）春节" in run("calendar", "show", "2026")


def test_calendar_import_json_then_a_conflicting_file_shows_differences_and_changes_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "2027.json"
    path.write_text(
        json.dumps(
            {
                "year": 2027,
                "source": "国办发明电〔2026〕测试号",
                "holidays": {"2027-01-01": "元旦"},
                "makeup_workdays": {},
            }
        ),
        encoding="utf-8",
    )
    assert "已录入2027年" in run("calendar", "import", str(path))
    path.write_text(
        json.dumps(
            {
                "year": 2027,
                "source": "国办发明电〔2026〕测试号",
                "holidays": {"2027-01-01": "元旦", "2027-01-04": "元旦"},
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="2027-01-04：（无） → 放假（元旦）"):
        run("calendar", "import", str(path))
    stored = stored_arrangement(2027)
    assert stored is not None and len(stored.holidays) == 1
    assert "已修改2027年" in run("calendar", "import", str(path), "--confirm")


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ("date,kind,name\n2027-02-30,holiday,春节\n", ".csv", "第2行 date 列"),
        ("date,kind,name\n2027-02-20,vacation,春节\n", ".csv", "第2行 kind 列"),
        ("date,kind,name\n2027-02-22,makeup_workday,春节\n", ".csv", "不是周六或周日"),
        (
            "date,kind,name\n2027-01-01,holiday,元旦\n2028-01-01,holiday,元旦\n",
            ".csv",
            "一个年份",
        ),
        ("day,what\n", ".csv", "表头"),
        ("{not json", ".json", "JSON 格式错误"),
        ('{"year": "2027", "source": "x"}', ".json", "year"),
        ("", ".txt", ".csv 或 .json"),
    ],
)
def test_a_malformed_calendar_file_is_refused_with_its_line_and_nothing_is_stored(
    tmp_path: Path, content: str, suffix: str, message: str
) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("calendar", "import", str(path), "--source", "测试")
    assert stored_arrangement(2027) is None
