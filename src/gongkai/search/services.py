"""Keeping the search index in step with the catalogue.

``index_item`` is called by the publishing services (publish, republish,
withdraw, change of validity) inside their own transaction, so the index row
commits or rolls back with the change it reflects and no task can be lost.
``rebuild_index`` (``gongkai search rebuild``) recomputes everything from the
items, e.g. after an import that bypassed publishing or a tokenizer change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from gongkai.catalogue.models import Item, ItemRevision
from gongkai.search.backends import current_backend
from gongkai.search.models import SearchDocument
from gongkai.search.tokens import IndexTokens, clean, fold, html_to_text, prepare

EPOCH = date(1970, 1, 1)


def _text_of(revision: ItemRevision) -> str:
    parts = [revision.summary, html_to_text(revision.body)]
    parts += [attachment.text for attachment in revision.attachments.all()]
    return "\n".join(part for part in parts if part)


def _published_at(item: Item) -> datetime:
    return item.published_at or item.created_at or timezone.now()


def index_item(item: Item) -> SearchDocument | None:
    """Make the index agree with ``item``: a public item's document is written
    from its published revision; any other item has none. Returns the document."""
    documents = _index_batch([item])
    return documents[0] if documents else None


def index_items(item_ids: Iterable[int], *, batch_size: int = 500) -> int:
    """``index_item`` for many items (e.g. after an import wrote them directly),
    locking and loading them a batch at a time. Call it inside the importing
    transaction. Returns how many are now indexed."""
    ids = sorted(set(item_ids))
    indexed = 0
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            batch = list(
                Item.objects.select_for_update()
                .filter(pk__in=ids[start : start + batch_size])
                .order_by("pk")
            )
            indexed += len(_index_batch(batch))
    return indexed


def _index_batch(items: list[Item]) -> list[SearchDocument]:
    """Replace the documents of ``items`` (delete, then write the public ones),
    atomically: alone, or inside the caller's transaction."""
    with transaction.atomic():
        return _replace_documents(items)


def _replace_documents(items: list[Item]) -> list[SearchDocument]:
    revisions = _revisions(
        [i.published_revision_id for i in items if i.published_revision_id]
    )
    SearchDocument.objects.filter(item__in=[i.pk for i in items]).delete()
    documents: list[SearchDocument] = []
    tokens: list[IndexTokens] = []
    for item in items:
        revision = revisions.get(item.published_revision_id or 0)
        if item.is_public and revision is not None:
            document, document_tokens = _document(item, revision)
            documents.append(document)
            tokens.append(document_tokens)
    if documents:
        current_backend().save(documents, tokens)
    return documents


def _revisions(ids: list[int]) -> dict[int, ItemRevision]:
    return {
        revision.pk: revision
        for revision in ItemRevision.objects.filter(pk__in=ids).prefetch_related(
            "attachments"
        )
    }


def _document(item: Item, revision: ItemRevision) -> tuple[SearchDocument, IndexTokens]:
    title = clean(revision.title)[:200]
    title_folded = fold(title)
    meta = clean(f"{revision.document_number} {item.index_number or ''}")[:300]
    meta_folded = fold(meta)
    prepared = prepare([title_folded, meta_folded], _text_of(revision))
    published_at = _published_at(item)
    local_day = timezone.localtime(published_at).date()
    document = SearchDocument(
        item=item,
        unit_id=item.unit_id,
        column_id=revision.column_id,
        kind_id=revision.kind_id,
        year=local_day.year,
        validity=item.validity,
        published_at=published_at,
        rank_day=(local_day - EPOCH).days,
        title=title,
        title_folded=title_folded,
        document_number=revision.document_number,
        index_number=item.index_number or "",
        external_id=item.external_id,
        meta_folded=meta_folded,
        text=prepared.text,
        folded=prepared.folded,
    )
    return document, prepared.tokens


def remove_item(item: Item) -> None:
    SearchDocument.objects.filter(item=item).delete()


@dataclass(frozen=True)
class RebuildReport:
    indexed: int
    removed: int


def rebuild_index(*, batch_size: int = 500) -> RebuildReport:
    """Recompute every document from the items. Each item is locked while it is
    indexed, so a concurrent publication waits instead of being overwritten with
    older content. On SQLite the whole rebuild is one transaction (the FTS table
    is emptied first); elsewhere each batch is its own, and searches keep
    working throughout."""
    backend = current_backend()
    if backend.rebuild_in_one_transaction:
        with transaction.atomic():
            backend.reset()
            report = _reindex_all(batch_size)
            optimise = getattr(backend, "optimise", None)
            if optimise is not None:
                optimise()
            return report
    return _reindex_all(batch_size)


def _reindex_all(batch_size: int) -> RebuildReport:
    removed = SearchDocument.objects.exclude(item__is_public=True).count()
    ids = list(Item.objects.order_by("pk").values_list("pk", flat=True))
    indexed = index_items(ids, batch_size=batch_size)
    return RebuildReport(indexed=indexed, removed=removed)


@dataclass(frozen=True)
class IndexStatus:
    backend: str
    documents: int
    public_items: int
    stale_rows: int


def index_status() -> IndexStatus:
    backend = current_backend()
    return IndexStatus(
        backend=backend.name,
        documents=SearchDocument.objects.count(),
        public_items=Item.objects.filter(is_public=True).count(),
        stale_rows=backend.stale_rows(),
    )
