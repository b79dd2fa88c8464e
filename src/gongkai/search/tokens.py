"""Text to search tokens, the same way for documents and for queries.

1. ``clean``: format characters (Cf: zero-width space, BOM, soft hyphen) are
   dropped; control, surrogate and whitespace characters become a space; runs of
   spaces collapse to one. Cleaned text is what the index stores and shows.
2. ``fold``: one character in, one character out: NFKC where that gives a single
   character (full-width ``Ａ１（`` → ``A1(``), then lower case where that gives a
   single character. Because folding keeps the length, an offset found in folded
   text is the same offset in the cleaned text, so highlighting needs no map.
3. Runs: the folded text split at spaces. Every run gives its characters
   (unigrams) and its overlapping pairs (bigrams), in every script: CJK, Latin
   letters and digits alike. Bigrams for Latin and digits too, rather than whole
   words, because the promise is substring truth: ``25年`` must find ``2025年`` and
   ``gb`` must find ``GB/T``. A Latin word is found by any two letters of it.
4. Spelling: in a token, each ASCII punctuation character is written as its
   full-width twin (U+FF01–FF5E). Folding never leaves those in the text, so the
   spelling is one-to-one, and a token is only ASCII letters, digits and
   non-ASCII characters. SQLite's ``ascii`` tokenizer and PostgreSQL's tsquery
   input therefore read each token as exactly one word, and no character a user
   types (``"``, ``*``, ``:``, ``-``, ``'``) can act as query syntax.

A term of two or more characters is found exactly where its bigrams occur at
consecutive positions within one run (see ``backends``); a one-character term is
its unigram. Unigrams carry no positions, so they are written once per document.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from html import unescape
from operator import add

# Text beyond this is not indexed: the guarantee holds for the first 100,000
# characters of title, summary, body and attachments together.
MAX_INDEX_CHARS = 100_000
# PostgreSQL refuses a tsvector over 1 MB; distinct lexemes are counted with the
# 4-byte entry each takes, and the text is shortened until they fit.
LEXEME_BUDGET_BYTES = 800_000
# Between runs in the bigram column: one character, so never equal to a bigram,
# and a format character, which cleaning removes from any text.
RUN_BREAK = "\u2063"

_SPACES = re.compile(r" {2,}")


class _CleanTable(dict[int, str]):
    """``str.translate`` table, filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Cf":
            out = ""
        elif category in {"Cc", "Cs", "Zs", "Zl", "Zp"} or char.isspace():
            out = " "
        else:
            out = char
        self[code] = out
        return out


class _FoldTable(dict[int, str]):
    def __missing__(self, code: int) -> str:
        char = chr(code)
        out = unicodedata.normalize("NFKC", char)
        if len(out) != 1 or not _is_text(out):
            out = char
        lower = out.lower()
        if len(lower) == 1 and _is_text(lower):
            out = lower
        self[code] = out
        return out


def _is_text(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char)[0] not in {"C", "Z"}


