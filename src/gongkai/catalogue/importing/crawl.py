"""A crawl of an old site: one folder per item holding ``page.html`` and/or
``page.txt`` (the crawler's text form), ``links.tsv`` and sometimes
``attachments/``. Each folder becomes one row for the importer; when both forms
were saved the HTML page is read first and the text form fills its gaps."""

from __future__ import annotations

import csv
import re
from dataclasses import fields
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from gongkai.catalogue.importing.crawl_html import parse_page_html
from gongkai.catalogue.importing.crawl_text import parse_page_text
from gongkai.catalogue.importing.pages import CrawlPage
from gongkai.catalogue.importing.sources import AttachmentFile, SourceRow

PAGE_FILES = ("page.html", "page.htm", "page.txt")


def _merge(primary: CrawlPage, secondary: CrawlPage) -> CrawlPage:
    for f in fields(CrawlPage):
        mine, theirs = getattr(primary, f.name), getattr(secondary, f.name)
        if f.name == "notes":
            primary.notes = list(dict.fromkeys([*mine, *theirs]))
        elif not mine and theirs:
            setattr(primary, f.name, theirs)
    if not primary.body_text and secondary.body_text:
        primary.body_html = secondary.body_html
    return primary


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig", errors="replace")


def _file_links(folder: Path) -> list[tuple[str, str]]:
    """Attachment links recorded by the crawler in ``links.tsv``."""
    path = folder / "links.tsv"
    if not path.exists():
        return []
    reader = csv.DictReader(_read(path).splitlines(), delimiter="\t")
    return [
        (row.get("text") or "", row.get("href") or "")
        for row in reader
        if row.get("kind") == "file" and (row.get("text") or "").strip()
    ]


def _attachments(
    folder: Path, page: CrawlPage
) -> tuple[list[AttachmentFile], list[str]]:
    saved = sorted(p for p in (folder / "attachments").rglob("*") if p.is_file())
    by_name = {p.name.lower(): p for p in saved}
    links = list(dict.fromkeys([*page.attachment_links, *_file_links(folder)]))
    found: list[AttachmentFile] = []
    notes: list[str] = []
    used: set[Path] = set()
    named = {name for name, href in links if href}
    for name, href in links:
        if not href and name in named:
            continue  # the text form's bare name of a link found with its address
        basename = unquote(PurePosixPath(urlsplit(href).path).name).lower()
        path = by_name.get(basename) if basename else by_name.get(name.lower())
        if path is None:
            notes.append(f"附件“{name}”未随页面保存，未导入")
        elif path not in used:
            used.add(path)
            found.append(AttachmentFile(name=name, path=path))
    for path in saved:
        if path not in used:
            name = (
                page.title + path.suffix.lower()
                if page.direct_attachment
                else path.name
            )
            found.append(AttachmentFile(name=name, path=path))
    if page.direct_attachment and not saved:
        notes.append("原网站该条目为直接附件，附件文件未随页面保存")
    return found, notes


def _slug(column_path: str) -> str:
    last = column_path.rstrip("/").rpartition("/")[2].lower()
    return re.sub(r"[^a-z0-9_-]+", "-", last).strip("-")[:40]


def read_folder(folder: Path) -> CrawlPage:
    """The page of one item folder, both saved forms merged."""
    text_page = (
        parse_page_text(_read(folder / "page.txt"))
        if (folder / "page.txt").exists()
        else None
    )
    html_path = next(
        (folder / n for n in PAGE_FILES[:2] if (folder / n).exists()), None
    )
    if html_path is None:
        assert text_page is not None
        return text_page
    base = text_page.source_url if text_page else ""
    page = parse_page_html(_read(html_path), base_url=base)
    return _merge(page, text_page) if text_page else page


def read_crawl(root: Path) -> list[SourceRow]:
    """One row per item folder below ``root``, in path order."""
    folders = sorted({p.parent for name in PAGE_FILES for p in root.rglob(name)})
    pages = [(folder, read_folder(folder)) for folder in folders]
    # Direct-attachment entries name only their column's path; other pages of
    # the same column give its label.
    labels = {p.column_path: p.column for _, p in pages if p.column and p.column_path}
    rows: list[SourceRow] = []
    for position, (folder, page) in enumerate(pages, start=1):
        label = folder.relative_to(root).as_posix()
        attachments, notes = _attachments(folder, page)
        column = page.column or labels.get(page.column_path, "")
        data = {
            "id": page.source_url or label,
            "title": page.title,
            "published_on": page.published,
            "doc_number": page.doc_number,
            "written_on": page.written_on,
            "index_number": page.index_number,
            "topic": page.topic,
            "column": column,
            "column_slug": _slug(page.column_path),
            "body": page.body_html,
            "body_format": "html",
            "source": page.publisher,
        }
        row = SourceRow(position, data, label=label, attachments=attachments)
        row.notes = [*page.notes, *notes]
        if not page.body_text and not page.direct_attachment:
            row.notes.append("未找到正文")
        rows.append(row)
    return rows
