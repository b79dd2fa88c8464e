"""Console and portal pages of the 标准目录."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.audit.models import AuditEvent
from gongkai.obligations.models import Exemption, Obligation, ObligationLink
from tests.catalogue.conftest import draft, staff_for
from tests.conftest import World, make_user

from .helpers import item_for


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_the_office_lists_creates_edits_and_deletes_obligations(
    client: Client, world: World, officer: User, catalogue: dict[str, Obligation]
) -> None:
    login(client, officer)
    page = client.get(reverse("console:obligation_list")).content.decode()
    assert "测试区教育局（30项）" in page and "招生计划" in page
    form = {
        "category": "校务公开",
        "name": "校历",
        "time_rule": "每年8月31日前",
        "for_schools": "on",
        "audience": "public",
        "mode": "proactive",
        "levels": ["县级"],
    }
    response = client.post(reverse("console:obligation_new"), form)
    created = Obligation.objects.get(name="校历")
    assert response.url == reverse("console:obligation", args=[created.pk])  # type: ignore[attr-defined]
    bad = client.post(
        reverse("console:obligation_new"),
        form | {"name": "校历2", "time_rule": "每学期"},
    )
    assert "无法识别的公开时限" in bad.content.decode()
    edit = reverse("console:obligation_edit", args=[created.pk])
    assert "每年8月31日前" in client.get(edit).content.decode()
    client.post(edit, form | {"time_rule": "每年9月1日前"})
    created.refresh_from_db()
    assert created.time_rule == "每年9月1日前"
    client.post(reverse("console:obligation_delete", args=[created.pk]))
    assert not Obligation.objects.filter(name="校历").exists()


def test_an_author_cannot_reach_the_editing_pages(
    client: Client, world: World, catalogue: dict[str, Obligation]
) -> None:
    login(client, world.author)
    assert client.get(reverse("console:obligation_new")).status_code == 403
    plan = catalogue["招生计划"]
    assert client.get(reverse("console:obligation", args=[plan.pk])).status_code == 200


def test_a_school_officer_may_not_edit_the_bureaus_catalogue(
    client: Client, world: World, catalogue: dict[str, Obligation]
) -> None:
    login(client, make_user(world.school_a, "officer_a", Role.DISCLOSURE_OFFICER))
    plan = catalogue["招生计划"]
    response = client.get(
        reverse("console:obligation_edit", args=[plan.pk]), follow=True
    )
    assert "只有公开办工作人员可以编辑标准目录" in response.content.decode()
    response = client.post(
        reverse("console:obligation_delete", args=[plan.pk]), follow=True
    )
    assert Obligation.objects.filter(pk=plan.pk).exists()


def test_obligations_outside_the_users_scope_are_not_found(
    client: Client, world: World, catalogue: dict[str, Obligation]
) -> None:
    login(client, world.school_a_author)
    bureau_only = catalogue["教师招聘"]
    assert (
        client.get(reverse("console:obligation", args=[bureau_only.pk])).status_code
        == 404
    )
    school = staff_for(world.school_b, "s2")
    other = draft(school)
    url = reverse("console:obligation_item_link", args=[other.pk])
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(action="security.out_of_scope").exists()


def test_the_coverage_page_shows_the_matrix_and_exports_it(
    clock: Any,
    client: Client,
    world: World,
    officer: User,
    catalogue: dict[str, Obligation],
) -> None:
    school = staff_for(world.school_a, "s1")
    item_for(school, catalogue["招生计划"], "一年级招生计划")
    login(client, officer)
    page = client.get(
        reverse("console:obligation_coverage") + "?year=2026"
    ).content.decode()
    assert "标准目录落实情况（2026年）" in page
    assert page.count('<th scope="col">') == 4  # 公开事项 + three units
    assert "st-on_time" in page and "st-overdue" in page
    # An unreasonable year falls back to this year.
    assert (
        "（2026年）"
        in client.get(
            reverse("console:obligation_coverage") + "?year=1900"
        ).content.decode()
    )
    for fmt, kind in [("xlsx", "spreadsheetml"), ("csv", "text/csv"), ("json", "json")]:
        response = client.get(
            reverse("console:obligation_export")
            + f"?what=coverage&format={fmt}&year=2026"
        )
        assert kind in response["Content-Type"]
        assert f"obligations-coverage-2026.{fmt}" in response["Content-Disposition"]
    response = client.get(
        reverse("console:obligation_export") + "?format=pdf", follow=True
    )
    assert "导出格式应为" in response.content.decode()


def test_the_detail_page_shows_units_and_takes_an_exemption(
    clock: Any,
    client: Client,
    world: World,
    officer: User,
    catalogue: dict[str, Obligation],
) -> None:
    area = catalogue["招生范围"]
    login(client, officer)
    url = reverse("console:obligation", args=[area.pk])
    page = client.get(url).content.decode()
    assert "测试区教育局、各学校" in page and "一小" in page and "二小" in page
    response = client.post(
        reverse("console:obligation_exempt", args=[area.pk]),
        {"unit": world.school_b.pk, "year": 2026, "reason": "本校无学区"},
    )
    assert response.url == f"{url}?year=2026"  # type: ignore[attr-defined]
    exemption = Exemption.objects.get()
    assert "本校无学区" in client.get(url).content.decode()
    client.post(
        reverse("console:obligation_exempt", args=[area.pk]),
        {"unit": world.school_b.pk},
    )
    assert Exemption.objects.count() == 1
    client.post(
        reverse("console:obligation_exemption_revoke", args=[area.pk, exemption.pk])
    )
    assert not Exemption.objects.exists()


def test_an_author_confirms_the_suggested_obligation_of_a_draft(
    client: Client, world: World, catalogue: dict[str, Obligation]
) -> None:
    school = staff_for(world.school_a, "s1")
    item = draft(school, title="2025年秋季一年级招生计划公告")
    login(client, school.author)
    listing = client.get(reverse("console:obligation_items")).content.decode()
    assert (
        "2025年秋季一年级招生计划公告" in listing and "招生管理 › 招生计划" in listing
    )
    url = reverse("console:obligation_item_link", args=[item.pk])
    page = client.get(url).content.decode()
    assert "名称含“招生计划”" in page
    response = client.post(url, {"obligation": catalogue["招生计划"].pk, "period": ""})
    assert response.status_code == 302
    assert ObligationLink.objects.get(item=item).period == "2025"
    refused = client.post(
        url, {"obligation": catalogue["招生计划"].pk, "period": "2030"}
    )
    assert "相差超过一年" in refused.content.decode()
    client.post(reverse("console:obligation_item_unlink", args=[item.pk]))
    assert not ObligationLink.objects.exists()
    response = client.post(
        reverse("console:obligation_item_unlink", args=[item.pk]), follow=True
    )
    assert "没有关联" in response.content.decode()


def test_an_import_with_bad_rows_shows_each_row_and_imports_nothing(
    client: Client, world: World, officer: User
) -> None:
    login(client, officer)
    content = "一级事项,二级事项,公开时限\n招生管理,招生计划,每学期\n招生管理,招生范围,\n".encode()
    upload = io.BytesIO(content)
    upload.name = "目录.csv"
    page = client.post(
        reverse("console:obligation_import"), {"file": upload}
    ).content.decode()
    assert "第2行：无法识别的公开时限" in page and not Obligation.objects.exists()
    good = io.BytesIO("一级事项,二级事项\n招生管理,招生计划\n".encode())
    good.name = "目录.csv"
    response = client.post(
        reverse("console:obligation_import"), {"file": good}, follow=True
    )
    assert "已导入：新增1项，更新0项" in response.content.decode()


def test_the_portal_page_lists_obligations_with_published_items_only(
    clock: Any, client: Client, world: World, catalogue: dict[str, Obligation]
) -> None:
    school = staff_for(world.school_a, "s1")
    published = item_for(school, catalogue["招生计划"], "一年级招生计划")
    item_for(school, catalogue["学校介绍"], "学校介绍草稿", publish=False)
    page = client.get(
        reverse("portal:obligation_unit", args=[world.school_a.pk])
    ).content.decode()
    assert "测试第一小学政务公开标准目录" in page
    assert reverse("portal:item", args=[published.pk]) in page
    assert "学校介绍草稿" not in page and "教师招聘" not in page
    index = client.get(reverse("portal:obligation_index")).content.decode()
    assert "测试区教育局政务公开标准目录" in index and "教师招聘" in index
    world.school_b.is_active = False
    world.school_b.save()
    assert (
        client.get(
            reverse("portal:obligation_unit", args=[world.school_b.pk])
        ).status_code
        == 404
    )
