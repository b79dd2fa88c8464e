"""``gongkai report check`` and ``build`` on good and bad input; the services that
enter external figures and channel tallies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.accounts.errors import ServiceError
from gongkai.audit.models import AuditEvent
from gongkai.reports import services
from gongkai.reports.compute import build_report
from gongkai.reports.figures import Scope, section2
from gongkai.reports.models import ChannelTally, ExternalFigure
from tests.conftest import World

FIXTURES = Path(__file__).parent / "fixtures"


def run_check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        call_command("report", "check", *args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", ["pingtan-2017", "pingtan-2021", "pingtan-2022"])
def test_check_prints_the_schema_shape_and_exits_0_on_the_shared_reports(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, _ = run_check(capsys, str(FIXTURES / f"{name}.txt"), "--json")
    result = json.loads(out)
    want = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    assert code == 0 and result["errors"] == []
    assert set(result) >= {
        "year",
        "format",
        "section2",
        "section3",
        "section4",
        "errors",
        "warnings",
    }
    if result["section3"]:
        assert result["section3"]["rows"] == want["section3"]["rows"]


def test_check_with_previous_and_in_text_form_reports_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_check(
        capsys,
        str(FIXTURES / "pingtan-2022.txt"),
        "--previous",
        str(FIXTURES / "pingtan-2021.txt"),
    )
    assert code == 0
    assert "提示：正文称收到政府信息公开申请 75 件，表格为 74 件" in out
    assert "共 0 个错误" in out


def test_an_unbalanced_report_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (FIXTURES / "pingtan-2021.txt").read_text(encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text(
        text.replace("（七）总计630020469", "（七）总计 63 0 0 2 0 4 70"),
        encoding="utf-8",
    )
    code, out, _ = run_check(capsys, str(bad))
    assert code == 1 and "错误：" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary", "二进制"),
        (b"PK\x03\x04broken zip", "DOCX"),
        (b"%PDF-1.7", "PDF"),
        ("会议纪要：讨论了工作。".encode(), "未能在文件中找到"),
        (b"\xff\xfe\xfa\xfb\xfc", "编码"),
    ],
)
def test_a_foreign_or_unreadable_file_exits_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "file.bin"
    path.write_bytes(content)
    code, _, err = run_check(capsys, str(path))
    assert code == 2 and message in err and "Traceback" not in err


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_check(capsys, "/nonexistent/report.txt")
    assert code == 2 and "无法读取文件" in err


def test_an_html_page_is_read_through_its_cells(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from tests.reports.law_helpers import fixture_json, html_page

    page = tmp_path / "page.html"
    page.write_text(html_page(fixture_json("pingtan-2022.json")), encoding="utf-8")
    code, out, _ = run_check(capsys, str(page), "--json", "--level", "county_aggregate")
    assert code == 0 and json.loads(out)["section4"]["litigation_direct"]["upheld"] == 1


def test_build_refuses_bad_arguments_in_chinese(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到组织机构代码"):
        call_command(
            "report", "build", "--unit", "NOPE", "--year", "2025", "--out", "x.json"
        )
    with pytest.raises(CommandError, match="不支持的输出格式"):
        call_command(
            "report", "build", "--year", "2025", "--out", str(tmp_path / "x.txt")
        )
    with pytest.raises(CommandError, match="未知的报告格式"):
        call_command(
            "report", "build", "--year", "2025", "--format", "x", "--out", "x.json"
        )
    with pytest.raises(CommandError, match="年度须在"):
        call_command("report", "build", "--year", "1999", "--out", "x.json")
    with pytest.raises(CommandError, match="无法写入"):
        call_command(
            "report", "build", "--year", "2025", "--out", "/nonexistent/dir/x.json"
        )


def test_external_figures_are_entered_with_their_source_and_audited(
    world: World,
) -> None:
    figure = services.enter_external_figure(
        actor=None, unit=world.bureau, year=2025, key="administrative_licensing_decisions",
        value=12, source="行政审批股台账",
    )  # fmt: skip
    services.enter_external_figure(
        actor=None, unit=world.school_a, year=2025,
        key="administrative_fees_amount_wan_yuan", value="1.25", source="财务室",
    )  # fmt: skip
    services.enter_external_figure(
        actor=None, unit=world.bureau, year=2025, key="administrative_licensing_decisions",
        value=13, source="行政审批股台账（更正）",
    )  # fmt: skip
    figure.refresh_from_db()
    assert figure.value == 13
    assert (
        AuditEvent.objects.filter(action="reports.external_figure_entered").count() == 3
    )
    own, sources = section2(Scope(world.bureau), 2025)
    assert own["art20_5"]["administrative_licensing_decisions"] == 13
    assert own["art20_8"]["administrative_fees_amount_wan_yuan"] == 0
    both, _ = section2(Scope(world.bureau, consolidated=True), 2025)
    assert both["art20_8"]["administrative_fees_amount_wan_yuan"] == 1.25
    assert sources == ["教育局：行政许可处理决定数量——行政审批股台账（更正）"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"key": "x"}, "未知的统计项目"),
        ({"source": " "}, "数据来源"),
        ({"value": "-1"}, "负数"),
        ({"value": "abc"}, "数值无效"),
        ({"value": "1.5"}, "整数"),
        ({"year": 2007}, "年度须在"),
    ],
)
def test_bad_external_figures_are_refused_and_change_nothing(
    world: World, kwargs: dict[str, object], message: str
) -> None:
    args: dict[str, object] = {
        "actor": None,
        "unit": world.bureau,
        "year": 2025,
        "key": "administrative_penalty_decisions",
        "value": 1,
        "source": "台账",
    } | kwargs
    with pytest.raises(ServiceError, match=message):
        services.enter_external_figure(**args)  # type: ignore[arg-type]
    assert not ExternalFigure.objects.exists()


def test_channel_tallies_are_entered_corrected_and_checked(world: World) -> None:
    from gongkai.accounts.roles import Role
    from tests.conftest import make_user

    officer = make_user(world.bureau, "officer", Role.DISCLOSURE_OFFICER)
    services.enter_channel_tally(
        actor=officer,
        unit=world.bureau,
        year=2017,
        channel="wechat",
        count=10,
        source="后台",
    )
    services.enter_channel_tally(
        actor=officer,
        unit=world.bureau,
        year=2017,
        channel="wechat",
        count=12,
        source="后台",
    )
    assert ChannelTally.objects.get().count == 12
    assert build_report(unit=world.bureau, year=2017)["pre2019"]["wechat_posts"] == 12
    with pytest.raises(ServiceError, match="未知的发布渠道"):
        services.enter_channel_tally(
            actor=officer,
            unit=world.bureau,
            year=2017,
            channel="tv",
            count=1,
            source="x",
        )
    with pytest.raises(ServiceError, match="负数"):
        services.enter_channel_tally(
            actor=officer,
            unit=world.bureau,
            year=2017,
            channel="weibo",
            count=-1,
            source="x",
        )
    with pytest.raises(ServiceError, match="只有本单位政府信息公开工作机构"):
        services.enter_channel_tally(
            actor=world.author,
            unit=world.bureau,
            year=2017,
            channel="weibo",
            count=1,
            source="x",
        )
