"""Importing a county 标准目录 from CSV or XLSX, and exporting it back."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.audit.models import AuditEvent
from gongkai.obligations import exporting
from gongkai.obligations.coverage import unit_matrix
from gongkai.obligations.importing import ImportRejected, import_obligations
from gongkai.obligations.models import Audience, Mode, Obligation
from gongkai.workdays.selectors import work_calendar
from tests.catalogue.conftest import xlsx_with
from tests.conftest import World

HEAD = (
    (
        "序号",
        "公开事项",
        "",
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道和载体",
        "公开对象",
        "",
        "公开方式",
        "",
        "公开层级",
        "",
    ),
    (
        "",
        "一级事项",
        "二级事项",
        "",
        "",
        "",
        "",
        "",
        "全社会",
        "特定群体",
        "主动",
        "依申请",
        "县级",
        "乡级",
    ),
)
BASIS = "《教育部关于推进中小学信息公开工作的意见》"


def row(*cells: str) -> tuple[str, ...]:
    return cells


GOOD = [
    row(
        "1",
        "招生管理",
        "招生计划",
        "●各校本年度招生计划",
        BASIS,
        "信息形成或者变更之日起20个工作日内",
    )
    + row("县（市、区）教育部门、各学校", "政府网站", "√", "", "√", "", "√", ""),
    # The merged 一级事项 cell continues.
    row("2", "", "招生范围", "●招生范围 ●学区划分详细情况", BASIS, "每年6月30日前")
    + row("测试第一小学", "政府网站", "", "√", "√", "", "√", "√"),
    row("3", "政务公开", "政府信息公开工作年度报告", "", "", "每年1月31日前")
    + row("测试区教育局", "政府网站", "√", "", "", "√", "√", ""),
]


def as_csv(rows: list[tuple[str, ...]], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def events() -> int:
    return AuditEvent.objects.filter(action="obligations.imported").count()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_csv_in_the_county_layout_imports_every_column(
    world: World, officer: User, encoding: str
) -> None:
    result = import_obligations(
        actor=officer,
        unit=world.bureau,
        filename="目录.csv",
        content=as_csv([*HEAD, *GOOD], encoding),
    )
    assert (result.created, result.updated) == (3, 0)
    plan, area, report = Obligation.objects.order_by("number")
    assert (plan.category, plan.name, plan.element_list) == (
        "招生管理",
        "招生计划",
        ["各校本年度招生计划"],
    )
    assert plan.for_owner and plan.for_schools and plan.basis == BASIS
    assert area.category == "招生管理" and area.time_rule == "每年6月30日前"
    assert list(area.named_units.all()) == [world.school_a] and not area.for_owner
    assert (area.audience, area.levels) == (Audience.SPECIFIC, "县级、乡级")
    assert report.mode == Mode.ON_REQUEST and report.for_owner
    assert events() == 1


def test_an_xlsx_with_values_written_out_in_one_header_row_imports(
    world: World, officer: User
) -> None:
    content = xlsx_with(
        ("标准目录（2026年版）",),
        (
            "序号",
            "一级事项",
            "二级事项",
            "公开时限",
            "公开主体",
            "公开对象",
            "公开方式",
            "公开层级",
            "关键词",
            "备注",
        ),
        (
            "1",
            "学生管理",
            "义务教育学生资助政策",
            "二十个工作日内",
            "各中小学",
            "特定群体",
            "主动公开",
            "县级",
            "资助、两免一补",
            "忽略",
        ),
    )
    import_obligations(
        actor=officer, unit=world.bureau, filename="catalogue.XLSX", content=content
    )
    grant = Obligation.objects.get()
    assert grant.time_rule == "信息形成或者变更之日起20个工作日内"
    assert (grant.for_owner, grant.for_schools) == (False, True)
    assert (grant.audience, grant.keywords) == (Audience.SPECIFIC, "资助、两免一补")


def test_bad_rows_are_all_reported_by_number_and_nothing_is_imported(
    world: World, officer: User
) -> None:
    bad = [
        *GOOD,
        row("4", "招生管理", "录取结果", "", "", "长期公开", "测试区教育局"),
        row("5", "招生管理", "招生计划", "", "", "", "测试区教育局"),
        row("6", "招生管理", "学校介绍", "", "", "", "区卫生健康局"),
        row("7", "招生管理", "招生咨询", "", "", "", "", "", "x"),
        row("八", "招生管理", "特长生", "", "", "", ""),
        row("9", "招生管理", "", "", "", "", ""),
    ]
    with pytest.raises(ImportRejected) as exc:
        import_obligations(
            actor=officer,
            unit=world.bureau,
            filename="目录.csv",
            content=as_csv([*HEAD, *bad]),
        )
    errors = exc.value.errors
    assert errors[0].startswith("第6行：无法识别的公开时限（time_rule）“长期公开”")
    assert errors[1] == "第7行：事项“招生管理›招生计划”与第3行重复"
    assert errors[2] == "第8行：公开主体“区卫生健康局”不是教育局或其下属单位"
    assert errors[3] == "第9行：“全社会”列的标记“x”无法识别，请用“√”或留空"
    assert errors[4] == "第10行：序号“八”应为整数"
    assert errors[5] == "第11行：请填写二级事项"
    assert "未导入任何事项" in exc.value.message
    assert not Obligation.objects.exists() and events() == 0


def test_rows_already_in_the_catalogue_are_duplicates_unless_updating(
    world: World, officer: User
) -> None:
    content = as_csv([*HEAD, *GOOD])
    import_obligations(
        actor=officer, unit=world.bureau, filename="a.csv", content=content
    )
    with pytest.raises(
        ImportRejected, match="第3行：事项“招生管理›招生计划”已在目录中"
    ):
        import_obligations(
            actor=officer, unit=world.bureau, filename="a.csv", content=content
        )
    changed = as_csv([*HEAD, (*GOOD[0][:5], "每年8月31日前", *GOOD[0][6:])])
    result = import_obligations(
        actor=officer,
        unit=world.bureau,
        filename="a.csv",
        content=changed,
        update_existing=True,
    )
    assert (result.created, result.updated) == (0, 1)
    assert Obligation.objects.get(name="招生计划").time_rule == "每年8月31日前"
    assert Obligation.objects.count() == 3


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("目录.pdf", b"%PDF", "只能导入 CSV 或 XLSX"),
        ("目录.xlsx", b"not a workbook", "无法读取 XLSX"),
        ("目录.csv", "名称,说明\n招生计划,x\n".encode(), "没有找到表头"),
        (
            "目录.csv",
            "序号,一级事项,公开时限\n1,招生管理,\n".encode(),
            "缺少“二级事项”",
        ),
        ("目录.csv", "一级事项,二级事项\n\n".encode(), "没有任何事项"),
        ("目录.csv", b"x" * (5 * 1024 * 1024 + 1), "超过5MB"),
    ],
)
def test_a_file_that_is_not_a_catalogue_is_refused(
    world: World, officer: User, filename: str, content: bytes, message: str
) -> None:
    with pytest.raises(ImportRejected, match=message):
        import_obligations(
            actor=officer, unit=world.bureau, filename=filename, content=content
        )
    assert not Obligation.objects.exists()


def test_only_the_disclosure_office_imports(world: World) -> None:
    with pytest.raises(ServiceError, match="公开办工作人员"):
        import_obligations(
            actor=world.author,
            unit=world.bureau,
            filename="a.csv",
            content=as_csv([*HEAD, *GOOD]),
        )


def test_an_exported_catalogue_imports_back_unchanged(
    world: World, officer: User, catalogue: dict[str, Obligation]
) -> None:
    matrix = unit_matrix(
        world.bureau, year=2026, today=timezone.localdate(), calendar=work_calendar()
    )
    obligations = list(catalogue.values())
    fields = ("category", "name", "elements", "basis", "time_rule", "channels")
    before = [tuple(getattr(o, f) for f in fields) for o in obligations]
    for fmt in ("xlsx", "csv"):
        exported = exporting.export(
            what="catalogue",
            fmt=fmt,  # type: ignore[arg-type]
            obligations=obligations,
            matrix=matrix,
            stem="x",
        )
        Obligation.objects.all().delete()
        import_obligations(
            actor=officer,
            unit=world.bureau,
            filename=exported.filename,
            content=exported.content,
        )
        after = [
            tuple(getattr(o, f) for f in fields)
            for o in Obligation.objects.order_by("number")
        ]
        assert after == before
    book = openpyxl.load_workbook(io.BytesIO(exported_xlsx(obligations, matrix)))
    assert book.sheetnames == ["标准目录", "落实情况"]
    assert "B1:C1" in {str(r) for r in book["标准目录"].merged_cells.ranges}


def exported_xlsx(obligations: list[Obligation], matrix: object) -> bytes:
    return exporting.export(
        what="catalogue",
        fmt="xlsx",
        obligations=obligations,
        matrix=matrix,  # type: ignore[arg-type]
        stem="x",
    ).content


def test_json_and_csv_exports_carry_the_coverage(
    world: World, catalogue: dict[str, Obligation]
) -> None:
    matrix = unit_matrix(
        world.school_a, year=2026, today=timezone.localdate(), calendar=work_calendar()
    )
    body = json.loads(
        exporting.export(
            what="coverage",
            fmt="json",
            obligations=[r.obligation for r in matrix.rows],
            matrix=matrix,
            stem="x",
        ).content
    )
    assert body["coverage"]["year"] == 2026
    assert {c["status"] for c in body["coverage"]["cells"]} == {"no_information"}
    assert body["catalogue"][0]["responsible"] == "测试区教育局、各学校"
    table = exporting.export(
        what="coverage", fmt="csv", obligations=[], matrix=matrix, stem="x"
    )
    lines = table.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("年度,单位,序号,一级事项,二级事项")
    assert "测试第一小学" in lines[1] and "暂无信息" in lines[1]
