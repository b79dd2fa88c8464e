"""The public pages' cache, emptied by every change the public can see.

A page is cached under its full address and the visitor's display mode
(长者模式), together with the *generation* it was rendered at: a counter in the
database (``PageGeneration``). Publishing, withdrawing, repealing or importing
items (everything that passes through the search index) and saving a unit,
department, column, kind, item or disclosure obligation move the generation on
once their transaction commits, so the next request renders afresh, in every
web process, whichever cache backend holds the pages (a process's memory by
default, Redis when ``GONGKAI_CACHE_URL`` is set). A page of an older
generation is never served: a withdrawn item is gone from the next response.
Reading the generation is one primary-key lookup per request, instead of the
dozen queries of a page.

Only what every visitor sees alike is cached: GET and HEAD requests without a
session or messages cookie, answered 200 with no cookie set and no CSRF token
used. A page of the current generation is also re-rendered after
``GONGKAI_PAGE_CACHE_SECONDS`` (600 by default, less a random quarter so that
pages cached together are not due together; 0 turns the cache off), which bounds
the damage if a process died between a commit and its generation step. Such a
page is not out of date (its generation is current), so until
``GONGKAI_PAGE_CACHE_GRACE_SECONDS`` later (3,600 by default) it is still
served, marked ``stale``, while one thread per web process re-renders the due
pages one after another (a lock in the cache keeps processes from rendering the
same page twice). A slow page (a search for a common phrase) is thus never
rendered by many requests at once, and visitors never wait for a re-rendering.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse

from gongkai.core.context_processors import ELDER_COOKIE
from gongkai.core.models import PageGeneration

View = Callable[..., HttpResponse]
HEADERS = ("Content-Type", "Content-Language", "Last-Modified", "Content-Disposition")
HIT_HEADER = "X-Page-Cache"
# How long one process may hold a page's re-rendering before another may take it.
RENDER_LOCK_SECONDS = 60
logger = logging.getLogger(__name__)
# (generation, fresh until (Unix time), content, headers)
Entry = tuple[int, float, bytes, dict[str, str]]


def generation() -> int:
    value = PageGeneration.objects.filter(pk=1).values_list("value", flat=True).first()
    return value or 0


def advance() -> None:
    """Move the generation on now (every cached page is then out of date)."""
    if not PageGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        PageGeneration.objects.get_or_create(pk=1, defaults={"value": 1})


def advance_on_commit() -> None:
    """Move the generation on when the current transaction commits (at once
    outside one): pages rendered before the commit are then never served
    again, and no lock is held on the counter inside the transaction."""
    transaction.on_commit(advance)


def _changed(sender: type[Model], **kwargs: Any) -> None:
    advance_on_commit()


def watch(*models: type[Model]) -> None:
    """Saving or deleting any of ``models`` empties the page cache."""
    for model in models:
        post_save.connect(_changed, sender=model, dispatch_uid=f"pagecache-{model}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"pagecache-d-{model}")


def _timeout() -> int:
    return int(getattr(settings, "GONGKAI_PAGE_CACHE_SECONDS", 600))


def _grace() -> int:
    return max(0, int(getattr(settings, "GONGKAI_PAGE_CACHE_GRACE_SECONDS", 3600)))


def page_cache_enabled() -> bool:
    return _timeout() > 0


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and page_cache_enabled()
    )


def _key(request: HttpRequest) -> str:
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    elder = "e" if request.COOKIES.get(ELDER_COOKIE) == "1" else "n"
    return f"page:{elder}:{address}"


def _lock_key(key: str) -> str:
    """Held (``cache.add``) by the process re-rendering the page under ``key``."""
    return f"{key}:rendering"


class _Refresher:
    """The thread that re-renders a process's due pages, one at a time (the
    executor is made on first use, so a forked web worker makes its own). At
    most ``QUEUE`` pages wait; a page due beyond that stays stale until a later
    visit finds room."""

    QUEUE = 64

    def __init__(self) -> None:
        self._executor: Executor | None = None
        self._lock = threading.Lock()
        self._waiting = 0

    def full(self) -> bool:
        return self._waiting >= self.QUEUE

    def submit(self, work: Callable[[], None]) -> Future[None]:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="page-refresh"
                )
            self._waiting += 1
            executor = self._executor
        return executor.submit(self._run, work)

    def _run(self, work: Callable[[], None]) -> None:
        try:
            work()
        finally:
            with self._lock:
                self._waiting -= 1
            # This thread's own database connections (they are per thread).
            connections.close_all()


refresher = _Refresher()


def _respond(entry: Entry, state: str) -> HttpResponse:
    _, _, content, headers = entry
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    response[HIT_HEADER] = state
    return response


def _store(
    request: HttpRequest, response: HttpResponse, key: str, current: int
) -> bool:
    """Keep ``response`` if every visitor would get it alike; whether kept."""
    if not (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    ):
        return False
    if isinstance(response, SimpleTemplateResponse):
        # Rendered by the handler after the view returns, so not yet (the
        # sitemaps); rendering it here is what the handler would do.
        response.render()
    fresh = _timeout() * random.uniform(0.75, 1.0)
    headers = {h: response[h] for h in HEADERS if response.has_header(h)}
    entry: Entry = (current, time.time() + fresh, response.content, headers)
    cache.set(key, entry, round(fresh) + _grace())
    return True


def _detached(request: HttpRequest) -> HttpRequest:
    """A copy of ``request`` for the refresher: the view may mark its META
    (a CSRF cookie to set) while this request's response is on its way."""
    twin = copy.copy(request)
    twin.META = dict(request.META)
    return twin


def _refresh(view: View, request: HttpRequest, args: Any, kwargs: Any) -> None:
    key = _key(request)
    try:
        current = generation()
        response = view(request, *args, **kwargs)
        _store(request, response, key, current)
    except Exception:
        logger.exception("re-rendering the cached page %s failed", request.path)
    finally:
        cache.delete(_lock_key(key))


def cached_public_page(view: View) -> View:
    """Serve ``view``'s page from the cache while nothing public changed."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        current = generation()
        entry: Entry | None = cache.get(key)
        if entry is not None and entry[0] == current:
            if time.time() < entry[1]:
                return _respond(entry, "hit")
            if (
                request.method == "GET"
                and not refresher.full()
                and cache.add(_lock_key(key), 1, RENDER_LOCK_SECONDS)
            ):
                twin = _detached(request)
                refresher.submit(lambda: _refresh(view, twin, args, kwargs))
            return _respond(entry, "stale")
        response = view(request, *args, **kwargs)
        if _store(request, response, key, current):
            response[HIT_HEADER] = "miss"
        return response

    wrapper.cached_public_page = True  # type: ignore[attr-defined]
    return wrapper
