"""Sensitive-information scanner for the confidentiality review (保密审查).

《政府信息公开条例》第十四条 keeps state secrets (国家秘密) out of disclosure, 第十五条
keeps out personal privacy (个人隐私) whose disclosure would harm a third party, and
第十七条 requires every agency to review information before it is published. This
module finds what that review must look at in the title, body and attachment text of
an item; a reviewer resolves each finding by masking it (:func:`mask_text`) or by
marking it a false positive with a reason.

What is reported:

* resident ID numbers (公民身份号码, GB 11643-1999): 18 digits with a valid region
  prefix, birth date and check digit, or the old 15-digit form;
* mobile numbers (11 digits ``1[3-9]…``, optionally ``+86``/``86`` and 3-4-4 groups);
  office landlines such as ``0768-2259400`` are not personal and are not reported;
* bank card numbers: 16–19 digits passing the Luhn check, starting with 3, 4, 5 or 6
  (American Express/JCB, Visa, Mastercard, UnionPay). Numbers starting with 9 are left
  out because the 18-digit unified social credit codes of enterprises (统一社会信用代码,
  ``91…``) are often all digits and would pass Luhn one time in ten;
* e-mail addresses of private persons: every address except those in an allowed
  domain (an office address such as ``rmg@xq.gov.cn``);
* classification marks (国家秘密标志, GB/T 9704—2012 第7.2.2条): the level 绝密, 机密
  or 秘密 followed by ``★`` and optionally the period (``秘密★1年``, ``绝密★启用前``),
  the level followed by 级 (``机密级``), the level after 密级 or 标密 (``密级：秘密``),
  the level or 涉密 standing alone on a line or in brackets (``【涉密】``), and the
  handling marks 内部资料, 内部文件, 内部使用, 不得外传 and 注意保密 (configurable);
* every occurrence of each configured word (错敏词).

The marks aim at the marking of a classified document, not at articles about
confidentiality work: 保密审查, 保守国家秘密法, 国家秘密, 秘密地, 机密性, 涉密人员,
非涉密计算机 and 内部资料性出版物 are not reported. A bare 涉密 inside a sentence is
left out on purpose: it is how every article about 保密工作 speaks (涉密载体,
涉密人员); add it to :attr:`ScanPolicy.classified_marks` to report every occurrence.
An article that explains the levels with 绝密级、机密级、秘密级 is reported and is
resolved as a false positive.

Digits may be full-width (``４４０１…``), as Chinese word processors often type them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from gongkai.law.errors import LawInputError


class FindingKind(StrEnum):
    """What kind of sensitive information a finding is."""

    id_number = "id_number"
    mobile = "mobile"
    bank_card = "bank_card"
    email = "email"
    classified_mark = "classified_mark"
    word_list = "word_list"


KIND_LABELS: Final[dict[FindingKind, str]] = {
    FindingKind.id_number: "身份证号码",
    FindingKind.mobile: "手机号码",
    FindingKind.bank_card: "银行卡号",
    FindingKind.email: "电子邮箱",
    FindingKind.classified_mark: "密级标志",
    FindingKind.word_list: "敏感词",
}

DEFAULT_CLASSIFIED_MARKS: Final = frozenset(
    {"内部资料", "内部文件", "内部使用", "不得外传", "注意保密"}
)

CONTEXT_CHARS: Final = 15

# The masking character for every kind; a mark or a word is replaced by as many
# asterisks as it has characters, so the masked text keeps its length.
MASK_CHAR: Final = "*"


@dataclass(frozen=True)
class Finding:
    """One piece of sensitive information in a scanned string.

    ``start`` and ``end`` are Python string offsets into the string that was scanned
    (``text == scanned[start:end]``); ``field`` names that string (``"title"``,
    ``"body"``, ``"attachment:名单.xlsx"``). ``masked`` is the replacement
    :func:`mask_text` writes; ``context`` shows up to 15 characters either side, with
    this and every other finding in it masked, so a list of findings shown on screen
    or printed does not repeat the data (``text`` keeps the original).
    """

    kind: FindingKind
    text: str
    start: int
    end: int
    masked: str
    field: str = ""
    context: str = ""

    @property
    def label(self) -> str:
        """The kind in Chinese (身份证号码, 手机号码, …)."""
        return KIND_LABELS[self.kind]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "kind": str(self.kind),
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "masked": self.masked,
            "field": self.field,
        }


@dataclass(frozen=True)
class ScanPolicy:
    """What the scanner reports beyond the fixed rules.

    ``allowed_email_domains``: addresses in these domains or their subdomains are
    office addresses, not personal ones (``gov.cn`` covers ``xq.gov.cn``).
    ``words``: the agency's word list (错敏词). ``classified_marks``: handling marks
    reported wherever they occur, except when followed by 性 (内部资料性出版物).
    """

    flag_emails: bool = True
    allowed_email_domains: frozenset[str] = frozenset({"gov.cn"})
    words: frozenset[str] = frozenset()
    classified_marks: frozenset[str] = DEFAULT_CLASSIFIED_MARKS


DEFAULT_POLICY: Final = ScanPolicy()

_FULL_WIDTH: Final = str.maketrans("０１２３４５６７８９Ｘｘx×", "0123456789XXXX")
_D: Final = "[0-9０-９]"
_NOT_DIGIT_BEFORE: Final = "(?<![0-9０-９])"
_NOT_DIGIT_AFTER: Final = "(?![0-9０-９])"
_NOT_ALNUM_BEFORE: Final = "(?<![0-9０-９A-Za-z])"
_NOT_ALNUM_AFTER: Final = "(?![0-9０-９A-Za-z])"

_ID18: Final = re.compile(
    rf"{_NOT_ALNUM_BEFORE}{_D}{{17}}[0-9０-９XxＸｘ×]{_NOT_ALNUM_AFTER}"
)
_ID15: Final = re.compile(rf"{_NOT_ALNUM_BEFORE}{_D}{{15}}{_NOT_ALNUM_AFTER}")
_MOBILE: Final = re.compile(
    rf"{_NOT_DIGIT_BEFORE}(?:[+＋]?[8８][6６][ -]?)?"
    rf"(?P<number>[1１][3-9３-９]{_D}(?:{_D}{{8}}|[ -]{_D}{{4}}[ -]{_D}{{4}})){_NOT_DIGIT_AFTER}"
)
_BANK_CARD: Final = re.compile(
    rf"{_NOT_DIGIT_BEFORE}{_D}{{4}}(?:[ -]?{_D}{{4}}){{3}}(?:[ -]?{_D}{{1,3}})?{_NOT_DIGIT_AFTER}"
)
_EMAIL: Final = re.compile(
    r"(?<![A-Za-z0-9._%+-])(?P<local>[A-Za-z0-9][A-Za-z0-9._%+-]*)"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,})"
    r"(?![A-Za-z0-9-])"
)

_LEVEL: Final = "(?:绝密|机密|秘密)"
_SP: Final = "[ \t\u3000]*"
_PERIOD: Final = rf"(?:{_SP}(?:{_D}{{1,3}}{_SP}(?:年|个月)|长期|启用前|解密前))?"
_AFTER_LABEL: Final = rf"(?:密级|标密){_SP}[:：]?{_SP}"
_CLASSIFIED: Final = re.compile(
    rf"(?:{_AFTER_LABEL})?{_LEVEL}(?:{_SP}[★☆＊*]{_PERIOD}|级)"
    rf"|{_AFTER_LABEL}{_LEVEL}"
    rf"|(?m:^{_SP}(?P<line>{_LEVEL}|涉密){_SP}\r?$)"
    rf"|[【\[〔（(](?P<bracketed>{_LEVEL}|涉密)[】\]〕）)]"
)

_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS: Final = "10X98765432"
_BANK_CARD_FIRST_DIGITS: Final = frozenset("3456")
_DIGITS: Final = frozenset("0123456789X")

# When two matches overlap, the longer one wins; on equal length, the earlier kind here.
_PRIORITY: Final[dict[FindingKind, int]] = {
    kind: rank for rank, kind in enumerate(FindingKind)
}


def _plain(text: str) -> str:
    """ASCII digits and ``X`` only: full-width digits mapped, separators dropped."""
    return re.sub(r"[^0-9X]", "", text.translate(_FULL_WIDTH))


def _valid_birth_date(yyyymmdd: str) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return 1900 <= born.year < 2100


def _id_shaped(number: str) -> bool:
    """An 18-character number with a region prefix and a real birth date."""
    return number[0] in "12345678" and _valid_birth_date(number[6:14])


def id_check_digit(first17: str) -> str:
    """The check character of an 18-digit ID number (GB 11643-1999 第5.4条)."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def is_valid_id_number(text: str) -> bool:
    """Whether ``text`` is a well-formed resident ID number (GB 11643-1999).

    18 characters: a region prefix (first digit 1–8), a real birth date in
    1900–2099, a sequence number and the check character (``X`` allowed); or the
    old 15-digit form with a birth date ``YYMMDD`` in 19YY.
    """
    number = text.strip().translate(_FULL_WIDTH)
    if re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return _id_shaped(number) and id_check_digit(number[:17]) == number[17]
    if re.fullmatch(r"[0-9]{15}", number):
        return number[0] in "12345678" and _valid_birth_date("19" + number[6:12])
    return False


