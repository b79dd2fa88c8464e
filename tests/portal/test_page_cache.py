"""The public pages' cache: a page is rendered once and served from the cache
until something the public sees changes and commits; then every page is
rendered afresh, the change included."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from gongkai.catalogue.models import Item
from gongkai.catalogue.services import publishing
from gongkai.catalogue.services.columns import create_column
from gongkai.core import pagecache
from gongkai.core.context_processors import ELDER_COOKIE
from gongkai.core.demo import load_demo
from gongkai.core.pagecache import HIT_HEADER, generation
from tests.catalogue.conftest import School, draft, staff_for
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World

Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture(autouse=True)
def _page_cache(settings: Any) -> Iterator[None]:
    settings.GONGKAI_PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bureau(world: World) -> School:
    return staff_for(world.bureau, "pc")


def get(client: Client, url: str, **extra: Any) -> tuple[str, str]:
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.get(HIT_HEADER, ""), response.content.decode()


def test_a_public_page_is_rendered_once_then_served_from_the_cache(
    bureau: School, client: Client
) -> None:
    first, page = get(client, "/")
    assert first == "miss"
    with CaptureQueriesContext(connection) as queries:
        second, again = get(client, "/")
    assert second == "hit" and again == page
    assert len(queries) == 1  # the generation, instead of the page's queries


def test_publishing_empties_the_cache_when_it_commits(
    bureau: School, client: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    pages = ["/", reverse("portal:catalogue"), "/search/?q=招生", "/feeds/rss.xml"]
    for url in pages:
        get(client, url)
    item = draft(bureau, "二〇二六年秋季招生公告")
    with django_capture_on_commit_callbacks(execute=True):
        publish_quickly(bureau, item)
    for url in pages:
        state, page = get(client, url)
        assert state == "miss" and "二〇二六年秋季" in page, url
    with django_capture_on_commit_callbacks(execute=True):
        publishing.withdraw(actor=bureau.signer, item=item, reason="重复发布")
    for url in pages:
        assert "二〇二六年秋季" not in get(client, url)[1], url


def test_a_change_that_does_not_commit_leaves_the_cache_alone(
    bureau: School, client: Client
) -> None:
    get(client, "/")
    before = generation()
    with transaction.atomic():
        publish_quickly(bureau, draft(bureau, "未提交的通知"))
        transaction.set_rollback(True)
    assert generation() == before and get(client, "/")[0] == "hit"


def test_a_new_column_empties_the_cache(
    world: World,
    bureau: School,
    client: Client,
    django_capture_on_commit_callbacks: Commit,
) -> None:
    get(client, "/")
    with django_capture_on_commit_callbacks(execute=True):
        create_column(actor=None, unit=world.bureau, name="新设栏目", slug="xinshe")
    state, page = get(client, "/")
    assert state == "miss" and "新设栏目" in page


def test_elder_mode_and_normal_pages_are_cached_apart(
    bureau: School, client: Client
) -> None:
    normal = get(client, "/")[1]
    client.cookies[ELDER_COOKIE] = "1"
    state, elder = get(client, "/")
    assert state == "miss" and elder != normal
    assert get(client, "/")[0] == "hit"


def test_signed_in_visitors_errors_and_forms_are_never_cached(
    bureau: School, client: Client
) -> None:
    client.force_login(bureau.author)
    assert get(client, "/")[0] == ""  # a session: rendered for this visitor
    client.logout()
    client.cookies.pop("sessionid", None)
    assert client.get("/items/999999/").status_code == 404
    assert HIT_HEADER not in client.get("/items/999999/")
    assert HIT_HEADER not in client.get(reverse("portal:apply"))
    assert client.head("/").status_code == 200


def test_listing_counts_are_kept_until_a_public_change_commits(
    bureau: School, client: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        publish_quickly(bureau, draft(bureau, "第一条通知"))
    assert "共 1 条" in get(client, "/catalogue/?page=2")[1]
    with CaptureQueriesContext(connection) as queries:
        assert "共 1 条" in get(client, "/catalogue/?page=3")[1]
    assert not any("COUNT(" in q["sql"] for q in queries.captured_queries)
    with django_capture_on_commit_callbacks(execute=True):
        publish_quickly(bureau, draft(bureau, "第二条通知"))
    assert "共 2 条" in get(client, "/catalogue/?page=3")[1]


class Recorder:
    """Stands in for the refresher thread: keeps the work to run it when the
    test says."""

    def __init__(self) -> None:
        self.work: list[Callable[[], None]] = []

    def submit(self, work: Callable[[], None]) -> None:
        self.work.append(work)

    def full(self) -> bool:
        return False

    def run(self) -> None:
        while self.work:
            self.work.pop(0)()


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(pagecache, "refresher", recorder)
    return recorder


def test_a_due_page_of_the_current_generation_is_served_stale_while_one_renders_it(
    bureau: School, client: Client, recorder: Recorder
) -> None:
    page = get(client, "/")[1]
    with time_machine.travel(timezone.now() + timedelta(seconds=601), tick=False):
        assert get(client, "/") == ("stale", page)
        assert get(client, "/") == ("stale", page)
        assert len(recorder.work) == 1  # one re-rendering, however many visitors
        recorder.run()
        assert get(client, "/") == ("hit", page)


def test_a_page_rendered_before_a_public_change_is_never_served_even_stale(
    bureau: School,
    client: Client,
    recorder: Recorder,
    django_capture_on_commit_callbacks: Commit,
) -> None:
    get(client, "/")
    get(client, "/search/?q=招生")
    item = draft(bureau, "二〇二六年秋季招生公告")
    with django_capture_on_commit_callbacks(execute=True):
        publish_quickly(bureau, item)
    with time_machine.travel(timezone.now() + timedelta(seconds=601), tick=False):
        for url in ("/", "/search/?q=招生"):
            state, page = get(client, url)
            assert state == "miss" and "二〇二六年秋季" in page, url
    assert recorder.work == []


def test_a_page_past_its_grace_period_is_rendered_for_its_visitor(
    bureau: School, client: Client, recorder: Recorder, settings: Any
) -> None:
    settings.GONGKAI_PAGE_CACHE_GRACE_SECONDS = 60
    get(client, "/")
    with time_machine.travel(timezone.now() + timedelta(seconds=661), tick=False):
        assert get(client, "/")[0] == "miss"
    assert recorder.work == []


def test_pages_cached_together_are_due_at_different_times(
    bureau: School, client: Client
) -> None:
    urls = [f"/search/?q=通知{n}" for n in range(12)]
    before = time.time()
    for url in urls:
        get(client, url)
    due = [
        cache.get(pagecache._key(client.get(url).wsgi_request))[1] - before
        for url in urls
    ]
    assert all(449 <= seconds <= 601 for seconds in due)
    assert len({round(seconds) for seconds in due}) > 1


def test_head_requests_are_answered_stale_without_rendering_again(
    bureau: School, client: Client, recorder: Recorder
) -> None:
    get(client, "/")
    with time_machine.travel(timezone.now() + timedelta(seconds=601), tick=False):
        response = client.head("/")
        assert response.status_code == 200 and response[HIT_HEADER] == "stale"
    assert recorder.work == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_refresher_thread_renders_the_page_again_and_lets_the_next_one_go(
    world: World, client: Client
) -> None:
    get(client, "/")
    with time_machine.travel(timezone.now() + timedelta(seconds=601), tick=True):
        assert get(client, "/")[0] == "stale"
        for _ in range(200):
            if get(client, "/")[0] == "hit":
                break
            time.sleep(0.05)
        else:
            pytest.fail("the refresher thread did not store the page again")
    key = pagecache._key(client.get("/").wsgi_request)
    assert cache.get(f"{key}:rendering") is None


def test_a_failed_re_rendering_is_logged_and_the_page_stays_stale(
    bureau: School,
    client: Client,
    recorder: Recorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(request: Any) -> Any:
        raise RuntimeError("数据库不可用")

    get(client, "/")
    key = pagecache._key(client.get("/").wsgi_request)
    request = client.get("/").wsgi_request
    with time_machine.travel(timezone.now() + timedelta(seconds=601), tick=False):
        assert get(client, "/")[0] == "stale"
        recorder.work.clear()
        pagecache._refresh(broken, request, (), {})
        assert "re-rendering the cached page / failed" in caplog.text
        assert cache.get(f"{key}:rendering") is None  # the next visitor retries
        assert get(client, "/")[0] == "stale" and len(recorder.work) == 1


def test_a_due_page_stays_stale_while_the_refresher_queue_is_full(
    bureau: School, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    refresher = pagecache._Refresher()
    monkeypatch.setattr(pagecache, "refresher", refresher)
    monkeypatch.setattr(refresher, "_waiting", refresher.QUEUE)
    get(client, "/")
    key = pagecache._key(client.get("/").wsgi_request)
    with time_machine.travel(timezone.now() + timedelta(seconds=601), tick=False):
        assert get(client, "/")[0] == "stale"
    assert cache.get(f"{key}:rendering") is None  # left for a later visit


def _cached_routes(patterns: list[Any], namespace: str = "") -> list[str]:
    """The names of every route whose view is wrapped by the page cache."""
    names: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            names += _cached_routes(pattern.url_patterns, inner)
        elif getattr(pattern.callback, "cached_public_page", False):
            names.append(f"{namespace}{pattern.name}")
    return names


def test_every_cached_public_page_is_served_then_served_from_the_cache(
    db: None, client: Client
) -> None:
    """Each route behind the cache, the sitemaps (whose views return responses
    that are rendered later) and feeds included, with the demo's data."""
    load_demo()
    item = Item.objects.filter(is_public=True).order_by("pk").first()
    assert item is not None and item.published_revision is not None
    column = item.published_revision.column
    kwargs: dict[str, dict[str, Any]] = {
        "portal:item": {"pk": item.pk},
        "portal:column": {"slug": column.slug},
        "portal:column_rss": {"slug": column.slug},
        "portal:column_atom": {"slug": column.slug},
        "portal:unit_rss": {"org_code": item.unit.org_code},
        "portal:unit_atom": {"org_code": item.unit.org_code},
        "portal:sitemap_section": {"section": "items"},
        "portal:obligation_unit": {"pk": item.unit_id},
    }
    names = _cached_routes(get_resolver().url_patterns)
    assert {"portal:sitemap", "portal:sitemap_section", "portal:rss"} <= set(names)
    assert set(kwargs) <= set(names)
    for name in names:
        url = reverse(name, kwargs=kwargs.get(name, {}))
        if name in {"portal:search", "portal:api_search"}:
            url += "?q=招生"
        first = client.get(url)
        assert (first.status_code, first.get(HIT_HEADER)) == (200, "miss"), url
        second = client.get(url)
        assert second.get(HIT_HEADER) == "hit", url
        assert second.content == first.content, url
