"""Text of an accepted document, for the sensitive-information scanner.

Callers pass bytes that :func:`gongkai.documents.filetypes.check_upload` accepted (so
archives are already checked for bombs) and the ``kind`` it returned. The text is
what a reader sees: PDF page text, DOCX paragraphs, tables, text boxes, headers and
footers, every XLSX sheet with its name. Images give no text (there is no OCR); the
legacy binary formats (DOC, XLS, WPS) and OFD cannot be read yet and say so, so that
an unreadable attachment is never taken for a clean one.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from typing import Any, Final

import docx
import openpyxl
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PasswordType, PdfReader

from gongkai.documents.filetypes import TYPES

MAX_TEXT_CHARS: Final = 5_000_000
TEXT_KINDS: Final = frozenset({"pdf", "docx", "xlsx", "txt"})
IMAGE_KINDS: Final = frozenset({"png", "jpeg", "gif", "webp"})

_W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK: Final = (
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
)


class ExtractionError(ValueError):
    """The text of a document could not be read in full; ``message`` is Chinese."""

    message: str

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class TextTooLong(ExtractionError):
    """The document holds more text than the scanner is given."""


def _limited(parts: Iterable[str], max_chars: int) -> str:
    """Join ``parts`` with newlines, refusing to grow past ``max_chars``.

    The limit is an error rather than a cut: text left unscanned must not pass as
    checked.
    """
    kept: list[str] = []
    size = 0
    for part in parts:
        size += len(part) + 1
        if size > max_chars + 1:
            raise TextTooLong(
                f"文件中的文字超过 {max_chars:,} 个字符，无法完整检查，请拆分后再上传"
            )
        kept.append(part)
    return "\n".join(kept)


def _pdf_pages(data: bytes) -> Iterator[str]:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise ExtractionError("PDF 文件设有打开密码，无法读取其中的文字")
    for page in reader.pages:
        yield page.extract_text()


def _docx_blocks(container: Any) -> Iterator[str]:
    """Paragraphs and table rows in document order; a row's cells joined by tabs."""
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                seen: list[Any] = []
                cells: list[str] = []
                for cell in row.cells:
                    if cell._tc in seen:  # a merged cell is listed once per grid column
                        continue
                    seen.append(cell._tc)
                    cells.append(" ".join(_docx_blocks(cell)).strip())
                yield "\t".join(cells).rstrip("\t")
        else:
            yield block.text


def _docx_parts(data: bytes) -> Iterator[str]:
    document = docx.Document(io.BytesIO(data))
    yield from _docx_blocks(document)
    # Text boxes (stamps, marks placed on the page) are not part of the body's
    # paragraphs; their legacy VML copy under mc:Fallback would count them twice.
    for box in document.element.body.iter(_W + "txbxContent"):
        if not any(a.tag == _MC_FALLBACK for a in box.iterancestors()):
            yield from (Paragraph(p, document).text for p in box.iter(_W + "p"))
    for section in document.sections:
        for part in (
            section.header,
            section.first_page_header,
            section.even_page_header,
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        ):
            if not part.is_linked_to_previous:
                yield from _docx_blocks(part)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _xlsx_rows(data: bytes) -> Iterator[str]:
    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it does not read.
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True
        )
        try:
            for sheet in workbook.worksheets:
                yield sheet.title
                for row in sheet.iter_rows(values_only=True):
                    cells = ["" if v is None else _cell_text(v) for v in row]
                    if any(cells):
                        yield "\t".join(cells).rstrip("\t")
        finally:
            workbook.close()


def _decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError("文本文件既不是 UTF-8 编码也不是 GB18030 编码，无法读取")


def extract_text(data: bytes, kind: str, *, max_chars: int = MAX_TEXT_CHARS) -> str:
    """The text of a document of type ``kind`` (as detected by ``check_upload``).

    ``""`` for images. :class:`ExtractionError` (in Chinese) for a damaged or
    password-protected file, for a kind whose text cannot be read, and
    (:class:`TextTooLong`) for more than ``max_chars`` characters.
    """
    if kind in IMAGE_KINDS:
        return ""
    if kind == "txt":
        return _limited([_decode_text(data)], max_chars)
    readers = {"pdf": _pdf_pages, "docx": _docx_parts, "xlsx": _xlsx_rows}
    if kind not in readers:
        label = TYPES[kind].label if kind in TYPES else kind
        raise ExtractionError(
            f"暂不能从{label}中提取文字，请另存为 PDF、DOCX 或 XLSX 后再检查"
        )
    try:
        return _limited(readers[kind](data), max_chars)
    except ExtractionError:
        raise
    except Exception as exc:
        # The parsers raise many kinds of errors for damaged input (KeyError,
        # zlib.error, struct.error, their own exceptions); all mean the same here.
        raise ExtractionError(
            f"{TYPES[kind].label}已损坏或格式不规范，无法提取文字"
        ) from exc
