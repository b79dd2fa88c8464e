"""What an uploaded file is, decided from its content, and whether to accept it.

The name a user gives a file is a claim; the bytes decide. :func:`detect_type` reads the
magic bytes (and, for ZIP containers, the member names); :func:`check_upload` applies
the allow-list, the size limits, the claimed-extension check and the archive checks.
Markup (HTML, SVG) and programs are refused outright: served back from the portal,
they could run script in a visitor's browser or on a staff member's computer.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Final

MIB: Final = 1024 * 1024
MAX_UPLOAD_BYTES: Final = 50 * MIB
MAX_UNZIPPED_BYTES: Final = 200 * MIB
MAX_ARCHIVE_MEMBERS: Final = 2000

_READ_CHUNK: Final = 64 * 1024
_SNIFF_BYTES: Final = 64 * 1024


class FileRefused(ValueError):
    """A file that is not accepted; ``message`` says why, in Chinese.

    ``reason`` is a stable code for programs: ``empty``, ``too_large``, ``markup``,
    ``executable``, ``unknown``, ``not_allowed``, ``mismatch``, ``archive``.
    """

    reason: str
    message: str

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class DetectedType:
    """A file type: ``kind`` (``"pdf"``, ``"docx"`` …), its MIME type, the usual
    extension (without the dot) and a Chinese label for messages."""

    kind: str
    mime: str
    extension: str
    label: str


def _type(kind: str, mime: str, extension: str, label: str) -> DetectedType:
    return DetectedType(kind=kind, mime=mime, extension=extension, label=label)


_OOXML: Final = "application/vnd.openxmlformats-officedocument."
TYPES: Final[dict[str, DetectedType]] = {
    t.kind: t
    for t in (
        _type("pdf", "application/pdf", "pdf", "PDF 文档"),
        _type("doc", "application/msword", "doc", "Word 97-2003 文档（DOC）"),
        _type("xls", "application/vnd.ms-excel", "xls", "Excel 97-2003 工作簿（XLS）"),
        _type("wps", "application/wps-office.wps", "wps", "WPS 文字文档（WPS）"),
        _type("ole", "application/x-ole-storage", "", "OLE 复合文档"),
        _type(
            "docx", _OOXML + "wordprocessingml.document", "docx", "Word 文档（DOCX）"
        ),
        _type("xlsx", _OOXML + "spreadsheetml.sheet", "xlsx", "Excel 工作簿（XLSX）"),
        _type(
            "pptx",
            _OOXML + "presentationml.presentation",
            "pptx",
            "PowerPoint 演示文稿（PPTX）",
        ),
        _type("ofd", "application/ofd", "ofd", "OFD 版式文档"),
        _type("zip", "application/zip", "zip", "ZIP 压缩包"),
        _type("png", "image/png", "png", "PNG 图片"),
        _type("jpeg", "image/jpeg", "jpg", "JPEG 图片"),
        _type("gif", "image/gif", "gif", "GIF 图片"),
        _type("webp", "image/webp", "webp", "WebP 图片"),
        _type("txt", "text/plain", "txt", "纯文本文件"),
    )
}

ALLOWED_KINDS: Final = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "wps", "ofd", "png", "jpeg", "gif", "webp"}
    | {"zip", "txt"}
)

# The extensions a name may carry for each kind; anything else is a mismatch.
_EXTENSIONS: Final[dict[str, frozenset[str]]] = {
    kind: frozenset({t.extension}) for kind, t in TYPES.items() if t.extension
} | {"jpeg": frozenset({"jpg", "jpeg"}), "txt": frozenset({"txt", "text"})}

_ARCHIVE_KINDS: Final = frozenset({"docx", "xlsx", "pptx", "ofd", "zip"})
_OLE_KINDS_BY_EXTENSION: Final = {"doc": "doc", "xls": "xls", "wps": "wps"}
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS: Final = (b"PK\x03\x04", b"PK\x05\x06")
_EXECUTABLE_MAGICS: Final = (
    b"MZ",  # Windows PE, DOS
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O, 32 and 64 bit, both byte orders
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
)
# The most specific first: an SVG image holding a <script> is reported as SVG.
_MARKUP: Final = (
    (b"<svg", "SVG 矢量图"),
    (b"<!doctype html", "网页（HTML）"),
    (b"<html", "网页（HTML）"),
    (b"<script", "含脚本的网页（HTML）"),
    (b"<iframe", "网页（HTML）"),
    (b"<body", "网页（HTML）"),
    (b"<?xml", "XML 文件"),
)
# C0 and C1 controls except tab, line feed, form feed and carriage return; NUL included.
_CONTROL_CHARS: Final = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of ``data`` in lowercase hex (for de-duplication and audit)."""
    return hashlib.sha256(data).hexdigest()


