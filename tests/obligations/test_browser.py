"""The 标准目录 pages in a real browser, checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.accounts.models import Unit
from gongkai.core.demo import DEMO_PASSWORD, load_demo
from gongkai.obligations.starter import load_starter
from tests.browser.test_portal_and_console import check, page

__all__ = ["page"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_demo_coverage_matrix_and_portal_catalogue_pass_axe(
    live_server: Any, page: Any
) -> None:
    load_demo()
    bureau = Unit.objects.get(parent__isnull=True)
    load_starter(bureau, demo_items=True)
    school = Unit.objects.filter(parent=bureau).order_by("pk").first()
    assert school is not None

    page.goto(f"{live_server.url}/obligations/units/{school.pk}/")
    assert "政务公开标准目录" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="第一实验小学学校介绍（").count() == 1
    check(page, "obligations-portal")

    page.goto(live_server.url + "/console/login/")
    page.get_by_label("用户名").fill("officer")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/console/")
    page.goto(live_server.url + "/console/obligations/coverage/")
    matrix = page.get_by_role("table")
    for label in ["按时公开", "逾期公开", "即将到期", "已逾期", "未到期", "不适用"]:
        assert matrix.get_by_text(label, exact=True).count() > 0
    check(page, "obligations-coverage")
    page.get_by_role("link", name="招生管理 › 招生范围").click()
    assert "幼儿园不实行义务教育划片招生" in page.content()
    check(page, "obligations-detail")
    page.goto(live_server.url + "/console/obligations/items/")
    check(page, "obligations-items")
