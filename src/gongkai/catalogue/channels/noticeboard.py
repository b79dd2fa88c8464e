"""The notice-board channel (公告栏): a printable A4 PDF per published item, for
schools that post 校务公开 on a board. The file goes to the default storage under
``exports/noticeboard/<unit>/<date>-<索引号>.pdf``; a repeated delivery renders the
same name again, so the board never gets two sheets for one item."""

from __future__ import annotations

from typing import Any

from gongkai.catalogue.channels.common import (
    clean_body,
    file_stem,
    portal_url,
    published_on,
    replace_file,
    unit_folder,
)
from gongkai.catalogue.models import Delivery
from gongkai.core.pdf import render_pdf

TEMPLATE = "catalogue/noticeboard.html"


def file_name(delivery: Delivery) -> str:
    return f"exports/noticeboard/{unit_folder(delivery)}/{file_stem(delivery)}.pdf"


def sheet_context(delivery: Delivery) -> dict[str, Any]:
    item, revision = delivery.item, delivery.revision
    return {
        "title": revision.title,
        "unit": item.unit.name,
        "index_number": item.index_number or "",
        "document_number": revision.document_number,
        "written_on": revision.written_on,
        "published_on": published_on(delivery),
        "summary": revision.summary,
        "body": clean_body(revision.body),
        "attachments": [a.name for a in revision.attachments.all()],
        "url": portal_url(item),
    }


def render_sheet(delivery: Delivery) -> bytes:
    return render_pdf(TEMPLATE, sheet_context(delivery))


def export_to_notice_board(delivery: Delivery) -> None:
    """Sender for ``notice_board`` channels."""
    replace_file(file_name(delivery), render_sheet(delivery))
