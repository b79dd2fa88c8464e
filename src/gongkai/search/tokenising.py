"""Turning item content into index text and tokens, in this process or in a
second one.

Tokenising is pure Python and, for a large indexing run (an import, a
rebuild), about half of its cost; the other half is the database writing the
documents and their FTS or GIN entries. With ``GONGKAI_INDEX_PROCESSES`` (1 by
default on a machine with more than one core) a helper process tokenises the
next batch while this one writes the current batch, so the two halves overlap.
A thread would not help: tokenising holds the GIL. The helper runs only the
functions of ``gongkai.search.tokens`` (no Django, no database) and is started
with ``spawn``, so it inherits no database connection.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings

from gongkai.search.tokens import PreparedText, clean, fold, html_to_text, prepare

# Batches below this many are tokenised here: starting the helper costs more.
MIN_BATCHES = 3


@dataclass(frozen=True)
class Content:
    """What an item's document is made from, as stored."""

    title: str
    document_number: str
    index_number: str
    summary: str
    body: str  # sanitised HTML
    attachments: tuple[str, ...]


@dataclass(frozen=True)
class Tokenised:
    title: str
    title_folded: str
    meta_folded: str
    prepared: PreparedText


def tokenise(contents: list[Content], forms: tuple[str, ...]) -> list[Tokenised]:
    """The cleaned and folded fields and the tokens of each content, with the
    token ``forms`` the database's backend reads already computed."""
    out: list[Tokenised] = []
    for content in contents:
        title = clean(content.title)[:200]
        title_folded = fold(title)
        meta_folded = fold(
            clean(f"{content.document_number} {content.index_number}")[:300]
        )
        parts = [content.summary, html_to_text(content.body), *content.attachments]
        prepared = prepare(
            title_folded, meta_folded, "\n".join(part for part in parts if part)
        )
        for form in forms:
            getattr(prepared.tokens, form)
        out.append(Tokenised(title, title_folded, meta_folded, prepared))
    return out


Result = Callable[[], list[Tokenised]]


class Tokeniser:
    """``submit`` a batch, get back what gives its result: from the helper
    process when there is one, else computed here when asked for."""

    def __init__(self, forms: tuple[str, ...], executor: Executor | None) -> None:
        self.forms = forms
        self.executor = executor

    def submit(self, contents: list[Content]) -> Result:
        if self.executor is None:
            return lambda: tokenise(contents, self.forms)
        return self.executor.submit(tokenise, contents, self.forms).result


def helper_processes() -> int:
    configured = getattr(settings, "GONGKAI_INDEX_PROCESSES", None)
    if configured is not None:
        return max(0, int(configured))
    return 1 if (os.cpu_count() or 1) > 1 else 0


@contextmanager
def tokeniser(forms: tuple[str, ...], batches: int) -> Iterator[Tokeniser]:
    processes = helper_processes() if batches >= MIN_BATCHES else 0
    if not processes:
        yield Tokeniser(forms, None)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context) as executor:
        yield Tokeniser(forms, executor)
