"""Queries drawn from the indexed corpus, their latency, and their recall and
precision against brute-force substring truth over the stored folded text."""

from __future__ import annotations

import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from gongkai.search.api import search_api_payload
from gongkai.search.backends.base import count_limit
from gongkai.search.facets import search_facets
from gongkai.search.models import SearchDocument
from gongkai.search.params import API_PAGE_MAX_SIZE, parse_params
from gongkai.search.selectors import (
    TITLE_BONUS_DAYS,
    matching_documents,
    search,
)
from gongkai.search.tokens import query_terms

# item id, title, 文号/索引号, text (all folded), day of publication
Doc = tuple[int, str, str, str, int]


def _timed(function: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function()
    return result, (time.perf_counter() - started) * 1000


def _piece(rng: random.Random, docs: list[Doc], size: int) -> str:
    while True:
        _, title, _, text, _ = rng.choice(docs)
        source = title if rng.random() < 0.3 else text
        if len(source) <= size:
            continue
        start = rng.randrange(len(source) - size)
        piece = source[start : start + size]
        if " " not in piece:
            return piece


def queries(docs: list[Doc], count: int, seed: int) -> list[tuple[str, str]]:
    """(class, query): pieces of 1–8 characters, two pieces together, pieces
    that straddle two documents (mostly absent), 文号 in [] style and 索引号."""
    rng = random.Random(seed)
    numbers = [d[2].split(" ")[0] for d in docs if d[2].count(" ") == 1][:5000]
    plan: list[tuple[str, Callable[[], str]]] = [
        ("1 char", lambda: _piece(rng, docs, 1)),
        ("2 chars", lambda: _piece(rng, docs, 2)),
        ("3 chars", lambda: _piece(rng, docs, 3)),
        ("4 chars", lambda: _piece(rng, docs, 4)),
        ("6 chars", lambda: _piece(rng, docs, 6)),
        ("8 chars", lambda: _piece(rng, docs, 8)),
        ("2 terms", lambda: f"{_piece(rng, docs, 2)} {_piece(rng, docs, 3)}"),
        ("glued", lambda: _piece(rng, docs, 2) + _piece(rng, docs, 3)),
        ("文号", lambda: rng.choice(numbers).replace("〔", "[").replace("〕", "]")),
        ("索引号", lambda: rng.choice(docs)[2].split(" ")[-1]),
    ]
    return [(plan[i % len(plan)][0], plan[i % len(plan)][1]()) for i in range(count)]


def truth(docs: list[Doc], q: str) -> dict[int, int]:
    """Item id → relevance score of every document containing the query."""
    terms = query_terms(q)
    return {
        pk: day + TITLE_BONUS_DAYS * all(t in title for t in terms)
        for pk, title, meta, text, day in docs
        if all(t in title or t in meta or t in text for t in terms)
    }


def measure(count: int, seed: int) -> None:
    docs: list[Doc] = list(
        SearchDocument.objects.order_by("pk").values_list(
            "item_id", "title_folded", "meta_folded", "folded", "rank_day"
        )
    )
    print(f"documents: {len(docs)}, text characters: {sum(len(d[3]) for d in docs):,}")
    # (ms, true matches, correct matches found, matches found)
    rows: dict[str, list[tuple[float, int, int, int]]] = defaultdict(list)
    limit = count_limit()
    wrong: list[str] = []
    phrase_ms: dict[bool, list[float]] = defaultdict(list)  # by "has 2+ digits"
    for kind, q in queries(docs, count, seed):
        params, _ = parse_params({"q": q}, strict=True)
        results, page_ms = _timed(lambda: search(params))  # noqa: B023
        if kind not in {"1 char", "2 chars", "文号", "索引号"}:
            phrase_ms[sum(c.isdigit() for c in q) >= 2].append(page_ms)
        if kind in {"文号", "索引号"}:
            ok = bool(results.hits) and results.hits[0].exact
            rows[kind].append((page_ms, results.total, int(ok), int(ok)))
            if not ok:
                wrong.append(f"{kind} {q}: not first")
            continue
        got = set(matching_documents(params).values_list("item_id", flat=True))
        scores = truth(docs, q)
        expected = set(scores)
        rows[kind].append((page_ms, len(expected), len(got & expected), len(got)))
        counted = (min(len(expected), limit), len(expected) > limit)
        if got != expected or (results.total, results.more) != counted:
            wrong.append(f"{kind} {q!r}: {len(got)} found, {len(expected)} true")
        # The first page holds the best scores (ties in any order).
        best = sorted(scores.values(), reverse=True)[: params.page_size]
        if [scores.get(h.document.item_id) for h in results.hits] != best:
            wrong.append(f"{kind} {q!r}: first page not the best scored")
    print()
    print("class    queries  mean hits  p50 ms  p95 ms  max ms  recall  precision")
    for kind, values in rows.items():
        ms = [v[0] for v in values]
        hits = statistics.mean(v[1] for v in values)
        if kind in {"文号", "索引号"}:
            recall = precision = sum(v[2] for v in values) / len(values)
        else:
            true = sum(v[1] for v in values) or 1
            found = sum(v[3] for v in values) or 1
            recall = sum(v[2] for v in values) / true
            precision = sum(v[2] for v in values) / found
        print(
            f"{kind:8} {len(values):7} {hits:10.0f} {statistics.median(ms):7.1f} "
            f"{_p95(ms):7.1f} {max(ms):7.1f} {recall:7.3f} {precision:10.3f}"
        )
    for digits, ms in sorted(phrase_ms.items()):
        print(
            f"phrases and term pairs {'with 2+' if digits else 'without'} digits: "
            f"{len(ms)} queries, p50 {statistics.median(ms):.1f} ms, "
            f"p95 {_p95(ms):.1f} ms"
        )
    print(f"mismatches: {len(wrong)}", *wrong[:10], sep="\n  ")
    _extras(docs, seed)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def _extras(docs: list[Doc], seed: int) -> None:
    rng = random.Random(seed + 1)
    sample = [_piece(rng, docs, 2) for _ in range(20)]
    facet_ms = []
    api_ms = []
    for q in sample:
        params, _ = parse_params({"q": q}, strict=True)
        facet_ms.append(_timed(lambda: search_facets(params, []))[1])  # noqa: B023
        api_ms.append(
            _timed(
                lambda: search_api_payload(
                    {"q": q, "page_size": API_PAGE_MAX_SIZE}  # noqa: B023
                )
            )[1]
        )
    print(
        f"facets (5 counts, 2-char queries): p50 {statistics.median(facet_ms):.0f} ms, "
        f"max {max(facet_ms):.0f} ms"
    )
    print(
        f"API page of 1,000 (2-char queries): p50 {statistics.median(api_ms):.0f} ms, "
        f"max {max(api_ms):.0f} ms"
    )
