"""Reading a published report file (HTML, DOCX or plain text) into text for the
report reader of ``gongkai.law.report_reader``."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from gongkai.law.report_html import html_to_text

MAX_BYTES = 50 * 1024 * 1024


class UnreadableReport(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableReport("文件不是可识别的文本编码（应为 UTF-8 或 GB18030）")


def docx_text(data: bytes) -> str:
    """Paragraphs and tables in document order; cells separated by `` | ``."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(data))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            # A merged cell is returned once per grid position it covers; like a
            # rowspan/colspan in HTML, its text is kept only where it starts.
            # The elements are kept alive in the dict, so their ids stay unique.
            seen: dict[int, object] = {}
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen[id(cell._tc)] = cell._tc
                    cells.append(cell.text)
                lines.append(" | " + " | ".join(cells) + " | ")
    return "\n".join(lines)


def read_text(path: Path) -> str:
    """The report's text; ``UnreadableReport`` with a Chinese reason otherwise."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableReport(f"无法读取文件“{path}”：{exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise UnreadableReport("文件超过 50 MB，不像是一份年度报告")
    if data[:4] == b"PK\x03\x04":
        try:
            return docx_text(data)
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise UnreadableReport(f"无法读取 DOCX 文件：{exc}") from None
        except (
            Exception
        ) as exc:  # python-docx, lxml and zlib: many types for a broken file
            raise UnreadableReport(
                f"无法读取 DOCX 文件：文件已损坏或不是 Word 文档（{type(exc).__name__}）"
            ) from None
    if data[:5] == b"%PDF-":
        raise UnreadableReport("暂不支持 PDF 文件，请提供 HTML、DOCX 或纯文本")
    if b"\x00" in data[:4096]:
        raise UnreadableReport("文件是二进制文件，不是 HTML、DOCX 或纯文本")
    text = _decode(data)
    head = text[:2000].lower()
    if path.suffix.lower() in {".html", ".htm"} or "<html" in head or "<table" in head:
        return html_to_text(text)
    return text
