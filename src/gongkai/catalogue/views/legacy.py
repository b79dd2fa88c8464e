"""Old addresses of imported items: a link to the old site's page (or a bare
legacy identifier under ``/legacy/``) is redirected for good to the item's page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from gongkai.catalogue.importing.addresses import item_for_address


@require_safe
def redirect_legacy(request: HttpRequest, old: str) -> HttpResponsePermanentRedirect:
    item = item_for_address(old, request.META.get("QUERY_STRING", ""))
    if item is None:
        raise Http404
    return HttpResponsePermanentRedirect(reverse("portal:item", args=[item.pk]))


@require_safe
def redirect_prefixed(
    request: HttpRequest, prefix: str, old: str
) -> HttpResponsePermanentRedirect:
    """An old address under a configured prefix, such as ``/zwgk/…`` once the old
    site's host name points at the portal."""
    return redirect_legacy(request, f"{prefix}{old}")
