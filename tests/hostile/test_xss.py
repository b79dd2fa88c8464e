"""Script payloads typed into every text field of an item and of an application come
out as text, never as markup: on the portal's item page and lists, in the console, in
the RSS/Atom feeds, in the search results' snippets, in the letters (PDF and DOCX),
the annual report's HTML and the item export.

Pages are parsed, not searched for strings: no element carries an event handler
attribute or a ``javascript:`` URL, no inline script runs, and no injected image or
SVG element exists. In the documents the payload must be present as literal text."""

from __future__ import annotations

import io
import json
import re
import subprocess
from dataclasses import replace
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from docx import Document

from gongkai.accounts.roles import Role
from gongkai.applications import services as applications
from gongkai.applications.letters import render_letter_docx, render_letter_pdf
from gongkai.applications.models import Application
from gongkai.catalogue.models import Item
from gongkai.catalogue.services import editing
from gongkai.catalogue.services.columns import create_column
from gongkai.reports import drafting, exports
from tests.applications.conftest import APPLICANT, REQUEST
from tests.catalogue.conftest import School, staff_for
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World, make_user

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
# 文号 allows any prefix without spaces or brackets: an attribute break-out fits.
NUMBER = '"><svg/onload=alert`1`>〔2025〕1号'


class ActiveContent(HTMLParser):
    """Collects what would run in a browser: handlers, script URLs, inline scripts,
    and the elements the payloads would inject."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "img" and ("src", "x") in attrs:
            self.found.append("<img src=x>")
        if tag == "svg" and any(n.startswith("onload") for n, _v in attrs):
            self.found.append("<svg onload>")
        if tag == "script":
            self._in_script = True
            if not dict(attrs).get("src"):
                self.found.append("inline <script>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert" in data:
            self.found.append("script running alert")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_inert(html: str, where: str) -> None:
    assert active_content(html) == [], where


def assert_shown_as_text(html: str, where: str) -> None:
    """The payload is there for the reader to see, escaped, not dropped."""
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in html.replace("&#x27;", "'")
    ), where


def test_the_checker_would_see_an_unescaped_payload() -> None:
    """The parser-based check is not vacuous: raw payloads are caught."""
    assert active_content(f"<p>{SCRIPT}</p>")
    assert active_content(f'<a title="{BREAKOUT}">')
    assert active_content(f'<a href="{JS_URL}">x</a>')
    assert active_content("<svg/onload=alert`1`>")
    assert active_content('<script src="/static/gongkai/site.js"></script>') == []


@pytest.fixture
def hostile_item(world: World, settings: Any, tmp_path: Path) -> tuple[School, Item]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    school = staff_for(world.school_a, "x")
    item = editing.create_item(
        actor=school.author,
        unit=world.school_a,
        column=school.column,
        kind=school.news,
        title=f"招生通知{SCRIPT}{BREAKOUT}",
        summary=f"概述{BREAKOUT}{SCRIPT}{JS_URL}",
        body=(
            f'<p>正文{SCRIPT}<a href="{JS_URL}">链接</a>'
            f"<img src=x onerror=alert(1)>{BREAKOUT}"
            '<a href="https://example.gov.cn/" onclick="alert(1)">外链</a></p>'
        ),
        document_number=NUMBER,
        written_on=date(2025, 9, 1),
        formed_on=date(2025, 9, 1),
        topic=BREAKOUT,
        genre=SCRIPT,
        interprets=None,
    )
    editing.add_attachment(
        actor=school.author, item=item, name=f"{BREAKOUT}.txt", data="附件".encode()
    )
    publish_quickly(school, item)
    # A second revision, so that the diff page has both.
    editing.update_draft(
        actor=school.author, item=item, title=f"更正{SCRIPT}", summary=BREAKOUT
    )
    item.refresh_from_db()
    return school, item


def test_item_payloads_are_inert_on_the_portal(
    hostile_item: tuple[School, Item], client: Client
) -> None:
    _school, item = hostile_item
    page = client.get(reverse("portal:item", args=[item.pk])).content.decode()
    assert "招生通知" in page
    assert_inert(page, "portal item page")
    assert_shown_as_text(page, "portal item page")
    # The sanitised body kept its safe link and text but lost the script and handlers.
    assert "https://example.gov.cn/" in page and "外链" in page
    for url in (
        reverse("portal:home"),
        reverse("portal:column", args=["xwgk"]),
        reverse("portal:catalogue"),
    ):
        listing = client.get(url).content.decode()
        assert_inert(listing, url)
    listed = client.get(reverse("portal:catalogue"), {"unit": item.unit_id})
    assert "招生通知" in listed.content.decode()


def test_item_payloads_are_inert_in_the_console(
    hostile_item: tuple[School, Item], client: Client
) -> None:
    school, item = hostile_item
    client.force_login(school.author)
    for url in (
        reverse("console:item", args=[item.pk]),
        reverse("console:items"),
        reverse("console:item_edit", args=[item.pk]),
        reverse("console:item_diff", args=[item.pk, 1, 2]),
        reverse("console:inbox"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)
    detail = client.get(reverse("console:item", args=[item.pk])).content.decode()
    assert_shown_as_text(detail, "console item page")


ATOM = "{http://www.w3.org/2005/Atom}"
# The elements a feed reader renders as HTML (RSS description; Atom summary and
# content of type html); titles are plain text in both formats.
HTML_ELEMENTS = {"description", f"{ATOM}summary", f"{ATOM}content"}


def _feed_html_texts(xml: bytes) -> list[str]:
    root = ElementTree.fromstring(xml)
    return [el.text or "" for el in root.iter() if el.tag in HTML_ELEMENTS]


def test_item_payloads_in_the_feeds_are_text_a_feed_reader_renders_harmlessly(
    hostile_item: tuple[School, Item], world: World, client: Client
) -> None:
    for name, args in (
        ("portal:rss", []),
        ("portal:atom", []),
        ("portal:unit_rss", [world.school_a.org_code]),
        ("portal:unit_atom", [world.school_a.org_code]),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert "招生通知" in response.content.decode(), name
        texts = _feed_html_texts(response.content)
        assert any("概述" in t for t in texts), name
        # What the XML carries, once unescaped by the XML parser, is the HTML the
        # reader renders: it must be inert, with the payload shown as text.
        for text in texts:
            assert_inert(text, f"{name}: {text[:80]}")
            if "概述" in text:
                assert_shown_as_text(text, name)


def test_item_payloads_in_search_snippets_are_escaped_around_the_highlight(
    hostile_item: tuple[School, Item], client: Client
) -> None:
    for query in ("招生通知", "alert", "onerror", "script"):
        page = client.get(reverse("portal:search"), {"q": query}).content.decode()
        assert_inert(page, f"search {query}")
    page = client.get(reverse("portal:search"), {"q": "招生通知"}).content.decode()
    assert "<mark>" in page


def test_item_payloads_in_the_export_keep_the_sanitised_body(
    hostile_item: tuple[School, Item], tmp_path: Path
) -> None:
    out = tmp_path / "export"
    call_command("items", "export", str(out))
    exported = "\n".join(
        p.read_text(encoding="utf-8")
        for p in out.rglob("*")
        if p.is_file() and p.suffix in {".json", ".jsonl", ".html", ".csv"}
    )
    assert "招生通知" in exported
    for line in exported.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        bodies = re.findall(r'"body": "((?:[^"\\]|\\.)*)"', json.dumps(record))
        for body in bodies:
            assert_inert(json.loads(f'"{body}"'), "exported body")


@pytest.fixture
def hostile_application(world: World) -> Application:
    officer = make_user(world.bureau, "x_officer", Role.DISCLOSURE_OFFICER)
    app = applications.register_application(
        actor=officer,
        unit=world.bureau,
        channel="in_person",
        submitted_on=date(2025, 11, 3),
        applicant=replace(
            APPLICANT,
            name=f"张三{SCRIPT}",
            address=f"某路1号{BREAKOUT}",
            contact_person=BREAKOUT,
            postcode="521000",
        ),
        request=replace(
            REQUEST,
            subject=f"招生计划{SCRIPT}{BREAKOUT}",
            description=f"请提供{JS_URL} {BREAKOUT} {SCRIPT}",
            document_number=BREAKOUT,
        ),
        today=date(2025, 11, 10),
    )
    applications.decide(
        actor=officer,
        application=app,
        outcome_key="granted",
        on=date(2025, 11, 10),
        reasoning=f"予以公开{SCRIPT}",
        provided=f"招生计划.pdf{BREAKOUT}",
        today=date(2025, 11, 10),
    )
    app.refresh_from_db()
    return app


def test_application_payloads_are_inert_in_the_console_and_on_the_tracking_page(
    hostile_application: Application, client: Client
) -> None:
    officer = hostile_application.events.first().actor  # type: ignore[union-attr]
    client.force_login(officer)
    for url in (
        reverse("console:application", args=[hostile_application.pk]),
        reverse("console:applications"),
        reverse("console:inbox"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)
    detail = client.get(
        reverse("console:application", args=[hostile_application.pk])
    ).content.decode()
    assert_shown_as_text(detail, "console application page")
    public = Client()
    for url in (
        reverse("portal:receipt", args=[hostile_application.query_code]),
        reverse("portal:track") + f"?code={hostile_application.query_code}",
    ):
        response = public.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)


def _flat(text: str) -> str:
    return "".join(text.split())


def test_application_payloads_are_literal_text_in_the_letters(
    hostile_application: Application, tmp_path: Path
) -> None:
    pdf = render_letter_pdf(hostile_application, "decision")
    source = tmp_path / "letter.pdf"
    source.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(source), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert _flat(SCRIPT) in _flat(text)
    assert _flat("onerror=alert(1)") in _flat(text)
    document = Document(io.BytesIO(render_letter_docx(hostile_application, "decision")))
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert SCRIPT in words


def test_narrative_payloads_are_escaped_in_the_annual_report_html(
    world: World,
) -> None:
    create_column(actor=None, unit=world.bureau, name="年度报告", slug="ndbg")
    office = make_user(world.bureau, "x_office", Role.DISCLOSURE_OFFICER, Role.AUTHOR)
    report = drafting.start_draft(actor=office, unit=world.bureau, year=2025)
    drafting.update_narrative(
        actor=office,
        draft=report,
        overview=f"总体情况{SCRIPT}\n{BREAKOUT}",
        problems=f"问题{JS_URL}{SCRIPT}",
        other=BREAKOUT,
    )
    html = exports.to_html(drafting.report_of(report))
    assert_inert(html, "report html")
    assert_shown_as_text(html, "report html")
    report.refresh_from_db()
    assert report.item is not None
    body = report.item.draft_revision.body  # type: ignore[union-attr]
    assert_inert(body, "report item body")


def test_a_feed_text_check_sees_unescaped_markup() -> None:
    xml = (
        b"<rss><channel><item><description>&lt;img src=x onerror=alert(1)&gt;"
        b"</description></item></channel></rss>"
    )
    assert any(active_content(t) for t in _feed_html_texts(xml))
    assert unescape("&lt;b&gt;") == "<b>"
