"""Old addresses of imported items. An imported item keeps its legacy identifier
in ``Item.external_id``: the path (and query) of its old URL when the source gave
a URL, else the identifier as given. A request for the old address is redirected
to the item's page."""

from __future__ import annotations

from urllib.parse import urlsplit

from gongkai.catalogue.models import Item

MAX_LENGTH = 200  # Item.external_id


def legacy_key(value: str) -> str:
    """What is stored as the external id: ``https://old.example.gov.cn/zwgk/a/t1_2.htm``
    becomes ``/zwgk/a/t1_2.htm``; anything that is not a URL stays as it is."""
    value = value.strip()
    if value.lower().startswith(("http://", "https://", "//")):
        parts = urlsplit(value)
        path = parts.path or "/"
        return f"{path}?{parts.query}" if parts.query else path
    return value


def address_candidates(path: str, query: str = "") -> list[str]:
    """The external ids an old address may have been stored under."""
    bare = path.strip("/")
    forms = [f"/{bare}", bare]
    if query:
        forms = [f"{form}?{query}" for form in forms] + forms
    return forms


def item_for_address(path: str, query: str = "") -> Item | None:
    """The public item that used to live at ``path``."""
    candidates = address_candidates(path, query)
    found = {
        item.external_id: item
        for item in Item.objects.filter(
            external_id__in=candidates, is_public=True
        ).order_by("pk")
    }
    return next((found[c] for c in candidates if c in found), None)
