"""The public pages' cache, emptied by every change the public can see.

A page is cached under its full address, the visitor's display mode (长者模式)
and the current *generation*, a counter in the database (``PageGeneration``).
Publishing, withdrawing, repealing or importing items (everything that passes
through the search index) and saving a unit, department, column, kind, item
or disclosure obligation move the generation on once their transaction
commits, so the next request renders afresh, in every web process, whichever
cache backend holds the pages (a process's memory by default, Redis when
``GONGKAI_CACHE_URL`` is set). Reading the generation is one primary-key
lookup per request, instead of the dozen queries of a page.

Only what every visitor sees alike is cached: GET and HEAD requests without a
session or messages cookie, answered 200 with no cookie set and no CSRF token
used. The entry also expires after ``GONGKAI_PAGE_CACHE_SECONDS`` (600 by
default; 0 turns the cache off), which bounds the damage if a process died
between a commit and its generation step.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

from gongkai.core.context_processors import ELDER_COOKIE
from gongkai.core.models import PageGeneration

View = Callable[..., HttpResponse]
HEADERS = ("Content-Type", "Content-Language", "Last-Modified", "Content-Disposition")
HIT_HEADER = "X-Page-Cache"


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


def page_cache_enabled() -> bool:
    return _timeout() > 0


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and page_cache_enabled()
    )


def _key(request: HttpRequest, current: int) -> str:
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    elder = "e" if request.COOKIES.get(ELDER_COOKIE) == "1" else "n"
    return f"page:{current}:{elder}:{address}"


def cached_public_page(view: View) -> View:
    """Serve ``view``'s page from the cache while nothing public changed."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request, generation())
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response[HIT_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            headers = {h: response[h] for h in HEADERS if response.has_header(h)}
            cache.set(key, (response.content, headers), _timeout())
            response[HIT_HEADER] = "miss"
        return response

    return wrapper
