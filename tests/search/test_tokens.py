"""Tokens, and the claim the SQLite index rests on: an FTS5 phrase of a term's
bigrams matches exactly the texts that contain the term."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.catalogue.services.common import sanitise_body
from gongkai.search.backends.postgres import tsquery
from gongkai.search.backends.sqlite import match_expressions
from gongkai.search.tokens import (
    _BLOCK_TAGS,
    _CLEAN,
    _FOLD,
    _SPACES,
    _SPELL,
    CLEAN_PLAIN,
    FOLD_PLAIN,
    MAX_INDEX_CHARS,
    RUN_BREAK,
    clean,
    fold,
    html_to_text,
    index_tokens,
    normalise,
    prepare,
    query_terms,
    spell,
)

ALPHABET = "平潭综合实验区教育局招生AaBb12（）()〔〕\"'*:-_ 　\t\u200b\x00Ｂ２"


def _ranges(plain: str) -> list[int]:
    codes = [ord(c) for c in plain]
    return [
        code
        for start, end in zip(codes[0::3], codes[2::3], strict=True)
        for code in range(start, end + 1)
    ]


def test_the_characters_passed_through_untranslated_are_left_alone_by_the_tables() -> (
    None
):
    assert all(
        plain[1::3] == "-" * (len(plain) // 3) for plain in (CLEAN_PLAIN, FOLD_PLAIN)
    )
    for code in _ranges(CLEAN_PLAIN):
        assert _CLEAN[code] == chr(code), hex(code)
    for code in _ranges(FOLD_PLAIN):
        assert _FOLD[code] == chr(code), hex(code)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_cleaning_folding_and_spelling_equal_translating_every_character(
    text: str,
) -> None:
    cleaned = clean(text)
    assert cleaned == _SPACES.sub(" ", text.translate(_CLEAN)).strip()
    assert fold(cleaned) == cleaned.translate(_FOLD)
    assert spell(fold(cleaned)) == fold(cleaned).translate(_SPELL)


def test_cleaning_drops_invisible_characters_and_collapses_whitespace() -> None:
    assert clean(" 平\u200b潭\ufeff综合\t\n实验区\x00\u3000x ") == "平潭综合 实验区 x"


def test_folding_keeps_the_length_and_maps_full_width_and_case() -> None:
    text = clean("岚教综〔２０１７〕７５号 ＡＢＣ（附件） İstanbul ㈠")
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "岚教综〔2017〕75号 abc(附件) İstanbul ㈠"


def test_tokens_hold_no_ascii_punctuation_so_no_character_is_query_syntax() -> None:
    tokens = index_tokens(normalise("a\"b*c:d-e (NEAR) f'g\\h"))
    for token in tokens.lexemes + tokens.bigrams.split():
        assert not any(c.isascii() and not c.isalnum() for c in token), token
    assert RUN_BREAK in tokens.bigrams


def test_latin_letters_and_digits_are_split_into_bigrams_like_cjk() -> None:
    tokens = index_tokens(normalise("2025年GB"))
    assert tokens.bigrams == "20 02 25 5年 年g gb"


def test_html_block_boundaries_separate_words() -> None:
    text = html_to_text("<p>学生</p><p>名单</p><table><tr><td>张</td><td>三</td></tr>")
    assert query_terms(text) == ["学生", "名单", "张", "三"]
    assert html_to_text("a&amp;b<script>x</script>&lt;") == "a&b<"


def test_query_terms_are_folded_and_distinct() -> None:
    assert query_terms("  招生 ＡＢ 招生\x07ab ") == ["招生", "ab"]


def test_long_texts_are_capped() -> None:
    prepared = prepare("", "", "字" * (MAX_INDEX_CHARS + 10))
    assert len(prepared.text) == MAX_INDEX_CHARS == len(prepared.folded)


def test_a_text_with_too_many_distinct_bigrams_is_cut_to_fit_postgresql() -> None:
    rng = random.Random(5)
    text = "".join(chr(0x4E00 + rng.randrange(20000)) for _ in range(MAX_INDEX_CHARS))
    prepared = prepare("", "", text)
    assert prepared.tokens.lexeme_bytes <= 800_000
    assert 0 < len(prepared.text) < MAX_INDEX_CHARS


def test_tsquery_text_quotes_every_lexeme() -> None:
    assert tsquery(["平潭综", "x"]) == "'平潭' & '潭综' & 'x'"


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.text(alphabet=ALPHABET, max_size=40), min_size=1, max_size=6),
    query=st.text(alphabet=ALPHABET, min_size=1, max_size=6),
)
def test_fts5_bigram_phrases_match_exactly_the_texts_containing_the_term(
    texts: list[str], query: str
) -> None:
    with closing(sqlite3.connect(":memory:")) as db:
        db.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(bigrams, content='', "
            "tokenize='ascii')"
        )
        db.execute(
            "CREATE VIRTUAL TABLE search_fts_chars USING fts5(chars, content='', "
            "tokenize='ascii', detail=none, columnsize=0)"
        )
        folded = [normalise(text) for text in texts]
        for rowid, text in enumerate(folded, start=1):
            tokens = index_tokens(text)
            db.execute("INSERT INTO search_fts VALUES (?)", (tokens.bigrams,))
            db.execute(
                "INSERT INTO search_fts_chars (rowid, chars) VALUES (?, ?)",
                (rowid, tokens.unigrams),
            )
        terms = query_terms(query)
        if not terms:
            return
        found = set(range(1, len(folded) + 1))
        for table, expression in zip(
            ("search_fts", "search_fts_chars"), match_expressions(terms), strict=True
        ):
            if expression:
                rows = db.execute(
                    f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (expression,)
                ).fetchall()
                found &= {row[0] for row in rows}
        truth = {
            rowid
            for rowid, text in enumerate(folded, start=1)
            if all(term in text for term in terms)
        }
        assert found == truth


class _ReferenceExtractor(HTMLParser):
    """The standard library's HTML parser, as the reference the fast extractor
    is held to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _reference_text(html: str) -> str:
    parser = _ReferenceExtractor()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


_PIECES = st.one_of(
    st.text(alphabet="平潭招生 &<>\"'ab1;#x", max_size=12),
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<br>",
            "<br/>",
            "<td>",
            "</td>",
            "<strong>",
            "</strong>",
            '<a href="/x?a=1&amp;b=2" title="1 > 0">',
            "</a>",
            "&amp;",
            "&lt;",
            "&nbsp;",
            "&#x5e73;",
            "<script>平潭</script>",
            "<!-- 招生 -->",
        ]
    ),
)


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=20))
def test_the_body_text_is_what_an_html_parser_reads_from_the_sanitised_body(
    pieces: list[str],
) -> None:
    body = sanitise_body("".join(pieces))
    assert clean(html_to_text(body)) == clean(_reference_text(body))
