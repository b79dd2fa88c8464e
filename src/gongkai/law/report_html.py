"""The text of an HTML page as the report reader needs it: cells separated by
`` | ``, rows and blocks by line breaks, scripts and styles dropped."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Final

_BLOCKS: Final = frozenset(
    {"p", "div", "br", "tr", "table", "h1", "h2", "h3", "h4", "li", "section", "title"}
)
_CELLS: Final = frozenset({"td", "th"})
_SKIP: Final = frozenset({"script", "style", "head"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in _SKIP:
            self.skipping += 1
        elif tag in _CELLS:
            self.parts.append(" | ")
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _CELLS:
            self.parts.append(" | ")
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Visible text; the page title first, as ``标题: …``."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    title = "".join(parser.title).strip()
    body = "".join(parser.parts)
    return (f"标题: {title}\n" if title else "") + body
