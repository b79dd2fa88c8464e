"""The search index: one ``SearchDocument`` per public item.

The row holds what a results page shows and filters on (unit, column, kind,
year, validity, date, title, 文号, 索引号, external id), the cleaned text with its
folded twin (``gongkai.search.tokens``), and a link to the vendor's full-text
structure, which the migrations create outside the ORM:

* SQLite: the contentless FTS5 tables ``search_fts(title, bigrams)``,
  ``search_fts_chars(title, chars)`` and ``search_fts_titles(title)``, joined
  through ``fts_rowid``. SQLite 3.40 cannot
  delete from a contentless table, so a rewritten document gets new FTS rows and
  its old rows are left unreferenced (never matched, because the join goes
  through ``fts_rowid``); ``gongkai search rebuild`` clears them.
* PostgreSQL: the column ``tsv tsvector`` on this table with a GIN index,
  written from the tokens with ``array_to_tsvector`` (no text-search parser).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from gongkai.catalogue.models import Validity


class SearchDocument(models.Model):
    item = models.OneToOneField(
        "catalogue.Item", on_delete=models.CASCADE, related_name="search_document"
    )
    # unit and column lead the composite indexes below, which serve as theirs.
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    column = models.ForeignKey(
        "catalogue.Column", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.ForeignKey(
        "catalogue.Kind", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    validity = models.CharField(max_length=16, choices=Validity, db_index=True)
    # 主题分类 and 体裁分类, for the 公开目录's facets.
    topic = models.CharField(max_length=60, blank=True)
    genre = models.CharField(max_length=60, blank=True)
    published_at = models.DateTimeField()
    # Days since 1970-01-01 (local date of publication): the recency part of the
    # relevance score, plain integer arithmetic on both databases.
    rank_day = models.IntegerField()
    title = models.CharField(max_length=200)
    title_folded = models.CharField(max_length=200)
    document_number = models.CharField(max_length=100, blank=True, db_index=True)
    index_number = models.CharField(max_length=64, db_index=True)
    external_id = models.CharField(max_length=200, blank=True, db_index=True)
    # 文号 and 索引号 folded, for substring checks over the same fields the tokens
    # cover.
    meta_folded = models.CharField(max_length=300, blank=True)
    fts_rowid = models.BigIntegerField(null=True, blank=True, unique=True)
    indexed_at = models.DateTimeField(auto_now=True)
    # Summary, body and attachment text, cleaned and capped; ``folded`` has the
    # same length, so offsets found in one apply to the other.
    text = models.TextField(blank=True)
    folded = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["-published_at", "-id"]
        # The public listings (columns, 公开目录, previous/next) read these rows
        # newest first, within a column, a unit or a year: each order has its
        # index, so a page is an index range, whatever the number of items.
        indexes: ClassVar = [
            models.Index(fields=["-published_at", "-id"], name="search_doc_recent"),
            models.Index(
                fields=["column", "-published_at", "-id"], name="search_doc_column"
            ),
            models.Index(
                fields=["unit", "-published_at", "-id"], name="search_doc_unit"
            ),
            models.Index(
                fields=["year", "-published_at", "-id"], name="search_doc_year"
            ),
        ]
        verbose_name = "检索文档"
        verbose_name_plural = "检索文档"

    def __str__(self) -> str:
        return self.title


class FacetCount(models.Model):
    """How many public documents share one combination of the 公开目录's facet
    values: the catalogue's facet counts and totals are sums over these rows
    (thousands) instead of counts over the documents (a million). Kept by the
    indexing services in the same transaction as the documents; ``rebuild``
    recomputes them."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    column = models.ForeignKey(
        "catalogue.Column", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.ForeignKey(
        "catalogue.Kind", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    topic = models.CharField(max_length=60, blank=True)
    genre = models.CharField(max_length=60, blank=True)
    year = models.PositiveSmallIntegerField()
    documents = models.IntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["unit", "column", "kind", "topic", "genre", "year"],
                name="search_facet_combination",
            )
        ]
        verbose_name = "目录分面计数"
        verbose_name_plural = "目录分面计数"

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.column_id}/{self.year}: {self.documents}"
