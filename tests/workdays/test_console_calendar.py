from __future__ import annotations

from django.test import Client
from django.urls import reverse

from gongkai.workdays.selectors import stored_arrangement
from tests.conftest import World

FORM = {
    "source": "国办发明电〔2026〕测试号",
    "holidays": "2027-01-01 元旦\n2027-02-05~2027-02-12 春节",
    "makeup_workdays": "2027-02-20 春节",
    "reason": "通知已发布",
}


def test_the_system_administrator_enters_2027_in_the_console(
    world: World, client: Client
) -> None:
    client.force_login(world.sysadmin)
    page = client.get(reverse("console:calendar_year", args=[2027])).content.decode()
    assert "暂定推算" in page
    response = client.post(
        reverse("console:calendar_year", args=[2027]), FORM, follow=True
    )
    assert "2027年放假安排已保存" in response.content.decode()
    stored = stored_arrangement(2027)
    assert stored is not None
    assert len(stored.holidays) == 9 and len(stored.makeup_workdays) == 1


def test_changing_an_entered_year_in_the_console_needs_confirmation(
    world: World, client: Client
) -> None:
    client.force_login(world.sysadmin)
    url = reverse("console:calendar_year", args=[2027])
    client.post(url, FORM)
    changed = {**FORM, "makeup_workdays": "", "reason": "更正"}
    body = client.post(url, changed).content.decode()
    assert "尚未保存" in body and "2027-02-20：调休上班（春节） → （无）" in body
    assert len(stored_arrangement(2027).makeup_workdays) == 1  # type: ignore[union-attr]
    client.post(url, {**changed, "confirm": "on"})
    assert len(stored_arrangement(2027).makeup_workdays) == 0  # type: ignore[union-attr]


def test_bad_calendar_text_is_shown_in_chinese_and_nothing_is_saved(
    world: World, client: Client
) -> None:
    client.force_login(world.sysadmin)
    body = client.post(
        reverse("console:calendar_year", args=[2027]),
        {**FORM, "makeup_workdays": "2027-02-22 春节"},
    ).content.decode()
    assert "不是周六或周日" in body
    assert stored_arrangement(2027) is None


def test_other_staff_can_read_the_calendar_but_not_change_it(
    world: World, client: Client
) -> None:
    client.force_login(world.author)
    assert client.get(reverse("console:calendar")).status_code == 200
    assert (
        '<form method="post" class="form">'
        not in client.get(
            reverse("console:calendar_year", args=[2026])
        ).content.decode()
    )
    assert (
        client.post(reverse("console:calendar_year", args=[2027]), FORM).status_code
        == 404
    )
    assert stored_arrangement(2027) is None
