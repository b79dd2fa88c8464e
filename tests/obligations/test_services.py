"""Editing the 标准目录, linking items and exempting units: one service, one
transaction, one audit event; refusals change nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.audit.models import AuditEvent
from gongkai.catalogue.services import publishing
from gongkai.obligations import services
from gongkai.obligations.models import Exemption, Obligation, ObligationLink
from tests.catalogue.conftest import draft, staff_for
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World, make_user

from .helpers import item_for

FIELDS: dict[str, Any] = {
    "category": "招生管理",
    "name": "招生计划",
    "elements": "●学校名称 ●招生计划\n招生范围",
    "time_rule": "每年 6 月 30 日之前",
    "for_owner": True,
    "for_schools": True,
    "levels": "县级",
    "keywords": "招生计划，学位 班级数",
}


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=f"obligations.{action}").count()


def test_creating_an_obligation_normalises_it_and_records_one_event(
    world: World, officer: User
) -> None:
    obligation = services.create_obligation(actor=officer, unit=world.bureau, **FIELDS)
    assert obligation.time_rule == "每年6月30日前"
    assert obligation.element_list == ["学校名称", "招生计划", "招生范围"]
    assert obligation.keywords == "招生计划、学位、班级数"
    assert obligation.number == 1
    assert obligation.effective_from == date(date.today().year, 1, 1)
    assert events("created") == 1
    second = services.create_obligation(
        actor=officer, unit=world.bureau, **(FIELDS | {"name": "招生范围"})
    )
    assert second.number == 2


@pytest.mark.parametrize(
    ("change", "message", "field"),
    [
        ({"time_rule": "长期公开"}, "无法识别的公开时限", "time_rule"),
        ({"time_rule": "每年2月30日前"}, "不存在", "time_rule"),
        ({"category": " "}, "请填写一级事项", "category"),
        ({"name": ""}, "请填写二级事项", "name"),
        (
            {"for_owner": False, "for_schools": False},
            "至少选择一个公开主体",
            "for_owner",
        ),
        ({"levels": "省级"}, "公开层级“省级”无效", "levels"),
        ({"audience": "everyone"}, "公开对象", "audience"),
        ({"mode": "secret"}, "公开方式", "mode"),
        ({"number": -1}, "序号", "number"),
        ({"name": "长" * 101}, "不能超过100字", "name"),
        ({"colour": "red"}, "未知字段", None),
    ],
)
def test_bad_input_is_refused_in_chinese_and_creates_nothing(
    world: World, officer: User, change: dict[str, Any], message: str, field: str
) -> None:
    with pytest.raises(ServiceError, match=message) as exc:
        services.create_obligation(
            actor=officer, unit=world.bureau, **(FIELDS | change)
        )
    assert exc.value.field == field
    assert not Obligation.objects.exists() and events("created") == 0


def test_a_duplicate_item_in_the_same_catalogue_is_refused(
    world: World, officer: User
) -> None:
    services.create_obligation(actor=officer, unit=world.bureau, **FIELDS)
    with pytest.raises(ServiceError, match="已存在"):
        services.create_obligation(actor=officer, unit=world.bureau, **FIELDS)
    assert Obligation.objects.count() == 1


def test_a_named_unit_must_be_below_the_catalogue_owner(world: World) -> None:
    officer_a = make_user(world.school_a, "officer_a", Role.DISCLOSURE_OFFICER)
    with pytest.raises(ServiceError, match="不是一小的下属单位"):
        services.create_obligation(
            actor=officer_a,
            unit=world.school_a,
            **(FIELDS | {"named_units": [world.school_b]}),
        )


def test_only_the_disclosure_office_in_scope_edits_a_catalogue(
    world: World, officer: User
) -> None:
    school_officer = make_user(world.school_a, "officer_a", Role.DISCLOSURE_OFFICER)
    with pytest.raises(ServiceError, match="公开办工作人员"):
        services.create_obligation(actor=world.author, unit=world.bureau, **FIELDS)
    with pytest.raises(ServiceError, match="公开办工作人员"):
        services.create_obligation(actor=school_officer, unit=world.bureau, **FIELDS)
    own = services.create_obligation(
        actor=school_officer,
        unit=world.school_a,
        **(FIELDS | {"for_schools": False}),
    )
    assert own.unit == world.school_a


def test_updating_keeps_the_number_and_is_audited(world: World, officer: User) -> None:
    obligation = services.create_obligation(actor=officer, unit=world.bureau, **FIELDS)
    services.update_obligation(
        actor=officer,
        obligation=obligation,
        time_rule="",
        named_units=[world.school_a],
        for_schools=False,
    )
    obligation.refresh_from_db()
    assert obligation.time_rule == "信息形成或者变更之日起20个工作日内"
    assert list(obligation.named_units.all()) == [world.school_a]
    assert obligation.number == 1 and events("updated") == 1
    with pytest.raises(ServiceError, match="无法识别"):
        services.update_obligation(actor=officer, obligation=obligation, time_rule="x")
    obligation.refresh_from_db()
    assert obligation.time_rule == "信息形成或者变更之日起20个工作日内"


def test_an_obligation_with_linked_items_cannot_be_deleted(
    world: World, officer: User, catalogue: dict[str, Obligation]
) -> None:
    school = staff_for(world.school_a, "s1")
    item_for(school, catalogue["招生计划"], "一年级招生计划", publish=False)
    with pytest.raises(ServiceError, match="已关联信息"):
        services.delete_obligation(actor=officer, obligation=catalogue["招生计划"])
    services.delete_obligation(actor=officer, obligation=catalogue["教师招聘"])
    assert not Obligation.objects.filter(name="教师招聘").exists()
    assert events("deleted") == 1


def test_an_author_links_an_item_for_the_period_of_its_formation(
    world: World, catalogue: dict[str, Obligation]
) -> None:
    school = staff_for(world.school_a, "s1")
    item = draft(school, title="2025年秋季一年级招生计划")
    link = services.link_item(
        actor=school.author, item=item, obligation=catalogue["招生计划"]
    )
    assert (link.period, link.year, link.period_label) == ("2025", 2025, "2025年")
    assert events("item_linked") == 1
    relinked = services.link_item(
        actor=school.author,
        item=item,
        obligation=catalogue["招生范围"],
        period="2026",
    )
    assert ObligationLink.objects.get(item=item) == relinked
    assert relinked.obligation == catalogue["招生范围"] and relinked.year == 2026
    services.unlink_item(actor=school.author, item=item)
    assert not ObligationLink.objects.exists() and events("item_unlinked") == 1
    with pytest.raises(ServiceError, match="没有关联"):
        services.unlink_item(actor=school.author, item=item)


@pytest.mark.parametrize(
    ("name", "period", "message"),
    [
        ("教师招聘", "", "不适用于测试第一小学"),
        ("招生计划", "2027", "相差超过一年"),
        ("招生计划", "2025-1", "可选：2025"),
        ("招生计划", "今年", "格式不正确"),
    ],
)
def test_a_link_that_does_not_fit_is_refused(
    world: World,
    catalogue: dict[str, Obligation],
    name: str,
    period: str,
    message: str,
) -> None:
    school = staff_for(world.school_a, "s1")
    item = draft(school)
    with pytest.raises(ServiceError, match=message):
        services.link_item(
            actor=school.author, item=item, obligation=catalogue[name], period=period
        )
    assert not ObligationLink.objects.exists() and events("item_linked") == 0


def test_a_withdrawn_item_or_another_schools_author_cannot_link(
    world: World, catalogue: dict[str, Obligation]
) -> None:
    school = staff_for(world.school_a, "s1")
    item = draft(school)
    with pytest.raises(ServiceError, match="撰稿人或公开办"):
        services.link_item(
            actor=world.school_b_author, item=item, obligation=catalogue["招生计划"]
        )
    publish_quickly(school, item)
    publishing.withdraw(actor=school.signer, item=item, reason="信息有误")
    item.refresh_from_db()
    with pytest.raises(ServiceError, match="已撤回"):
        services.link_item(
            actor=school.author, item=item, obligation=catalogue["招生计划"]
        )


def test_the_office_marks_a_school_not_applicable_with_a_reason(
    world: World, officer: User, catalogue: dict[str, Obligation]
) -> None:
    plan = catalogue["招生范围"]
    with pytest.raises(ServiceError, match="说明不适用的原因"):
        services.exempt_unit(
            actor=officer, obligation=plan, unit=world.school_a, year=2026, reason=" "
        )
    with pytest.raises(ServiceError, match="本就不适用"):
        services.exempt_unit(
            actor=officer,
            obligation=catalogue["教师招聘"],
            unit=world.school_a,
            year=2026,
            reason="无",
        )
    with pytest.raises(ServiceError, match="公开办工作人员"):
        services.exempt_unit(
            actor=world.school_a_author,
            obligation=plan,
            unit=world.school_a,
            year=2026,
            reason="无学区",
        )
    with pytest.raises(ServiceError, match="2000—2100"):
        services.exempt_unit(
            actor=officer, obligation=plan, unit=world.school_a, year=1999, reason="x"
        )
    with pytest.raises(ServiceError, match="不能超过200字"):
        services.exempt_unit(
            actor=officer,
            obligation=plan,
            unit=world.school_a,
            year=2026,
            reason="长" * 201,
        )
    assert not Exemption.objects.exists() and events("exempted") == 0
    exemption = services.exempt_unit(
        actor=officer, obligation=plan, unit=world.school_a, year=2026, reason="无学区"
    )
    with pytest.raises(ServiceError, match="已标记为不适用"):
        services.exempt_unit(
            actor=officer, obligation=plan, unit=world.school_a, year=2026, reason="x"
        )
    services.revoke_exemption(actor=officer, exemption=exemption)
    assert not Exemption.objects.exists()
    assert (events("exempted"), events("exemption_revoked")) == (1, 1)