def passes_luhn(digits: str) -> bool:
    """The Luhn (mod 10) check used by bank card numbers (ISO/IEC 7812-1)."""
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _is_bank_card(number: str) -> bool:
    if not 16 <= len(number) <= 19 or number[0] not in _BANK_CARD_FIRST_DIGITS:
        return False
    # An 18-digit number shaped like an ID number is a mistyped ID, not a card.
    if len(number) == 18 and _id_shaped(number):
        return False
    return passes_luhn(number)


def _mask_digits(text: str, keep_head: int, keep_tail: int) -> str:
    """Star the digits between the first ``keep_head`` and the last ``keep_tail``."""
    positions = [i for i, c in enumerate(text) if c.translate(_FULL_WIDTH) in _DIGITS]
    hidden = set(positions[keep_head : len(positions) - keep_tail])
    return "".join(MASK_CHAR if i in hidden else c for i, c in enumerate(text))


def _mask_email(local: str, domain: str) -> str:
    return f"{local[0]}{MASK_CHAR * 3}@{domain}"


def _is_allowed_domain(domain: str, allowed: frozenset[str]) -> bool:
    domain = domain.lower()
    for entry in allowed:
        suffix = entry.strip().lstrip("@.").lower()
        if suffix and (domain == suffix or domain.endswith("." + suffix)):
            return True
    return False


