"""Public catalogue pages: column listings, the item page, attachments, feeds."""

from __future__ import annotations

import html

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.views.decorators.http import require_GET

from gongkai.accounts.models import Unit
from gongkai.accounts.selectors import site_unit
from gongkai.catalogue.models import Attachment, Column
from gongkai.catalogue.selectors import (
    interpretations_of,
    public_columns,
    public_items,
)
from gongkai.search.listing import column_page, latest, neighbours

PAGE_SIZE = 20
MAX_PAGE = 100_000


def page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), MAX_PAGE))
    except ValueError:
        return 1


@require_GET
def column(request: HttpRequest, slug: str) -> HttpResponse:
    unit = site_unit()
    if unit is None:
        raise Http404
    col = get_object_or_404(Column, unit=unit, slug=slug, is_visible=True)
    page = column_page(col, page_number(request))
    return render(
        request,
        "portal/column.html",
        {
            "column": col,
            "columns": list(public_columns(unit)),
            "title": col.name,
            "page": page,
        },
    )


@require_GET
def item(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(public_items(), pk=pk)
    revision = obj.published_revision
    assert revision is not None
    older, newer = neighbours(obj)
    unit = site_unit()
    return render(
        request,
        "portal/item.html",
        {
            "item": obj,
            "rev": revision,
            "title": revision.title,
            "column": revision.column,
            "columns": list(public_columns(unit)) if unit else [],
            "attachments": revision.attachments.all(),
            "interprets": revision.interprets
            if revision.interprets and revision.interprets.is_public
            else None,
            "interpretations": interpretations_of(obj),
            "older": older,
            "newer": newer,
        },
    )


@require_GET
def attachment(request: HttpRequest, pk: int, att: int) -> FileResponse:
    """Only attachments of the published revision of a public item are served."""
    obj = get_object_or_404(public_items(), pk=pk)
    file = get_object_or_404(Attachment, pk=att, revision=obj.published_revision)
    response = FileResponse(
        file.file.open("rb"),
        content_type=file.mime,
        as_attachment=True,
        filename=file.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _feed(
    request: HttpRequest,
    feed_class: type[SyndicationFeed],
    slug: str | None,
    org_code: str | None = None,
) -> HttpResponse:
    """The site's feed covers its unit and the units below it (the schools); a
    unit's feed (by organisation code) only that unit; a column's feed one column."""
    site = site_unit()
    if site is None:
        raise Http404
    unit = site
    own: Unit | None = None
    if org_code:
        unit = own = get_object_or_404(
            Unit, org_code=org_code, path__startswith=site.path
        )
    title = f"{unit.name} 政府信息公开"
    link = request.build_absolute_uri(reverse("portal:home"))
    col: Column | None = None
    if slug:
        col = get_object_or_404(Column, unit=unit, slug=slug, is_visible=True)
        title = f"{title} · {col.name}"
        link = request.build_absolute_uri(reverse("portal:column", args=[slug]))
    feed = feed_class(title=title, link=link, description=title, language="zh-cn")
    for obj in latest(scope=site, unit=own, column=col, count=50):
        rev = obj.published_revision
        assert rev is not None
        feed.add_item(
            title=rev.title,
            link=request.build_absolute_uri(reverse("portal:item", args=[obj.pk])),
            # Feeds carry the description as HTML (Atom says type="html"; readers
            # render RSS descriptions as HTML): the plain-text summary is escaped, so
            # a "<script>" typed into it stays text in a feed reader too.
            description=html.escape(rev.summary or rev.title),
            pubdate=obj.published_at,
            unique_id=obj.index_number or str(obj.pk),
            categories=[rev.column.name, rev.kind.name],
        )
    content_type = (
        "application/atom+xml" if feed_class is Atom1Feed else "application/rss+xml"
    )
    return HttpResponse(
        feed.writeString("utf-8"), content_type=f"{content_type}; charset=utf-8"
    )


@require_GET
def rss(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    return _feed(request, Rss201rev2Feed, slug)


@require_GET
def atom(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    return _feed(request, Atom1Feed, slug)


@require_GET
def unit_rss(request: HttpRequest, org_code: str) -> HttpResponse:
    return _feed(request, Rss201rev2Feed, None, org_code)


@require_GET
def unit_atom(request: HttpRequest, org_code: str) -> HttpResponse:
    return _feed(request, Atom1Feed, None, org_code)
