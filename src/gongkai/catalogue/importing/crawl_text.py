"""The crawler's text form (``page.txt``): ``key: value`` headers, a separator
line, then the body flattened to one line. The older page template flattens the
site chrome into the body too: the breadcrumb (当前位置：…), the time, the share
labels (微信 微博 QQ空间) before it, and 来源：… 附件下载 <file names> after it."""

from __future__ import annotations

import re

from gongkai.catalogue.importing.pages import (
    DOCUMENT_EXTENSIONS,
    CrawlPage,
    column_path_of,
    document_number_in,
    is_document_url,
    is_truncated,
    recover_title,
)
from gongkai.catalogue.importing.values import collapse, flat_text_to_html

_SEPARATOR = re.compile(r"^\s*={3,}\s*正文\s*={3,}\s*$")
_HEADER = re.compile(r"^(?P<key>[^:：\s]{1,12})\s*[:：]\s?(?P<value>.*)$")
_KEYS = {
    "标题": "title",
    "发布时间": "published",
    "发布日期": "published",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "成文日期": "written_on",
    "索引号": "index_number",
    "发布机构": "publisher",
    "栏目": "column",
    "原文链接": "source_url",
}
_HEAD_CHROME = re.compile(
    r"^\s*当前位置[:：].*?时间[:：]\s*\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"\s*(?:微信\s*微博\s*QQ空间)?\s*",
    re.S,
)
_SOURCE_TAIL = re.compile(r"\s*来源[:：]\s*(?P<source>\S*)\s*$")
_FILE_NAMES = re.compile(
    rf"\S(?:.*?\S)?\.(?:{'|'.join(DOCUMENT_EXTENSIONS)})(?=\s|$)", re.I
)
_NO_NUMBER = {"无", "-", "—", "/"}


def _strip_chrome(body: str) -> tuple[str, str, list[str]]:
    """The body without the flattened chrome, the 来源 label and the names listed
    under 附件下载."""
    head = _HEAD_CHROME.match(body)
    text = body[head.end() :] if head else body
    source, files = "", []
    cut = text.rfind("附件下载")
    if cut >= 0:
        before = text[:cut]
        tail = _SOURCE_TAIL.search(before)
        if tail is not None or head is not None:
            files = _FILE_NAMES.findall(text[cut + len("附件下载") :])
            text = before[: tail.start()] if tail else before
            source = tail["source"] if tail else ""
    return text.strip(), source, files


def parse_page_text(text: str) -> CrawlPage:
    page = CrawlPage()
    lines = text.splitlines()
    separator = next(
        (i for i, line in enumerate(lines) if _SEPARATOR.match(line)), None
    )
    header_lines = lines if separator is None else lines[:separator]
    headers: dict[str, str] = {}
    for line in header_lines:
        m = _HEADER.match(line.strip())
        if m and m["key"] in _KEYS:
            headers.setdefault(_KEYS[m["key"]], m["value"].strip())
        elif line.strip() and "直接附件" in line:
            page.direct_attachment = True
    page.title = collapse(headers.get("title", ""))
    page.published = headers.get("published", "")
    number = headers.get("doc_number", "")
    page.doc_number = "" if number in _NO_NUMBER else number
    page.written_on = headers.get("written_on", "")
    page.index_number = headers.get("index_number", "")
    page.publisher = headers.get("publisher", "")
    page.source_url = headers.get("source_url", "")
    column = headers.get("column", "")
    if "/" in column:  # direct-attachment entries give the column's path
        page.column_path = column.strip("/")
    else:
        page.column = column
    if not page.column_path and page.source_url:
        page.column_path = column_path_of(page.source_url)
    if page.source_url and is_document_url(page.source_url) and separator is None:
        page.direct_attachment = True
    raw = "\n".join(lines[separator + 1 :]) if separator is not None else ""
    body, source, files = _strip_chrome(raw)
    page.publisher = page.publisher or source
    page.body_text = collapse(body)
    page.body_html = flat_text_to_html(body) if body else ""
    page.attachment_links = [(name, "") for name in files]
    if is_truncated(page.title):
        full = recover_title(page.title, page.body_text)
        if full == page.title:
            page.notes.append("标题在原网站被截断，正文中未找到完整标题")
        page.title = full
    if not page.doc_number:
        page.doc_number = document_number_in(page.body_text)
    return page
