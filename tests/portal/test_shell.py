from __future__ import annotations

import re

import pytest
from django.test import Client

from gongkai.core.demo import load_demo


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


def test_the_home_page_shows_the_unit_its_columns_and_contact_footer(
    demo: None, client: Client, settings: object
) -> None:
    settings.GONGKAI_SITE = {
        "name": "",
        "site_id_code": "4451020001",
        "icp_number": "粤ICP备00000000号",
        "psb_number": "",
    }  # type: ignore[attr-defined]
    body = client.get("/").content.decode()
    assert "<h1>潮州市湘桥区教育局</h1>" in body
    for name in ["机构设置", "招生考试", "校园风采"]:
        assert name in body
    assert "2259400" in body and "人秘股" in body
    assert "网站标识码：4451020001" in body and "粤ICP备00000000号" in body


def test_a_column_page_renders_and_an_unknown_column_is_404(
    demo: None, client: Client
) -> None:
    response = client.get("/columns/zsks/")
    assert response.status_code == 200
    assert 'aria-current="page">招生考试' in response.content.decode()
    missing = client.get("/columns/nope/")
    assert missing.status_code == 404
    assert "页面不存在" in missing.content.decode()


def test_elder_mode_is_a_link_that_sets_a_cookie_and_enlarges_the_page(
    demo: None, client: Client
) -> None:
    response = client.get("/preferences/elder-mode/", {"next": "/columns/jydt/"})
    assert response.status_code == 302 and response["Location"] == "/columns/jydt/"
    body = client.get("/columns/jydt/").content.decode()
    assert 'class="portal elder"' in body and "退出长者模式" in body
    client.get("/preferences/elder-mode/", {"next": "/"})
    assert 'class="portal"' in client.get("/").content.decode()


def test_elder_mode_does_not_redirect_to_another_host(
    demo: None, client: Client
) -> None:
    response = client.get("/preferences/elder-mode/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_pages_carry_a_self_only_content_security_policy_and_secure_headers(
    demo: None, client: Client
) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "http" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/", "/columns/zsks/", "/console/login/"])
def test_no_page_loads_anything_from_another_host(
    demo: None, client: Client, path: str
) -> None:
    body = client.get(path).content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', body)


def test_the_home_page_renders_without_any_unit(db: None, client: Client) -> None:
    body = client.get("/").content.decode()
    assert "gongkai demo" in body
