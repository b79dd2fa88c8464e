"""Real pages (``fixtures/README.md``): every piece of their text finds exactly
the items that contain it, compared with brute-force substring truth."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from gongkai.catalogue.models import Item
from gongkai.search.params import parse_params
from gongkai.search.selectors import matching_documents
from gongkai.search.tokens import normalise, query_terms
from tests.catalogue.conftest import School, draft
from tests.catalogue.test_workflow import publish_quickly
from tests.search.conftest import found

FIXTURES = Path(__file__).parent / "fixtures"
SEPARATOR = "==================== 正文 ===================="
DOCUMENT_NUMBERS = {"5915": "岚农发〔2016〕253号"}


@dataclass(frozen=True)
class Page:
    doc_id: str
    title: str
    body: str


def read_page(path: Path) -> Page:
    head, body = path.read_text(encoding="utf-8").split(SEPARATOR, 1)
    fields = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    return Page(doc_id=path.stem.split("_")[1], title=fields["标题"], body=body)


@pytest.fixture
def pages(school: School) -> dict[int, tuple[Page, str]]:
    """Item id → (page, the item's searchable text folded, for brute force)."""
    indexed: dict[int, tuple[Page, str]] = {}
    for path in sorted(FIXTURES.glob("pingtan_*.txt")):
        page = read_page(path)
        number = DOCUMENT_NUMBERS.get(page.doc_id, "")
        item = draft(
            school,
            page.title[:200],
            body=f"<p>{escape(page.body)}</p>",
            document_number=number,
        )
        Item.objects.filter(pk=item.pk).update(external_id=f"pingtan-{page.doc_id}")
        publish_quickly(school, item)
        item.refresh_from_db()
        fields = (page.title, page.body, f"{number} {item.index_number}")
        indexed[item.pk] = (page, "\n".join(normalise(f) for f in fields))
    return indexed


def matches(q: str) -> set[int]:
    params, _ = parse_params({"q": q}, strict=True)
    return set(matching_documents(params).values_list("item_id", flat=True))


def truth(pages: dict[int, tuple[Page, str]], q: str) -> set[int]:
    terms = query_terms(q)
    return {pk for pk, (_, text) in pages.items() if all(t in text for t in terms)}


def test_every_two_characters_of_real_pages_find_exactly_the_pages_containing_them(
    pages: dict[int, tuple[Page, str]],
) -> None:
    pieces = {
        text[i : i + 2] for _, text in pages.values() for i in range(len(text) - 1)
    }
    pieces = {p for p in pieces if not any(c.isspace() for c in p)}
    assert len(pieces) > 900
    for piece in sorted(pieces):
        assert matches(piece) == truth(pages, piece), piece


def test_longer_pieces_of_real_pages_match_brute_force_truth(
    pages: dict[int, tuple[Page, str]],
) -> None:
    rng = random.Random(2026)
    texts = [text for _, text in pages.values()]
    for _ in range(300):
        text = rng.choice(texts)
        size = rng.randint(3, 12)
        start = rng.randrange(len(text) - size)
        piece = text[start : start + size].strip()
        if piece:
            assert matches(piece) == truth(pages, piece), piece
    # Pieces glued from two pages exist in neither.
    assert matches("岚农发中本贯通") == set()


def test_the_inline_document_number_and_the_external_id_find_the_page(
    pages: dict[int, tuple[Page, str]],
) -> None:
    by_doc = {page.doc_id: pk for pk, (page, _) in pages.items()}
    assert found("岚农发[2016]253号")[0] == by_doc["5915"]
    assert found("pingtan-91981") == [by_doc["91981"]]
    assert found("地区生产总值") == [by_doc["37670"]]
    assert found("630.5") == [by_doc["91981"]]


def test_the_api_returns_the_external_id_of_an_imported_page(
    client: Client, pages: dict[int, tuple[Page, str]]
) -> None:
    body = client.get(reverse("portal:api_search"), {"q": "中本贯通"}).json()
    assert [hit["external_id"] for hit in body["results"]] == ["pingtan-91981"]