_Match = tuple[FindingKind, int, int, str]


def _id_numbers(text: str) -> Iterator[_Match]:
    for pattern in (_ID18, _ID15):
        for m in pattern.finditer(text):
            if is_valid_id_number(m.group()):
                yield (
                    FindingKind.id_number,
                    m.start(),
                    m.end(),
                    _mask_digits(m.group(), 6, 4),
                )


def _mobiles(text: str) -> Iterator[_Match]:
    for m in _MOBILE.finditer(text):
        prefix = text[m.start() : m.start("number")]
        masked = prefix + _mask_digits(m.group("number"), 3, 4)
        yield FindingKind.mobile, m.start(), m.end(), masked


def _bank_cards(text: str) -> Iterator[_Match]:
    for m in _BANK_CARD.finditer(text):
        if _is_bank_card(_plain(m.group())):
            masked = _mask_digits(m.group(), 4, 4)
            yield FindingKind.bank_card, m.start(), m.end(), masked


def _emails(text: str, policy: ScanPolicy) -> Iterator[_Match]:
    if not policy.flag_emails:
        return
    for m in _EMAIL.finditer(text):
        if not _is_allowed_domain(m.group("domain"), policy.allowed_email_domains):
            masked = _mask_email(m.group("local"), m.group("domain"))
            yield FindingKind.email, m.start(), m.end(), masked


def _occurrences(text: str, word: str) -> Iterator[int]:
    start = text.find(word)
    while start >= 0:
        yield start
        start = text.find(word, start + len(word))