def _named(filename: str) -> str:
    return f"文件“{filename}”" if filename else "该文件"


def _extension(filename: str) -> str:
    return PurePosixPath(filename.replace("\\", "/")).suffix.lower().lstrip(".")


def _zip_kind(data: bytes, filename: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileRefused(
            "archive", f"{_named(filename)}是损坏的 ZIP 压缩包，无法读取"
        ) from None
    if "[Content_Types].xml" in names:
        for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(name.startswith(prefix) for name in names):
                return kind
    if "OFD.xml" in names:
        return "ofd"
    return "zip"


def _ole_kind(data: bytes, filename: str) -> str:
    """DOC, XLS and WPS share one container; the name's extension picks the label.

    Without a known extension, the directory's stream names (UTF-16) tell Word
    documents from workbooks.
    """
    if kind := _OLE_KINDS_BY_EXTENSION.get(_extension(filename)):
        return kind
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data:
        return "xls"
    return "ole"


def _is_text(data: bytes) -> bool:
    """UTF-8 (or, for older Chinese files, GB18030) without control characters."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not _CONTROL_CHARS.search(text)
    return False


def _refuse_active_content(data: bytes, filename: str) -> None:
    if data.startswith(_EXECUTABLE_MAGICS):
        raise FileRefused("executable", f"{_named(filename)}是可执行程序，不予接收")
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"#!"):
        raise FileRefused("executable", f"{_named(filename)}是脚本程序，不予接收")
    for marker, what in _MARKUP:
        if marker in head:
            raise FileRefused(
                "markup",
                f"{_named(filename)}是{what}，可能含有脚本，不予接收；"
                "请转换为 PDF 或图片后上传",
            )


def detect_type(data: bytes, filename: str = "") -> DetectedType:
    """The type of ``data`` judged by its content; ``filename`` only names it.

    Raises :class:`FileRefused` for empty files, markup (HTML, SVG, XML), scripts,
    executables and content that is none of the known types.
    """
    if not data:
        raise FileRefused("empty", f"{_named(filename)}是空文件")
    kind = ""
    if data.startswith(b"%PDF-"):
        kind = "pdf"
    elif data.startswith(_OLE_MAGIC):
        kind = _ole_kind(data, filename)
    elif data.startswith(_ZIP_MAGICS):
        kind = _zip_kind(data, filename)
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif data.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif data.startswith((b"GIF87a", b"GIF89a")):
        kind = "gif"
    elif data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        kind = "webp"
    else:
        _refuse_active_content(data, filename)
        if _is_text(data):
            kind = "txt"
    if not kind:
        raise FileRefused("unknown", f"无法识别{_named(filename)}的格式，不予接收")
    return TYPES[kind]


def _check_member_name(name: str, filename: str) -> None:
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
        raise FileRefused(
            "archive",
            f"{_named(filename)}中的“{name}”指向压缩包以外的位置，不予接收",
        )


def _check_archive(
    data: bytes, filename: str, *, max_unzipped_bytes: int, max_members: int
) -> None:
    """Refuse zip bombs, path traversal and archives that cannot be read in full.

    The central directory's sizes are checked first; then every member is read with a
    running count, so an archive whose headers under-state the content cannot expand
    past the limit (a member that does not match its header fails its CRC check).
    """
    too_big = (
        f"{_named(filename)}解压后超过 {max_unzipped_bytes // MIB} MB，"
        "可能是“压缩炸弹”，不予接收"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > max_members:
                raise FileRefused(
                    "archive",
                    f"{_named(filename)}包含 {len(members)} 个文件，"
                    f"超过上限 {max_members} 个，不予接收",
                )
            for member in members:
                _check_member_name(member.filename, filename)
            if sum(member.file_size for member in members) > max_unzipped_bytes:
                raise FileRefused("archive", too_big)
            total = 0
            for member in members:
                read = 0
                with archive.open(member) as stream:
                    while chunk := stream.read(_READ_CHUNK):
                        read += len(chunk)
                        total += len(chunk)
                        if total > max_unzipped_bytes or read > member.file_size:
                            raise FileRefused("archive", too_big)
    except FileRefused:
        raise
    except NotImplementedError:
        raise FileRefused(
            "archive",
            f"{_named(filename)}使用了不支持的压缩方式，无法检查其内容，不予接收",
        ) from None
    except RuntimeError:
        # After NotImplementedError, its subclass: zipfile raises RuntimeError for an encrypted member opened without password.
        raise FileRefused(
            "archive", f"{_named(filename)}含有加密文件，无法检查其内容，不予接收"
        ) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileRefused(
            "archive",
            f"{_named(filename)}已损坏或与其目录记录不符，无法完整读取，不予接收",
        ) from None


def check_upload(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
    max_members: int = MAX_ARCHIVE_MEMBERS,
) -> DetectedType:
    """The type of an uploaded file, or :class:`FileRefused` with the reason.

    Accepted: PDF, DOC, DOCX, XLS, XLSX, WPS, OFD, PNG, JPEG, GIF, WebP, ZIP and plain
    text, each only under its own extension (a name without extension claims
    nothing). Archives (ZIP and the ZIP-based DOCX, XLSX, OFD) must stay within
    ``max_unzipped_bytes`` and ``max_members`` and may not name paths outside
    themselves. Archives inside an archive are not opened.
    """
    if len(data) > max_bytes:
        raise FileRefused(
            "too_large",
            f"{_named(filename)}大小为 {len(data) / MIB:.1f} MB，"
            f"超过上限 {max_bytes // MIB} MB，不予接收",
        )
    detected = detect_type(data, filename)
    if detected.kind not in ALLOWED_KINDS:
        raise FileRefused(
            "not_allowed",
            f"{_named(filename)}是{detected.label}，不在允许上传的类型之列",
        )
    claimed = _extension(filename)
    if claimed and claimed not in _EXTENSIONS[detected.kind]:
        raise FileRefused(
            "mismatch",
            f"{_named(filename)}的扩展名为 .{claimed}，但内容是{detected.label}，"
            "名实不符，不予接收",
        )
    if detected.kind in _ARCHIVE_KINDS:
        _check_archive(
            data,
            filename,
            max_unzipped_bytes=max_unzipped_bytes,
            max_members=max_members,
        )
    if detected.kind in _POLYGLOT_KINDS:
        _refuse_polyglot(data, filename, detected)
    if detected.kind == "pdf":
        _check_pdf(data, filename)
    return detected


# Markup or script inside a file that passes for an image or a PDF (a polyglot): a
# browser that sniffs it as HTML, or a page that includes it as a script, runs it.
_POLYGLOT_KINDS: Final = frozenset({"pdf", "png", "jpeg", "gif", "webp"})
_POLYGLOT_MARKERS: Final = (
    b"<script",
    b"<html",
    b"<!doctype html",
    b"<iframe",
    b"<body",
    b"<svg",
    b"<object",
    b"<embed",
    b"javascript:",
)
_EVENT_HANDLER: Final = re.compile(rb"<[a-z][^>]{0,200}\son[a-z]+\s*=")
# Actions that run code or contact a server when a PDF is opened.
_PDF_ACTIONS: Final = re.compile(rb"/(?:JavaScript|JS|Launch|SubmitForm|ImportData)\b")


def _refuse_polyglot(data: bytes, filename: str, detected: DetectedType) -> None:
    lowered = data.lower()
    marker = next((m for m in _POLYGLOT_MARKERS if m in lowered), None)
    if marker is None and _EVENT_HANDLER.search(lowered):
        marker = b"on...="
    # A GIF whose header runs on into a JavaScript comment ("GIF89a/*…*/=…") is
    # also a script.
    if marker is None and detected.kind == "gif" and data[6:8] == b"/*":
        marker = b"/*"
    if marker is not None:
        raise FileRefused(
            "polyglot",
            f"{_named(filename)}虽是{detected.label}，但其中夹带网页或脚本代码"
            f"（“{marker.decode()}”），可能是伪装文件，不予接收",
        )
    if detected.kind == "pdf" and (action := _PDF_ACTIONS.search(data)):
        raise FileRefused(
            "active_pdf",
            f"{_named(filename)}含有脚本或自动执行的动作（{action.group().decode()}），"
            "不予接收；请用“打印为 PDF”重新生成后上传",
        )


def _check_pdf(data: bytes, filename: str) -> None:
    """A PDF that cannot be opened, has no pages or needs a password to open is
    refused: it could not be checked for sensitive information."""
    from pypdf import PasswordType, PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise FileRefused(
                "encrypted",
                f"{_named(filename)}设有打开密码，无法检查其内容，不予接收",
            )
        pages = len(reader.pages)
    except FileRefused:
        raise
    except Exception:
        # pypdf raises many kinds of errors for a damaged file (its own, KeyError,
        # ValueError, zlib.error, RecursionError …); all mean the same here.
        pages = 0
    if pages == 0:
        raise FileRefused(
            "damaged",
            f"{_named(filename)}已损坏，不是可以打开的 PDF 文件，不予接收",
        )
