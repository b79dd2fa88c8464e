"""Chinese full-text search of the public catalogue (站内检索).

Decision (DESIGN.md, "search"): text is cut into overlapping two-character
tokens, for CJK and for Latin letters and digits alike, plus single characters;
SQLite indexes them in FTS5, PostgreSQL in a GIN-indexed tsvector written from
the tokens themselves (no locale-dependent parser). The promise, tested on both
databases: for any query term, every public item whose title, 文号/索引号,
summary, body or attachment text contains it is found, and no other; several
terms (separated by spaces) must all occur.

Modules:

* ``tokens``: cleaning, folding (full-width, case), tokens, HTML to text.
* ``models``: ``SearchDocument``, one per public item; the vendor structures
  (FTS5 tables with a title column and row ids in publication order, tsvector
  columns) are created by migrations ``0002``–``0005``.
* ``backends``: the exact match per database (FTS5 phrases of bigrams; tsvector
  candidates confirmed by substring; a scanning fallback elsewhere).
* ``services``: ``index_item`` (called by publishing in its transaction),
  ``index_items``, ``rebuild_index``, ``index_status``.
* ``params``: query-string parsing and validation (lenient page, strict API).
* ``selectors``: ``search`` (ranking, exact 文号/索引号 lookup, snippets),
  ``matching_documents``; ``facets``: ``search_facets``. A page is answered by
  bounded walks of the index, newest first (the newest matches and the newest
  title matches hold the best scored), never by scoring every match; results
  are counted exactly up to 10,000 (``GONGKAI_SEARCH_COUNT_LIMIT``), beyond
  which the total is a lower bound ("10,000 条以上", ``total_relation: gte``),
  paging stops there and facet counts are those of the newest 10,000 matches.
* ``api``: ``search_api_payload``; ``views.public``: ``/search/`` and
  ``/api/search``; the command ``gongkai search rebuild|status``.

Limits: queries up to 200 characters and 10 terms; the first 100,000
characters of an item's text are indexed; pages of up to 50 results (HTML) or
1,000 (API), page numbers up to 10,000 (results beyond the count limit are
reached by narrowing, not by paging).
"""
