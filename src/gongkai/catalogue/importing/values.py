"""Values of legacy rows: dates in ISO and 年月日 forms, bodies given as plain
text or as the crawler's flattened one-line text, whitespace."""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import date, datetime, time

from django.utils import timezone

_ISO = re.compile(
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)
_COMPACT = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
_CJK_NUMERAL = "〇○零一二两三四五六七八九十"
_CJK = re.compile(
    rf"^(?P<y>[\d{_CJK_NUMERAL}]{{4}})\s*年\s*(?P<m>[\d{_CJK_NUMERAL}]{{1,3}})\s*月"
    rf"\s*(?P<d>[\d{_CJK_NUMERAL}]{{1,3}})\s*[日号]"
    r"(?:\s*(?P<H>\d{1,2})\s*[:时]\s*(?P<M>\d{1,2})\s*分?(?:\s*(?P<S>\d{1,2})\s*秒?)?)?$"
)
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {
    "〇": 0,
    "○": 0,
    "两": 2,
}
# Where the crawler's flattened text most likely had a line break: after a
# sentence or a heading ends, and before an enumeration (一、 （一） 1. 1、 ●).
_BREAK_AFTER = re.compile(r"(?<=[。！？；：:!?;])\s+")
_BREAK_BEFORE = re.compile(
    r"\s+(?=(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十\d]{1,3}）"
    r"|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[、.．](?!\d)|●|附件[:：]))"
)
_MARKUP = re.compile(r"<\s*/?\s*(p|div|br|table|span|a|strong|b|ul|ol|li|h\d)\b", re.I)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[\s\u00a0\u3000]+")


def _number(text: str) -> int:
    """A year, month or day in Arabic digits or Chinese numerals
    (二〇一二, 十二, 二十一)."""
    if text.isdigit():
        return int(text)
    if len(text) == 4:  # a year is spelt digit by digit
        return int("".join(str(_DIGITS[c]) for c in text))
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)
    return _DIGITS[text]


def _parts(value: str) -> tuple[date, time | None, str | None]:
    text = unicodedata.normalize("NFKC", value).strip()
    for pattern in (_ISO, _COMPACT, _CJK):
        m = pattern.match(text)
        if m is None:
            continue
        groups = m.groupdict()
        try:
            day = date(_number(groups["y"]), _number(groups["m"]), _number(groups["d"]))
            moment = None
            if groups.get("H") is not None:
                moment = time(
                    int(groups["H"]), int(groups["M"]), int(groups.get("S") or 0)
                )
        except (KeyError, ValueError):
            break
        return day, moment, groups.get("tz")
    raise ValueError(value)


def parse_date(value: str) -> date:
    """``2023-12-21``, ``2023/12/21``, ``20231221``, ``2023年12月21日``,
    ``二〇一二年七月十日``; a time after the date is allowed and ignored.
    ``ValueError`` for anything else."""
    return _parts(value)[0]


def parse_moment(value: str) -> datetime:
    """A publication time: a date with an optional time and offset, read in the
    site's time zone when no offset is given; a bare date means midnight."""
    day, moment, offset = _parts(value)
    naive = datetime.combine(day, moment or time(0, 0))
    if offset:
        return datetime.fromisoformat(
            f"{naive.isoformat()}{'+00:00' if offset == 'Z' else offset}"
        )
    return timezone.make_aware(naive, timezone.get_current_timezone())


def collapse(text: str) -> str:
    """Runs of whitespace (also no-break and ideographic spaces) as one space."""
    return _SPACES.sub(" ", text).strip()


def looks_like_html(text: str) -> bool:
    return bool(_MARKUP.search(text))


def html_to_text(markup: str) -> str:
    return collapse(html.unescape(_TAG.sub(" ", markup)))


def plain_text_to_html(text: str) -> str:
    """Plain text with line breaks: one paragraph per non-empty line."""
    lines = (collapse(line) for line in text.splitlines())
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines if line)


def flat_text_to_html(text: str) -> str:
    """The crawler's body text, flattened to one line with a space wherever the
    page had a block boundary (and also where it had a no-break space): break it
    into paragraphs where a sentence ends or an enumeration starts; all the text
    stays, only some block boundaries are lost."""
    if "\n" in text.strip():
        return plain_text_to_html(text)
    marked = _BREAK_BEFORE.sub("\n", _BREAK_AFTER.sub("\n", text.strip()))
    return plain_text_to_html(marked)
