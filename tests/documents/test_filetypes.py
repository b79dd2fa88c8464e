"""File typing by content, and the checks on uploads."""

from __future__ import annotations

import io
import zipfile

import pytest

from gongkai.documents.filetypes import (
    ALLOWED_KINDS,
    MIB,
    TYPES,
    FileRefused,
    check_upload,
    detect_type,
    sha256_hex,
)

from .builders import (
    deflate64_zip_bytes,
    docx_bytes,
    encrypted_zip_bytes,
    lying_zip_bytes,
    pdf_bytes,
    xlsx_bytes,
    zip_bytes,
)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(16)
GIF = b"GIF89a\x01\x00\x01\x00" + bytes(16)
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 " + bytes(16)
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
WORD_OLE = OLE_HEADER + "WordDocument".encode("utf-16-le")
EXCEL_OLE = OLE_HEADER + "Workbook".encode("utf-16-le")


def refused(data: bytes, filename: str, **limits: int) -> FileRefused:
    with pytest.raises(FileRefused) as raised:
        check_upload(data, filename, **limits)
    return raised.value


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (pdf_bytes(["hello"]), "年报.pdf", "pdf"),
        (docx_bytes(["正文"]), "通知.docx", "docx"),
        (xlsx_bytes({"名单": [["姓名"]]}), "名单.xlsx", "xlsx"),
        (zip_bytes({"a.txt": b"a", "b/c.txt": b"c"}), "附件.zip", "zip"),
        (
            zip_bytes({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}),
            "公文.ofd",
            "ofd",
        ),
        (PNG, "图.png", "png"),
        (JPEG, "照片.jpg", "jpeg"),
        (JPEG, "照片.JPEG", "jpeg"),
        (GIF, "动图.gif", "gif"),
        (WEBP, "图.webp", "webp"),
        ("第一行\n第二行\t完\r\n".encode(), "说明.txt", "txt"),
        ("\ufeffUTF-8 带 BOM".encode(), "说明.txt", "txt"),
        ("国标编码的说明".encode("gb18030"), "说明.txt", "txt"),
        (OLE_HEADER, "旧文件.doc", "doc"),
        (OLE_HEADER, "旧表格.xls", "xls"),
        (OLE_HEADER, "旧文件.wps", "wps"),
        (pdf_bytes(["no name"]), "", "pdf"),
        (pdf_bytes(["upper case"]), "SCAN.PDF", "pdf"),
    ],
)
def test_an_allowed_file_is_accepted_and_typed_by_its_content(
    data: bytes, filename: str, kind: str
) -> None:
    detected = check_upload(data, filename)
    assert detected.kind == kind
    assert detected == TYPES[kind]
    assert detected.label and detected.mime


def test_an_ole_file_without_a_known_extension_is_typed_by_its_streams() -> None:
    assert detect_type(WORD_OLE).kind == "doc"
    assert detect_type(EXCEL_OLE, "book").kind == "xls"
    assert detect_type(OLE_HEADER, "x.msg").kind == "ole"
    assert refused(OLE_HEADER, "邮件.msg").reason == "not_allowed"


def test_the_labels_are_chinese() -> None:
    assert TYPES["pdf"].label == "PDF 文档"
    assert TYPES["docx"].extension == "docx"
    assert TYPES["jpeg"].extension == "jpg"
    documents = ["pdf", "doc", "docx", "xls", "xlsx", "wps", "ofd", "txt"]
    images = ["png", "jpeg", "gif", "webp"]
    assert sorted(ALLOWED_KINDS) == sorted([*documents, *images, "zip"])


def test_a_zip_named_pdf_is_refused_naming_both() -> None:
    error = refused(zip_bytes({"a.txt": b"a"}), "报告.pdf")
    assert error.reason == "mismatch"
    assert "报告.pdf" in error.message and ".pdf" in error.message
    assert "ZIP 压缩包" in error.message


def test_a_png_named_docx_is_refused_naming_both() -> None:
    error = refused(PNG, "通知.docx")
    assert error.reason == "mismatch"
    assert ".docx" in error.message and "PNG 图片" in error.message


def test_a_docx_named_zip_is_refused() -> None:
    assert refused(docx_bytes(["x"]), "附件.zip").reason == "mismatch"


