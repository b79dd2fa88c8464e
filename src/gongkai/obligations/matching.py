"""Suggesting the obligation an item fulfils, from its column, kind and title.

A plain score, explainable to the author who confirms it: the 二级事项 or a keyword
in the title weighs most, the kind named in the obligation next (政策解读 →
相关政策解读), then shared two-character words of the title and the column with the
obligation's wording."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

NAME_IN_TITLE = 6
KEYWORD_IN_TITLE = 3
KIND_MATCH = 4
SHARED_WORD = 1
MAX_SHARED = 4
_SPLIT = re.compile(r"[、,，;；\s]+")
# Two-character words too common in titles to tell obligations apart.
_STOP = frozenset(
    {"关于", "工作", "通知", "公告", "公示", "年度", "我区", "本区", "学校"}
)


class Candidate(Protocol):
    category: str
    name: str
    elements: str
    keywords: str


@dataclass(frozen=True)
class Suggestion:
    score: int
    reasons: tuple[str, ...]


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fff]", " ", text)
    return {
        text[i : i + 2]
        for i in range(len(text) - 1)
        if " " not in text[i : i + 2] and text[i : i + 2] not in _STOP
    }


def score(candidate: Candidate, *, title: str, column: str, kind: str) -> Suggestion:
    points, reasons = 0, []
    if candidate.name and candidate.name in title:
        points += NAME_IN_TITLE
        reasons.append(f"名称含“{candidate.name}”")
    keywords = [w for w in _SPLIT.split(candidate.keywords) if w]
    hits = [w for w in keywords if w in title and w != candidate.name]
    if hits:
        points += KEYWORD_IN_TITLE * len(hits)
        reasons.append(f"关键词“{'、'.join(hits)}”")
    wording = f"{candidate.category}{candidate.name}{candidate.keywords}"
    if kind and (kind in wording or kind.removeprefix("行政") in wording):
        points += KIND_MATCH
        reasons.append(f"类别“{kind}”")
    shared = _bigrams(title) & _bigrams(f"{wording}{candidate.elements}")
    shared |= _bigrams(column) & _bigrams(candidate.category)
    if shared:
        points += SHARED_WORD * min(len(shared), MAX_SHARED)
        reasons.append(f"相同词语“{'、'.join(sorted(shared)[:MAX_SHARED])}”")
    return Suggestion(points, tuple(reasons))
