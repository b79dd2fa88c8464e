"""Saved HTML pages of an old site, read with the standard library's parser.

Chinese government sites label their article pages with ``<meta name="…">`` tags
(``ArticleTitle``, ``PubDate``, ``ColumnName``, ``ContentSource``, ``Url`` …);
many also show a 公开目录 table (索引号、发布机构、文号、成文日期 …) above the body.
The body is taken from the CMS's content container only (``article_content``,
``TRS_Editor``, ``zoom`` …), so the site chrome around it (header, breadcrumb,
share buttons, view counter, footer, scripts) never enters the item."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from gongkai.catalogue.importing.pages import (
    CrawlPage,
    clean_label,
    column_path_of,
    document_number_in,
    first,
    is_document_url,
    recover_title,
)
from gongkai.catalogue.importing.values import collapse, html_to_text
from gongkai.catalogue.services.common import sanitise_body

# Content containers by preference: (attribute, value).
BODY_MARKERS = (
    ("class", "article_content"),
    ("class", "TRS_Editor"),
    ("class", "TRS_UEDITOR"),
    ("id", "zoom"),
    ("id", "UCAP-CONTENT"),
    ("class", "pages_content"),
)
CAPTURES = {
    "article_title": "title",
    "article_time": "time",
    "article_source": "source",
    "breadcrumb": "breadcrumb",
    "article_attachment": "attachments",
}
SKIPPED = {"script", "style", "noscript", "template", "iframe", "button", "select"}
EXCLUDED_CLASSES = {"detail_video", "share", "share_box", "article_qrcode_area"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID |= {"source", "track", "wbr", "param"}
KEPT = {"p", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "ul", "ol", "li"}
KEPT |= {"strong", "b", "em", "i", "u", "sub", "sup", "blockquote", "h2", "h3", "h4"}
RENAMED = {"h1": "h2", "h5": "h4", "h6": "h4", "pre": "p", "caption": "p"}
BOUNDARIES = {"div", "section", "article", "center", "dl", "dd", "dt", "form"}
TABLE_LABELS = {
    "索引号": "index_number",
    "发布机构": "publisher",
    "公开主体": "publisher",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "成文日期": "written_on",
    "发文日期": "written_on",
    "发布日期": "published",
    "公开日期": "published",
    "主题分类": "topic",
    "信息名称": "title",
    "标题": "title",
}
_SPACES = re.compile(r"[ \t\r\n\f\u00a0]+")
_BLOCK_START = re.compile(r"^<(p|h[2-4]|table|ul|ol|blockquote|hr)\b")
_EMPTY_BLOCK = re.compile(r"<(p|h[2-4]|li)>(?:\s|&nbsp;|<br\s*/?>)*</\1>")
_LEADING = re.compile(r"(<(?:p|td|th|li|h[2-4])(?:\s[^>]*)?>)(?:\s|\u3000|<br\s*/?>)+")
_BETWEEN_BLOCKS = re.compile(r"(</(?:p|h[2-4]|table|ul|ol|blockquote)>)\s+(?=<)")
_TRAILING = re.compile(r"(?:\s|\u3000|<br\s*/?>)+(</(?:p|td|th|li|h[2-4])>)")


@dataclass
class _Region:
    depth: int
    parts: list[str] = field(default_factory=list)
    open: bool = True


class _PageParser(HTMLParser):
    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.meta: dict[str, str] = {}
        self.stack: list[str] = []
        self.regions: dict[tuple[str, str], _Region] = {}
        self.captures: dict[str, _Region] = {}
        self.skip_depth: int | None = None
        self.in_title = False
        self.title_tag: list[str] = []
        self.outside: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.link: tuple[str, list[str], bool] | None = None
        self.images = 0

    def _body_regions(self) -> list[_Region]:
        return [r for r in self.regions.values() if r.open]

    def _emit(self, markup: str) -> None:
        for region in self._body_regions():
            region.parts.append(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        classes = set(values.get("class", "").split())
        if tag == "meta" and values.get("name"):
            name = values["name"].strip().lower()
            self.meta.setdefault(
                "description" if name == "desctiption" else name,
                values.get("content", ""),
            )
        if tag == "title":
            self.in_title = True
        if tag in VOID:
            self._void(tag, values)
            return
        self.stack.append(tag)
        depth = len(self.stack)
        if self.skip_depth is None and (tag in SKIPPED or classes & EXCLUDED_CLASSES):
            self.skip_depth = depth
        if self.skip_depth is not None:
            return
        for attribute, value in BODY_MARKERS:
            hit = (
                value in classes if attribute == "class" else values.get("id") == value
            )
            if hit and (attribute, value) not in self.regions:
                self.regions[(attribute, value)] = _Region(depth)
        for cls, key in CAPTURES.items():
            if cls in classes and key not in self.captures:
                self.captures[key] = _Region(depth)
        if tag == "a":
            base = self.meta.get("url") or self.base_url
            href = urljoin(base, values.get("href", "").strip())
            attachments = self.captures.get("attachments")
            listed = bool(self._body_regions()) or bool(
                attachments and attachments.open
            )
            self.link = (href, [], listed)
        self._open(tag, values)

    def _void(self, tag: str, values: dict[str, str]) -> None:
        if self.skip_depth is not None:
            return
        if tag == "img" and self._body_regions():
            self.images += 1
        elif tag in {"br", "hr"}:
            self._emit(f"<{tag}>")

    def _open(self, tag: str, values: dict[str, str]) -> None:
        if tag in BOUNDARIES:
            self._emit("\x00")
        elif (
            tag == "a"
            and self.link
            and urlsplit(self.link[0]).scheme in {"http", "https"}
        ):
            self._emit(f'<a href="{html.escape(self.link[0])}">')
        elif tag in KEPT or tag in RENAMED:
            spans = "".join(
                f' {k}="{html.escape(values[k])}"'
                for k in ("colspan", "rowspan")
                if tag in {"td", "th"} and values.get(k, "").isdigit()
            )
            self._emit(f"<{RENAMED.get(tag, tag)}{spans}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag not in self.stack:
            return
        while self.stack:
            current = self.stack.pop()
            depth = len(self.stack) + 1
            if self.skip_depth is not None and depth <= self.skip_depth:
                self.skip_depth = None
            elif self.skip_depth is None:
                self._close(current)
            for region in [*self.regions.values(), *self.captures.values()]:
                if region.open and region.depth == depth:
                    region.open = False
            if current == tag:
                break

    def _close(self, tag: str) -> None:
        if tag == "a" and self.link is not None:
            href, text, listed = self.link
            name = collapse("".join(text))
            if listed and is_document_url(href) and name:
                self.links.append((name, href))
            if urlsplit(href).scheme in {"http", "https"}:
                self._emit("</a>")
            self.link = None
        elif tag in BOUNDARIES:
            self._emit("\x00")
        elif tag in KEPT or tag in RENAMED:
            self._emit(f"</{RENAMED.get(tag, tag)}>")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_tag.append(data)
        if self.skip_depth is not None:
            return
        if self.link is not None:
            self.link[1].append(data)
        for capture in self.captures.values():
            if capture.open:
                capture.parts.append(data)
        if self._body_regions():
            self._emit(html.escape(_SPACES.sub(" ", data), quote=False))
        elif data.strip():
            self.outside.append(data.strip())


def _paragraphs(raw: str) -> str:
    blocks = []
    for chunk in raw.split("\x00"):
        chunk = chunk.strip()
        if chunk:
            blocks.append(chunk if _BLOCK_START.match(chunk) else f"<p>{chunk}</p>")
    cleaned = sanitise_body("".join(blocks))
    cleaned = _TRAILING.sub(r"\1", _LEADING.sub(r"\1", cleaned))
    cleaned = _BETWEEN_BLOCKS.sub(r"\1", cleaned)
    previous = None
    while previous != cleaned:
        previous, cleaned = cleaned, _EMPTY_BLOCK.sub("", cleaned)
    return cleaned.strip()


def _table_values(tokens: list[str]) -> dict[str, str]:
    """Values of a 公开目录 table: "索引号：" followed by its value in the next
    cell, or "文号：岚教〔2025〕3号" in one."""
    found: dict[str, str] = {}
    for index, token in enumerate(tokens):
        label, sep, rest = token.replace(":", "：").partition("：")
        key = TABLE_LABELS.get(clean_label(label))
        if key is None or key in found:
            continue
        if sep and rest.strip():
            found[key] = rest.strip()
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        is_label = clean_label(following.partition("：")[0]) in TABLE_LABELS
        found[key] = "" if is_label or (not sep and not following) else following
    return found


def parse_page_html(markup: str, *, base_url: str = "") -> CrawlPage:
    parser = _PageParser(base_url)
    parser.feed(markup)
    parser.close()
    meta = parser.meta
    table = _table_values(parser.outside)
    captured = {k: collapse("".join(r.parts)) for k, r in parser.captures.items()}
    body_html = ""
    for marker in BODY_MARKERS:
        region = parser.regions.get(marker)
        if region is not None:
            body_html = _paragraphs("".join(region.parts))
            if html_to_text(body_html):
                break
    page = CrawlPage(body_html=body_html, body_text=html_to_text(body_html))
    crumbs = [c for c in re.split(r"\s+", captured.get("breadcrumb", "")) if c]
    page_title = [p.strip() for p in "".join(parser.title_tag).split("_") if p.strip()]
    page.column = first(meta.get("columnname", ""), crumbs[-1] if crumbs else "")
    page.title = first(
        meta.get("articletitle", ""),
        captured.get("title", ""),
        table.get("title", ""),
        page_title[0] if len(page_title) > 2 else "",
    )
    page.published = first(
        meta.get("pubdate", ""),
        table.get("published", ""),
        re.sub(r"^[^\d]*", "", captured.get("time", "")),
    )
    page.source_url = first(meta.get("url", ""), base_url)
    page.column_path = column_path_of(page.source_url) if page.source_url else ""
    page.publisher = first(
        table.get("publisher", ""),
        meta.get("contentsource", ""),
        re.sub(r"^来源[:：]\s*", "", captured.get("source", "")),
    )
    page.index_number = table.get("index_number", "")
    page.written_on = table.get("written_on", "")
    page.topic = table.get("topic", "")
    number = table.get("doc_number", "")
    page.doc_number = "" if number in {"无", "-", "—", "/"} else number
    page.doc_number = page.doc_number or document_number_in(page.body_text)
    page.title = recover_title(page.title, page.body_text)
    page.attachment_links = list(dict.fromkeys(parser.links))
    if parser.images:
        page.notes.append(f"正文中的 {parser.images} 张图片未导入（正文不支持图片）")
    return page