@pytest.mark.parametrize(
    ("data", "filename", "reason", "words"),
    [
        (b"<html><body>hi</body></html>", "报告.pdf", "markup", "网页"),
        (b"<!DOCTYPE html>\n<p>x</p>", "photo.jpg", "markup", "网页"),
        (b"\xef\xbb\xbf  <HTML>", "a.txt", "markup", "网页"),
        (b"<script>alert(1)</script>", "a.txt", "markup", "脚本"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
            "图.png",
            "markup",
            "SVG",
        ),
        (b'<?xml version="1.0"?>\n<svg/>', "图.svg", "markup", "可能含有脚本"),
        (b"#!/bin/sh\nrm -rf /\n", "说明.txt", "executable", "脚本"),
        (b"MZ\x90\x00\x03" + bytes(60), "setup.pdf", "executable", "可执行程序"),
        (b"\x7fELF\x02\x01\x01" + bytes(60), "a.docx", "executable", "可执行程序"),
        (b"\xcf\xfa\xed\xfe" + bytes(60), "a.docx", "executable", "可执行程序"),
    ],
)
def test_markup_scripts_and_programs_are_refused_whatever_their_name(
    data: bytes, filename: str, reason: str, words: str
) -> None:
    error = refused(data, filename)
    assert error.reason == reason
    assert words in error.message
    assert filename in error.message


def test_an_empty_file_is_refused() -> None:
    error = refused(b"", "空.txt")
    assert error.reason == "empty"
    assert "空文件" in error.message


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)),
        b"\x00\x01\x02binary",
        "UTF-16 文本".encode("utf-16"),
        b"\x80\xff\xfe not text",
    ],
)
def test_unknown_content_is_refused(data: bytes) -> None:
    error = refused(data, "数据.txt")
    assert error.reason == "unknown"
    assert "无法识别" in error.message


def test_a_pptx_is_recognised_but_not_allowed() -> None:
    pptx = zip_bytes(
        {"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}
    )
    assert detect_type(pptx, "课件.pptx").kind == "pptx"
    error = refused(pptx, "课件.pptx")
    assert error.reason == "not_allowed"
    assert "PowerPoint" in error.message


def test_a_file_over_the_size_limit_is_refused() -> None:
    data = pdf_bytes(["x"]) + bytes(2 * MIB)
    error = refused(data, "大文件.pdf", max_bytes=MIB)
    assert error.reason == "too_large"
    assert "超过上限 1 MB" in error.message
    assert check_upload(data, "大文件.pdf").kind == "pdf"


def test_a_damaged_zip_is_refused() -> None:
    data = zip_bytes({"a.txt": b"a" * 100})
    error = refused(data[: len(data) // 2], "附件.zip")
    assert error.reason == "archive"
    assert "损坏" in error.message


def test_an_archive_with_too_many_members_is_refused() -> None:
    data = zip_bytes({f"{i}.txt": b"x" for i in range(6)})
    error = refused(data, "附件.zip", max_members=5)
    assert error.reason == "archive"
    assert "6 个文件" in error.message
    assert check_upload(data, "附件.zip", max_members=6).kind == "zip"


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "a/../../b.txt",
        "/etc/passwd",
        "C:/Windows/x.dll",
        "a\\..\\..\\b",
    ],
)
def test_an_archive_naming_a_path_outside_itself_is_refused(name: str) -> None:
    error = refused(zip_bytes({"ok.txt": b"x", name: b"x"}), "附件.zip")
    assert error.reason == "archive"
    assert name in error.message


def test_a_zip_bomb_is_refused_from_its_directory_without_expanding_it() -> None:
    """Eleven members of 20 MiB of zeros: about 200 KiB packed, 220 MiB unpacked."""
    zeros = bytes(20 * MIB)
    data = zip_bytes({f"part{i}.bin": zeros for i in range(11)})
    assert len(data) < MIB
    error = refused(data, "资料.zip")
    assert error.reason == "archive"
    assert "压缩炸弹" in error.message


def test_a_zip_bomb_inside_a_docx_is_refused() -> None:
    document = io.BytesIO(docx_bytes(["正文"]))
    with zipfile.ZipFile(document, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", bytes(3 * MIB))
    error = refused(document.getvalue(), "通知.docx", max_unzipped_bytes=2 * MIB)
    assert error.reason == "archive"


def test_an_archive_whose_header_understates_a_member_is_refused() -> None:
    data = lying_zip_bytes("small.txt", bytes(5 * MIB), claimed_size=1000)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("small.txt")
    assert info.file_size == 1000  # what the directory claims
    error = refused(data, "资料.zip")
    assert error.reason == "archive"
    assert "不符" in error.message


def test_an_archive_with_an_encrypted_member_is_refused() -> None:
    error = refused(encrypted_zip_bytes("名单.txt", b"secret"), "名单.zip")
    assert error.reason == "archive"
    assert "加密" in error.message


def test_the_sha256_of_a_file_is_its_hex_digest() -> None:
    assert sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_an_archive_in_an_unsupported_compression_method_is_refused() -> None:
    error = refused(deflate64_zip_bytes("a.txt", b"a" * 100), "附件.zip")
    assert error.reason == "archive"
    assert "不支持的压缩方式" in error.message