class _SpellTable(dict[int, str]):
    """ASCII punctuation to its full-width twin; every other character to
    itself, cached, so ``translate`` never takes the slow path of a missing key."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        out = chr(code + 0xFEE0) if 0x21 <= code < 0x7F and not char.isalnum() else char
        self[code] = out
        return out


_CLEAN = _CleanTable()
_FOLD = _FoldTable()
_SPELL = _SpellTable()

# Characters that cleaning, and folding, leave as they are (every one is checked
# by ``tests/search/test_tokens.py``): most text is made of them, so only the runs
# of other characters go through ``translate``, whose per-character lookup is
# the slow part of indexing.
CLEAN_PLAIN = (
    "\u0020-\u007e\u00a1-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e"
    "\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uffef"
)
FOLD_PLAIN = (
    "\u0020-\u0040\u005b-\u007e\u00df-\u00ff\u2012-\u2023\u2025-\u205e"
    "\u3000-\u3035\u303b-\u303f\u3400-\u4dbf\u4e00-\u9fff"
)
_CLEAN_OTHERS = re.compile(f"[^{CLEAN_PLAIN}]+")
_FOLD_OTHERS = re.compile(f"[^{FOLD_PLAIN}]+")
_ASCII_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]+")


def _through(table: dict[int, str]) -> Callable[[re.Match[str]], str]:
    return lambda match: match.group().translate(table)


_CLEAN_RUN = _through(_CLEAN)
_FOLD_RUN = _through(_FOLD)
_SPELL_RUN = _through(_SPELL)


def clean(text: str) -> str:
    """Text as the index stores it: no format characters, single spaces."""
    return _SPACES.sub(" ", _CLEAN_OTHERS.sub(_CLEAN_RUN, text)).strip()


def fold(cleaned: str) -> str:
    """The matching form of cleaned text; same length, offsets line up."""
    return _FOLD_OTHERS.sub(_FOLD_RUN, cleaned)


def normalise(text: str) -> str:
    return fold(clean(text))


def spell(run: str) -> str:
    """A folded run written with token-safe characters only."""
    return _ASCII_PUNCTUATION.sub(_SPELL_RUN, run)


def pairs(spelled: str) -> list[str]:
    """Overlapping two-character tokens of a spelled run."""
    return list(map(add, spelled, spelled[1:]))


def _pair_runs(runs: list[str]) -> list[str]:
    """Each run of two or more characters as its space-separated pairs."""
    return [" ".join(pairs(run)) for run in runs if len(run) > 1]


def _bigram_column(runs: list[str]) -> str:
    return f" {RUN_BREAK} ".join(_pair_runs(runs))


def _characters(runs: list[str]) -> str:
    return " ".join(sorted(set("".join(runs))))


class IndexTokens:
    """The tokens of a document's folded fields, the title apart from the rest
    (so a search can ask for title matches alone), each form computed when
    first asked for: SQLite reads ``title_bigrams``, ``bigrams``,
    ``title_unigrams`` and ``unigrams``; PostgreSQL ``lexeme_text`` and
    ``title_lexeme_text``."""

    def __init__(self, runs: list[str], title_runs: list[str] | None = None) -> None:
        self.runs = runs  # spelled runs of the fields but the title, in order
        self.title_runs = title_runs or []

    @cached_property
    def bigrams(self) -> str:
        """Space-separated, runs divided by ``RUN_BREAK`` (SQLite FTS5)."""
        return _bigram_column(self.runs)

    @cached_property
    def title_bigrams(self) -> str:
        return _bigram_column(self.title_runs)

    @cached_property
    def unigrams(self) -> str:
        """Distinct characters, space-separated (SQLite FTS5)."""
        return _characters(self.runs)

    @cached_property
    def title_unigrams(self) -> str:
        return _characters(self.title_runs)

    @cached_property
    def lexemes(self) -> list[str]:
        """Distinct unigrams and bigrams of every field (PostgreSQL tsvector)."""
        runs = self.title_runs + self.runs
        unigrams = sorted(set("".join(runs)))
        bigrams = {pair for run in runs for pair in pairs(run)}
        return unigrams + sorted(bigrams)

    @cached_property
    def lexeme_text(self) -> str:
        """Every unigram and bigram of every field, space-separated, repeats
        allowed (PostgreSQL's ``array_to_tsvector`` sorts and removes repeats)."""
        runs = self.title_runs + self.runs
        return " ".join([_characters(runs), *_pair_runs(runs)])

    @cached_property
    def title_lexeme_text(self) -> str:
        return " ".join([self.title_unigrams, *_pair_runs(self.title_runs)])

    @property
    def lexeme_bytes(self) -> int:
        lexemes = self.lexemes
        return len("".join(lexemes).encode()) + 4 * len(lexemes)


def _runs(folded_fields: tuple[str, ...]) -> list[str]:
    return [run for text in folded_fields for run in spell(text).split(" ") if run]


def index_tokens(*folded_fields: str, title: str = "") -> IndexTokens:
    """Tokens of folded fields and a folded title; a field boundary is a run
    boundary."""
    return IndexTokens(_runs(folded_fields), _runs((title,)))


@dataclass(frozen=True)
class PreparedText:
    text: str
    folded: str
    tokens: IndexTokens


# A text of n characters has at most 2n distinct lexemes of at most 8 bytes plus
# 4 each; below this length the budget cannot be exceeded and is not counted.
_ALWAYS_FITS = LEXEME_BUDGET_BYTES // 24


def prepare(title: str, meta: str, body: str) -> PreparedText:
    """Cleaned and folded ``body`` with the tokens of the document: ``title`` and
    ``meta`` (文号 and 索引号) already folded, and the body, within the index
    limits."""
    text = clean(body)[:MAX_INDEX_CHARS]
    while True:
        folded = fold(text)
        tokens = index_tokens(meta, folded, title=title)
        if (
            not text
            or len(folded) + len(title) + len(meta) <= _ALWAYS_FITS
            or tokens.lexeme_bytes <= LEXEME_BUDGET_BYTES
        ):
            return PreparedText(text=text, folded=folded, tokens=tokens)
        text = text[: len(text) * 3 // 4]


def query_terms(query: str) -> list[str]:
    """Folded, distinct terms of a query, in the order given."""
    seen: dict[str, None] = {}
    for term in normalise(query).split(" "):
        if term:
            seen.setdefault(term, None)
    return list(seen)


_BLOCK_TAGS = {
    "address",
    "article",
    "blockquote",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
# A tag (attribute values may hold ``>``), a comment, a declaration or a
# processing instruction; ``<`` followed by anything else is text, as in HTML.
_MARKUP = re.compile(
    r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>"']|"[^"]*"|'[^']*')*>"""
    r"|<!--.*?(?:-->|$)|<![^>]*>|<\?[^>]*>",
    re.S,
)
_SKIPPED_CONTENT = re.compile(
    r"<(script|style|template)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>.*?(?:</\1\s*>|$)",
    re.I | re.S,
)


def html_to_text(html: str) -> str:
    """Visible text of sanitised HTML; block boundaries become line breaks, so
    two paragraphs or table cells never run together into one word. Character
    references are decoded; script, style and template content is dropped."""
    if "<" not in html:
        return _data(html)
    html = _SKIPPED_CONTENT.sub("", html)
    parts: list[str] = []
    position = 0
    for match in _MARKUP.finditer(html):
        if match.start() > position:
            parts.append(_data(html[position : match.start()]))
        name = match.group(2)
        if name and name.lower() in _BLOCK_TAGS:
            parts.append("\n")
        position = match.end()
    parts.append(_data(html[position:]))
    return "".join(parts)


def _data(text: str) -> str:
    return unescape(text) if "&" in text else text
