"""Recovering table cells that ran together (``行政规范性文件693665``).

Published reports copied as plain text lose the cell boundaries of their tables.
The digits are split back into numbers with the table identities: each row of table
三 has 自然人 + five organisation columns = 总计, the columns balance
(新收 + 上年结转 = 总计 + 结转) and the result rows add up to 总计; each group of table
四 has 维持 + 纠正 + 其他 + 未审结 = 总计. When more than one split satisfies them the
caller is told (``ambiguous``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Final

from gongkai.law.report_template import COLUMNS

NUMBER_TOKEN: Final = re.compile(r"\d+")
MAX_COMBINATIONS: Final = 200_000


def tokens_of(segment: str) -> list[str]:
    """The digit runs of a cell segment; anything else separates cells."""
    return NUMBER_TOKEN.findall(segment)


def _valid(part: str) -> bool:
    return part == "0" or not part.startswith("0")


def _split_token(token: str, k: int) -> Iterator[tuple[int, ...]]:
    if k == 1:
        if _valid(token):
            yield (int(token),)
        return
    for i in range(1, len(token) - k + 2):
        head = token[:i]
        if _valid(head):
            for rest in _split_token(token[i:], k - 1):
                yield (int(head), *rest)


def splits(tokens: Sequence[str], n: int) -> Iterator[tuple[int, ...]]:
    """Every way to read ``tokens`` as exactly ``n`` numbers; a token holds one or more
    whole numbers and no number has a leading zero."""
    if not tokens:
        if n == 0:
            yield ()
        return
    head, rest = tokens[0], tokens[1:]
    most = min(len(head), n - len(rest))
    for k in range(1, most + 1):
        for first in _split_token(head, k):
            for others in splits(rest, n - k):
                yield (*first, *others)


def solutions(
    tokens: Sequence[str],
    n: int,
    accept: Callable[[tuple[int, ...]], bool],
    limit: int = 50,
) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = []
    for candidate in splits(tokens, n):
        if accept(candidate):
            out.append(candidate)
            if len(out) >= limit:
                break
    return out


def row_total_ok(values: tuple[int, ...]) -> bool:
    return sum(values[:-1]) == values[-1]


def table4_ok(values: tuple[int, ...]) -> bool:
    return all(sum(values[i : i + 4]) == values[i + 4] for i in range(0, 15, 5))


@dataclass
class TableSplit:
    rows: dict[str, list[int]] = field(default_factory=dict)
    ambiguous: list[str] = field(default_factory=list)  # row keys
    unreadable: list[str] = field(default_factory=list)  # row keys


def _columns_ok(rows: Mapping[str, Sequence[int]], results: Sequence[str]) -> bool:
    new, carried = rows.get("new_received"), rows.get("carried_over")
    total, forward = rows.get("total_processed"), rows.get("carried_forward")
    leaves = [rows[k] for k in results if k in rows]
    for i in range(len(COLUMNS)):
        if (
            new is not None
            and carried is not None
            and total is not None
            and forward is not None
            and new[i] + carried[i] != total[i] + forward[i]
        ):
            return False
        if total is not None and sum(r[i] for r in leaves) != total[i]:
            return False
    return True


def split_table3(
    segments: Mapping[str, Sequence[str]], results: Sequence[str]
) -> TableSplit:
    """Table 三 from each row's digit tokens, in the order given."""
    out = TableSplit()
    candidates: dict[str, list[tuple[int, ...]]] = {}
    for key, tokens in segments.items():
        found = solutions(tokens, len(COLUMNS), row_total_ok)
        if not found:
            # Without the row identity (a table that does not balance): only a
            # reading with one number per token is safe.
            found = [tuple(int(t) for t in tokens)] if len(tokens) == 7 else []
        if not found:
            out.unreadable.append(key)
        else:
            candidates[key] = found
    open_keys = [k for k, c in candidates.items() if len(c) > 1]
    fixed = {k: list(c[0]) for k, c in candidates.items() if len(c) == 1}
    size = 1
    for k in open_keys:
        size *= len(candidates[k])
    if not open_keys or size > MAX_COMBINATIONS:
        out.rows = {k: list(candidates[k][0]) for k in candidates}
        out.ambiguous = list(open_keys)
        return out
    good: list[dict[str, list[int]]] = []
    for combo in product(*(candidates[k] for k in open_keys)):
        trial = fixed | {k: list(v) for k, v in zip(open_keys, combo, strict=True)}
        if _columns_ok(trial, results):
            good.append(trial)
            if len(good) > 1:
                break
    if not good:
        out.rows = {k: list(candidates[k][0]) for k in candidates}
        out.ambiguous = list(open_keys)
        return out
    out.rows = {k: good[0][k] for k in candidates}
    if len(good) > 1:
        out.ambiguous = [k for k in open_keys if good[0][k] != good[1][k]]
    return out
