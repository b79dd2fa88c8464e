"""Small documents built in memory for the tests: DOCX, XLSX, PDF and ZIP archives."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable, Mapping, Sequence

import docx
import openpyxl


def docx_bytes(
    paragraphs: Iterable[str] = (),
    *,
    table: Sequence[Sequence[str]] = (),
    header: str = "",
    footer: str = "",
) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(sheets: Mapping[str, Sequence[Sequence[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF file of ``objects`` (1-based; object 1 is the catalog) with its xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def _escape(text: str) -> bytes:
    raw = text.encode("latin-1")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def pdf_bytes(lines: Sequence[str]) -> bytes:
    """A one-page PDF showing ASCII ``lines`` in Helvetica (a standard 14 font)."""
    content = (
        b"BT /F1 12 Tf 72 720 Td 16 TL\n"
        + b"".join(b"(" + _escape(line) + b") Tj T*\n" for line in lines)
        + b"ET"
    )
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
            b" /Encoding /WinAnsiEncoding >>",
            _stream(content),
        ]
    )


def chinese_pdf_bytes(lines: Sequence[str]) -> bytes:
    """A one-page PDF in the Adobe-GB1 font STSong-Light, not embedded.

    The text is written in the predefined CMap UniGB-UTF16-H, so its character
    codes are UTF-16BE and a reader needs no ToUnicode map to recover it.
    """
    content = (
        b"BT /F1 12 Tf 72 720 Td 16 TL\n"
        + b"".join(
            b"<" + line.encode("utf-16-be").hex().upper().encode() + b"> Tj T*\n"
            for line in lines
        )
        + b"ET"
    )
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light"
            b" /Encoding /UniGB-UTF16-H /DescendantFonts [6 0 R] >>",
            _stream(content),
            b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
            b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >>"
            b" /FontDescriptor 7 0 R >>",
            b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6"
            b" /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880"
            b" /Descent -120 /CapHeight 880 /StemV 93 >>",
        ]
    )


def zip_bytes(
    members: Mapping[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _patch_headers(data: bytes, patch: dict[str, int]) -> bytes:
    """Rewrite fields of every local and central header (APPNOTE.TXT 4.3.7, 4.3.12)."""
    # name: (offset in a local header, offset in a central header); both fields are
    # little-endian; "flags" and "method" are two bytes, "file_size" four.
    fields: dict[str, tuple[int, int, str]] = {
        "flags": (6, 8, "<H"),
        "method": (8, 10, "<H"),
        "file_size": (22, 24, "<I"),
    }
    out = bytearray(data)
    for signature, in_directory in ((b"PK\x03\x04", False), (b"PK\x01\x02", True)):
        start = out.find(signature)
        while start >= 0:
            for name, value in patch.items():
                local, central, layout = fields[name]
                offset = central if in_directory else local
                struct.pack_into(layout, out, start + offset, value)
            start = out.find(signature, start + 4)
    return bytes(out)


def lying_zip_bytes(name: str, content: bytes, claimed_size: int) -> bytes:
    """An archive whose headers declare ``claimed_size`` for a bigger member."""
    return _patch_headers(zip_bytes({name: content}), {"file_size": claimed_size})


def encrypted_zip_bytes(name: str, content: bytes) -> bytes:
    """An archive whose member is flagged as encrypted (general purpose bit 0)."""
    return _patch_headers(
        zip_bytes({name: content}, compression=zipfile.ZIP_STORED), {"flags": 1}
    )


def deflate64_zip_bytes(name: str, content: bytes) -> bytes:
    """An archive claiming compression method 9 (Deflate64), which zipfile lacks."""
    return _patch_headers(zip_bytes({name: content}), {"method": 9})
