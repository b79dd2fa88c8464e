from __future__ import annotations

import gzip

import brotli
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.core.demo import load_demo
from tests.catalogue.conftest import draft, staff_for
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World


def test_the_guide_is_generated_from_the_units_configuration(
    db: None, client: Client
) -> None:
    load_demo()
    page = client.get(reverse("portal:guide")).content.decode()
    assert "潮州市湘桥区教育局人秘股" in page and "2259400" in page
    assert "第三十一条" in page and "20个工作日" in page and "4700元" in page
    assert "招生考试" in page and "60日" in page


def test_the_catalogue_counts_facets_and_filters(world: World, client: Client) -> None:
    bureau = staff_for(world.bureau, "cat")
    school = staff_for(world.school_a, "cat_s")
    publish_quickly(bureau, draft(bureau, title="局机关通知", topic="科技、教育"))
    publish_quickly(school, draft(school, title="学校公告"))
    page = client.get(reverse("portal:catalogue")).content.decode()
    assert "共 2 条" in page and "教育局（1）" in page and "一小（1）" in page
    filtered = client.get(
        reverse("portal:catalogue"), {"unit": world.school_a.pk}
    ).content.decode()
    assert (
        "共 1 条" in filtered
        and "学校公告" in filtered
        and "局机关通知" not in filtered
    )
    odd = client.get(
        reverse("portal:catalogue"),
        {"unit": "abc", "year": "'; drop", "page": "9" * 40},
    )
    assert odd.status_code == 200 and "无效，已忽略" in odd.content.decode()


def test_the_sitemap_lists_public_items(world: World, client: Client) -> None:
    bureau = staff_for(world.bureau, "map")
    item = draft(bureau, title="可见")
    publish_quickly(bureau, item)
    hidden = draft(bureau, title="不可见")
    index = client.get(reverse("portal:sitemap")).content.decode()
    assert "sitemap-items.xml" in index
    items = client.get("/sitemap-items.xml").content.decode()
    assert f"/items/{item.pk}/" in items and f"/items/{hidden.pk}/" not in items


def test_pages_answer_conditional_requests_and_compress(
    db: None, client: Client
) -> None:
    load_demo()
    first = client.get(reverse("portal:guide"), HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip" and first.has_header("ETag")
    again = client.get(
        reverse("portal:guide"),
        HTTP_IF_NONE_MATCH=first["ETag"],
        HTTP_ACCEPT_ENCODING="gzip",
    )
    assert again.status_code == 304


def test_public_pages_go_out_in_brotli_and_pages_with_secrets_in_gzip(
    db: None, client: Client
) -> None:
    load_demo()
    url = reverse("portal:guide")
    plain = client.get(url, HTTP_ACCEPT_ENCODING="identity")
    assert not plain.has_header("Content-Encoding")
    assert "Accept-Encoding" in plain["Vary"]
    compressed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert compressed["Content-Encoding"] == "br"
    assert brotli.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(gzip.compress(plain.content))
    assert int(compressed["Content-Length"]) == len(compressed.content)
    again = client.get(
        url, HTTP_IF_NONE_MATCH=compressed["ETag"], HTTP_ACCEPT_ENCODING="br"
    )
    assert again.status_code == 304
    # The application form holds a CSRF token: gzip, padded against BREACH.
    form = client.get(reverse("portal:apply"), HTTP_ACCEPT_ENCODING="br, gzip")
    assert form["Content-Encoding"] == "gzip"
    # So does every page of a signed-in user.
    client.force_login(User.objects.filter(is_superuser=False).first())
    console = client.get("/console/", HTTP_ACCEPT_ENCODING="br, gzip")
    assert console.status_code == 200 and console["Content-Encoding"] == "gzip"
