"""What a saved page of an old site says about its item, whichever form it was
saved in, and the repairs both forms need: a title cut short by the old CMS, a
文号 that only appears at the head of the body, the column from the URL."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from gongkai.catalogue.importing.values import collapse

DOCUMENT_EXTENSIONS = (
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "wps",
    "et",
    "ofd",
    "zip",
    "rar",
    "txt",
    "jpg",
    "jpeg",
    "png",
)
_EXTENSION = re.compile(rf"\.(?:{'|'.join(DOCUMENT_EXTENSIONS)})$", re.I)
# The document's own 文号 heads the body (after an optional "XX文件" banner), e.g.
# "岚农发〔2016〕253号平潭综合实验区农村发展局关于…"; a 文号 cited further on is not it.
_HEAD_NUMBER = re.compile(
    r"^(?:\S{0,20}文件\s*)?(?P<number>[^\s〔\[（(《“]{1,15}\s*[〔\[［]\s*(?:19|20)\d{2}\s*"
    r"[〕\]］]\s*第?\d{1,5}\s*号)"
)
_OPENERS = {"“": "”", "《": "》", "（": "）", "〔": "〕", "(": ")", "‘": "’"}
_TRUNCATION = ("...", "…", "……")
_MONTH_SEGMENT = re.compile(r"^\d{6}$")


@dataclass
class CrawlPage:
    """The item as one saved page shows it; empty strings for what it does not."""

    title: str = ""
    published: str = ""
    doc_number: str = ""
    written_on: str = ""
    index_number: str = ""
    publisher: str = ""
    topic: str = ""
    column: str = ""
    column_path: str = ""
    source_url: str = ""
    body_html: str = ""
    body_text: str = ""
    direct_attachment: bool = False
    attachment_links: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def is_document_url(url: str) -> bool:
    return bool(_EXTENSION.search(urlsplit(url).path))


def column_path_of(url: str) -> str:
    """``zwgk/ghxx/gzjzqk`` for ``https://…/zwgk/ghxx/gzjzqk/202312/t20231221_83644.htm``:
    the URL's folders without the month folder the CMS files items under."""
    parts = [p for p in urlsplit(url).path.split("/") if p][:-1]
    if parts and _MONTH_SEGMENT.match(parts[-1]):
        parts.pop()
    return "/".join(parts)


def document_number_in(body_text: str) -> str:
    """The 文号 heading the body, spaces removed; ``""`` if the body starts
    otherwise."""
    m = _HEAD_NUMBER.match(body_text.strip())
    return re.sub(r"\s+", "", m["number"]) if m else ""


def is_truncated(title: str) -> bool:
    return title.rstrip().endswith(_TRUNCATION)


def recover_title(title: str, body_text: str) -> str:
    """The full title for one the old CMS cut short ("…参评“平潭..."): the body
    usually repeats it in full, broken over lines; take it from there, up to the
    first space after every quote and bracket is closed. The cut title stays
    when the body does not continue it."""
    stem = title.rstrip().rstrip(".…").rstrip()
    if not stem or not is_truncated(title):
        return title
    pattern = r"\s*".join(re.escape(c) for c in stem.replace(" ", ""))
    m = re.search(pattern, body_text[:2000])
    if m is None:
        return title
    found = re.sub(r"\s+", "", m.group())
    expected: list[str] = []
    for char in found:
        _track(char, expected)
    for char in body_text[m.end() :]:
        if char.isspace():
            if not expected:
                break
            continue
        found += char
        _track(char, expected)
        if len(found) > len(stem) + 80:
            return title  # no end in sight: the body runs on without a break
    return found if len(found) > len(stem) and not expected else title


def _track(char: str, expected: list[str]) -> None:
    if char in _OPENERS:
        expected.append(_OPENERS[char])
    elif expected and char == expected[-1]:
        expected.pop()


def clean_label(text: str) -> str:
    """A label such as "索　引　号：" as "索引号"."""
    return re.sub(r"[\s\u3000:：]+", "", text)


def first(*values: str) -> str:
    return next((collapse(v) for v in values if v and collapse(v)), "")