def _classified_marks(text: str, policy: ScanPolicy) -> Iterator[_Match]:
    kind = FindingKind.classified_mark
    for m in _CLASSIFIED.finditer(text):
        group = (
            "line" if m.group("line") else "bracketed" if m.group("bracketed") else 0
        )
        start, end = m.span(group)
        yield kind, start, end, MASK_CHAR * (end - start)
    for mark in sorted(filter(None, policy.classified_marks)):
        for start in _occurrences(text, mark):
            end = start + len(mark)
            if text[end : end + 1] != "性":
                yield kind, start, end, MASK_CHAR * len(mark)


def _words(text: str, policy: ScanPolicy) -> Iterator[_Match]:
    for word in sorted(filter(None, policy.words)):
        for start in _occurrences(text, word):
            yield FindingKind.word_list, start, start + len(word), MASK_CHAR * len(word)


def _without_overlaps(matches: Iterable[_Match]) -> list[_Match]:
    """Longest first; ``kept`` stays ordered by start, so a bisection finds clashes."""
    kept: list[_Match] = []
    starts: list[int] = []
    for match in sorted(matches, key=lambda m: (m[1] - m[2], _PRIORITY[m[0]], m[1])):
        _, start, end, _ = match
        i = bisect_right(starts, start)
        if (i and kept[i - 1][2] > start) or (i < len(kept) and kept[i][1] < end):
            continue
        starts.insert(i, start)
        kept.insert(i, match)
    return kept


def _masked_view(text: str, kept: list[_Match]) -> str:
    """``text`` with every finding masked and its length kept, for the contexts."""
    pieces: list[str] = []
    position = 0
    for _, start, end, masked in kept:
        same_length = len(masked) == end - start
        pieces += [
            text[position:start],
            masked if same_length else MASK_CHAR * (end - start),
        ]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _context(view: str, start: int, end: int, masked: str) -> str:
    before = view[max(0, start - CONTEXT_CHARS) : start]
    after = view[end : end + CONTEXT_CHARS]
    return re.sub(r"\s+", " ", before + masked + after)


def scan_text(
    text: str, *, field: str = "", policy: ScanPolicy = DEFAULT_POLICY
) -> list[Finding]:
    """Every finding in ``text``, ordered by position, none overlapping another.

    When matches overlap the longer one is kept (an address ``138…@163.com`` is one
    e-mail finding, not also a mobile number); a valid ID number is never also
    reported as a bank card. ``field`` is copied into each finding.
    """
    kept = _without_overlaps(
        [
            *_id_numbers(text),
            *_bank_cards(text),
            *_mobiles(text),
            *_emails(text, policy),
            *_classified_marks(text, policy),
            *_words(text, policy),
        ]
    )
    view = _masked_view(text, kept)
    return [
        Finding(
            kind=kind,
            text=text[start:end],
            start=start,
            end=end,
            masked=masked,
            field=field,
            context=_context(view, start, end, masked),
        )
        for kind, start, end, masked in kept
    ]


def scan_fields(
    fields: Mapping[str, str], *, policy: ScanPolicy = DEFAULT_POLICY
) -> list[Finding]:
    """The findings of several parts of one item (title, body, each attachment).

    Keys name the parts and become each finding's ``field``; the findings come part
    by part in the mapping's order.
    """
    return [
        finding
        for name, text in fields.items()
        for finding in scan_text(text, field=name, policy=policy)
    ]


def mask_text(text: str, findings: Iterable[Finding]) -> str:
    """``text`` with each finding replaced by its ``masked`` form.

    The findings must come from scanning this very text (their offsets and text must
    still match) and must not overlap; otherwise :class:`LawInputError` is raised and
    nothing is masked, so a stale finding never masks the wrong characters.
    """
    pieces: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if text[finding.start : finding.end] != finding.text or not finding.text:
            raise LawInputError(
                "findings",
                f"待遮盖的内容（findings）“{finding.masked}”在第{finding.start}个字符处"
                "与当前文本不符，请重新检查后再遮盖",
            )
        if finding.start < position:
            raise LawInputError(
                "findings",
                f"待遮盖的内容（findings）在第{finding.start}个字符处相互重叠",
            )
        pieces += [text[position : finding.start], finding.masked]
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)
