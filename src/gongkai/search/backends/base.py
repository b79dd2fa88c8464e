"""The scanning backend, and the interface the indexed backends refine."""

from __future__ import annotations

from django.db.models import Q

from gongkai.search.models import SearchDocument
from gongkai.search.tokens import IndexTokens


def contains(term: str) -> Q:
    """The exact test: ``term`` (folded) is a substring of a searched field.
    Fields are checked one by one, as a term never spans two of them."""
    return (
        Q(title_folded__contains=term)
        | Q(meta_folded__contains=term)
        | Q(folded__contains=term)
    )


class SearchBackend:
    """No index: every term is checked against the folded fields."""

    name = "scan"
    # Whether ``rebuild`` must run as one transaction (the index is emptied first).
    rebuild_in_one_transaction = False

    def save(self, documents: list[SearchDocument], tokens: list[IndexTokens]) -> None:
        """Insert new documents (their items have none) with their tokens."""
        SearchDocument.objects.bulk_create(documents)

    def reset(self) -> None:
        """Empty the vendor structure before a rebuild."""

    def stale_rows(self) -> int:
        return 0

    def candidates(self, terms: list[str]) -> Q:
        return Q()

    def needs_check(self, term: str) -> bool:
        return True

    def condition(self, terms: list[str]) -> Q:
        """Documents that contain every term (AND of exact substring matches)."""
        condition = self.candidates(terms)
        for term in terms:
            if self.needs_check(term):
                condition &= contains(term)
        return condition
