"""The search page and ``/api/search``: results, the JSON shape, and bad input
that never becomes a 500 or an FTS syntax error."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.catalogue.conftest import School
from tests.conftest import World
from tests.search.conftest import publish

BAD_QUERIES = [
    '"',
    '"招生',
    "*",
    "招*",
    "NEAR(招生 方案)",
    "招生 NEAR 方案",
    "title:招生",
    ":",
    "-招生",
    "招生 -方案",
    "招生 AND OR NOT",
    "(",
    "^招",
    "{bigrams}: 招生",
    "'; DROP TABLE search_fts; --",
    "%_\\",
    "招\x00生\x07\x1b",
    "\u200b\ufeff",
    "招" * 5000,
    "招生 " * 30,
]


@pytest.fixture
def item_id(school: School) -> int:
    return publish(
        school, "关于2025年招生方案的通知", "<p>报名时间 <b>7月1日</b></p>"
    ).pk


def test_the_page_lists_matches_with_highlights_and_a_count(
    client: Client, item_id: int
) -> None:
    page = client.get(reverse("portal:search"), {"q": "招生"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<mark>招生</mark>方案" in html and "共找到 <strong>1</strong> 条" in html
    assert reverse("portal:item", args=[item_id]) in html


def test_the_page_without_a_query_shows_the_form(client: Client, item_id: int) -> None:
    html = client.get(reverse("portal:search")).content.decode()
    assert 'name="q"' in html and "请输入检索词" in html and "政务动态（1）" in html


def test_the_page_says_when_nothing_is_found(client: Client, item_id: int) -> None:
    html = client.get(reverse("portal:search"), {"q": "不存在"}).content.decode()
    assert "没有找到符合条件的公开信息" in html


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_syntax_and_control_characters_are_searched_literally(
    client: Client, item_id: int, query: str
) -> None:
    page = client.get(reverse("portal:search"), {"q": query})
    assert page.status_code == 200
    api = client.get(reverse("portal:api_search"), {"q": query})
    assert api.status_code in {200, 400}
    assert "error" in api.json() or "results" in api.json()


def test_an_over_long_query_is_cut_with_a_message(client: Client, item_id: int) -> None:
    html = client.get(reverse("portal:search"), {"q": "招生" * 2500}).content.decode()
    assert "检索词过长" in html
    answer = client.get(reverse("portal:api_search"), {"q": "招" * 5000})
    assert answer.status_code == 400 and answer.json()["parameter"] == "q"


@pytest.mark.parametrize(
    "params",
    [
        {"page": "99999999999999999999"},
        {"page": "-1"},
        {"page": "0"},
        {"page": "abc"},
        {"page": "1e9"},
        {"page": "9" * 5000},
        {"page_size": "100000"},
        {"unit": "99999"},
        {"unit": "x"},
        {"column": "99999"},
        {"kind": "no-such-kind"},
        {"year": "99999"},
        {"year": "1800"},
        {"validity": "forever"},
        {"sort": "random()"},
    ],
)
def test_bad_parameters_give_a_page_with_a_message_or_a_400(
    client: Client, item_id: int, params: dict[str, str]
) -> None:
    page = client.get(reverse("portal:search"), {"q": "招生", **params})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<mark>招生</mark>" in html and 'class="notice"' in html
    api = client.get(reverse("portal:api_search"), {"q": "招生", **params})
    assert api.status_code == 400
    assert api.json()["parameter"] in params and api.json()["error"]


def test_a_page_past_the_end_shows_the_last_page(client: Client, item_id: int) -> None:
    html = client.get(reverse("portal:search"), {"q": "招生", "page": "50"}).content
    assert "第 1 / 1 页" in html.decode()


def test_the_api_returns_the_total_and_each_hits_fields(
    client: Client, world: World, school: School, item_id: int
) -> None:
    answer = client.get(
        reverse("portal:api_search"), {"q": "招生", "page": "1", "page_size": "1000"}
    )
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    body = answer.json()
    assert {k: body[k] for k in ("query", "total", "page", "page_size")} == {
        "query": "招生",
        "total": 1,
        "page": 1,
        "page_size": 1000,
    }
    (hit,) = body["results"]
    assert hit["id"] == item_id and hit["external_id"] == ""
    assert hit["title"] == "关于2025年招生方案的通知"
    assert hit["unit"] == world.school_a.name and hit["column"] == school.column.name
    assert len(hit["date"]) == 10 and hit["url"].endswith(f"/items/{item_id}/")
    assert "报名时间" in hit["snippet"] and "<" not in hit["snippet"]


def test_the_api_pages_and_reports_an_empty_page_past_the_end(
    client: Client, school: School
) -> None:
    for n in range(3):
        publish(school, f"招生公告{n}")
    url = reverse("portal:api_search")
    first = client.get(url, {"q": "招生", "page_size": "2"}).json()
    second = client.get(url, {"q": "招生", "page_size": "2", "page": "2"}).json()
    assert first["total"] == 3 and first["num_pages"] == 2
    assert len(first["results"]) == 2 and len(second["results"]) == 1
    past = client.get(url, {"q": "招生", "page": "3", "page_size": "2"}).json()
    assert past["results"] == [] and past["total"] == 3


def test_the_api_needs_a_query_or_a_filter(client: Client, item_id: int) -> None:
    answer = client.get(reverse("portal:api_search"))
    assert answer.status_code == 400 and answer.json()["parameter"] == "q"
    browse = client.get(reverse("portal:api_search"), {"validity": "in_force"})
    assert browse.json()["total"] == 1


def test_the_api_accepts_only_get(client: Client) -> None:
    assert client.post(reverse("portal:api_search"), {"q": "招生"}).status_code == 405


def test_bytes_that_are_not_utf8_are_searched_as_replacement_characters(
    client: Client, item_id: int
) -> None:
    for raw in ("%ED%A0%80", "%FF%FE", "%E6%8B%9B%E7"):
        assert client.get(f"{reverse('portal:search')}?q={raw}").status_code == 200
        api = client.get(f"{reverse('portal:api_search')}?q={raw}")
        assert api.status_code == 200


def test_the_header_box_sends_its_query_to_the_search_page(db: None) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    html = render_to_string("search/_box.html", request=request)
    assert f'action="{reverse("portal:search")}"' in html and 'name="q"' in html
