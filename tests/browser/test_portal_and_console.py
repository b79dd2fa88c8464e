"""The portal and the console in a real browser: Debian's chromium driven by
Playwright, with axe-core checking accessibility. Screenshots go to test-output/."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gongkai.core.demo import DEMO_PASSWORD, load_demo

# Playwright's sync API runs an event loop in this thread; the ORM calls made
# by the test itself are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT = Path(os.environ.get("GONGKAI_TEST_OUTPUT", REPO / "test-output"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("chromium or axe-core is missing (./dev.sh test installs both)")
        pytest.skip("chromium or axe-core is not installed")
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # axe-core is injected by the test; the site's own CSP forbids inline scripts.
        context = browser.new_context(
            bypass_csp=True, locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def serious_violations(page: Any) -> list[dict[str, Any]]:
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]


def check(page: Any, name: str) -> None:
    page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)
    violations = serious_violations(page)
    assert not violations, json.dumps(
        [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations],
        ensure_ascii=False,
        indent=1,
    )


def test_portal_home_and_console_login_work_and_pass_axe(
    live_server: Any, page: Any
) -> None:
    load_demo()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "潮州市湘桥区教育局"
    assert (
        page.get_by_role("navigation", name="栏目导航")
        .get_by_role("link", name="招生考试")
        .is_visible()
    )
    check(page, "portal-home")

    page.get_by_role("button", name="长者模式").click()
    page.wait_for_load_state()
    assert "elder" in (page.locator("body").get_attribute("class") or "")
    check(page, "portal-home-elder")

    page.goto(live_server.url + "/console/login/")
    check(page, "console-login")
    page.get_by_label("用户名").fill("sysadmin")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/console/")
    assert "待办事项" in page.content()
    check(page, "console-inbox")

    page.goto(live_server.url + "/console/units/")
    assert page.get_by_role("link", name="湘桥区城西中学（演示）").is_visible()
    check(page, "console-units")

    assert all(url.startswith(live_server.url) for url in requests), requests


def test_a_wrong_password_shows_the_error_in_the_browser(
    live_server: Any, page: Any
) -> None:
    load_demo()
    page.goto(live_server.url + "/console/login/")
    page.get_by_label("用户名").fill("author")
    page.get_by_label("密码").fill("not-the-password-1")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").first.inner_text().startswith("用户名或密码错误")
    check(page, "console-login-error")


def test_every_public_page_passes_axe_also_in_elder_mode(
    live_server: Any, page: Any
) -> None:
    from gongkai.catalogue.models import Item

    load_demo()
    item = Item.objects.filter(is_public=True).first()
    assert item is not None
    paths = {
        "guide": "/guide/",
        "catalogue": "/catalogue/",
        "column": "/columns/zsks/",
        "item": f"/items/{item.pk}/",
        "apply": "/apply/",
        "track": "/track/?code=AAAA-BBBB-CCCC-DDDD",
        "search": "/search/?q=招生",
    }
    for elder in (False, True):
        if elder:
            page.goto(live_server.url + "/preferences/elder-mode/?next=/")
        for name, path in paths.items():
            page.goto(live_server.url + path)
            assert page.locator("h1").count() >= 1
            check(page, f"{name}{'-elder' if elder else ''}")
