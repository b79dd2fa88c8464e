"""Files and requests built to hurt: polyglots (a PDF that is also a web page, a GIF
that is also a script), PDFs that run code or cannot be opened, a zip bomb, and
request bodies beyond the limit. Each is refused with a message in Chinese, and an
upload refused leaves nothing stored. (Markup, executables, path traversal, encrypted
and lying archives are covered in tests/documents/test_filetypes.py.)"""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from gongkai.accounts.errors import ServiceError
from gongkai.applications import services as applications
from gongkai.applications.files import attach_file
from gongkai.applications.models import ApplicationFile
from gongkai.catalogue.models import Attachment
from gongkai.catalogue.services import editing
from gongkai.documents.filetypes import MIB, FileRefused, check_upload
from tests.applications.conftest import APPLICANT, REQUEST
from tests.catalogue.conftest import School, draft
from tests.conftest import World
from tests.documents.builders import _pdf, pdf_bytes, zip_bytes


def _png_with_text(text: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\x00" + text)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def _encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["secret"]))))
    writer.encrypt(user_password="123456", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


VALID_PDF = pdf_bytes(["notice"])
HOSTILE: dict[str, tuple[bytes, str, str]] = {
    # name: (content, file name, words of the refusal)
    "pdf that is also a web page": (
        VALID_PDF.replace(b"\n", b"\n%<html><script>alert(1)</script>\n", 1),
        "通知.pdf",
        "夹带网页或脚本代码",
    ),
    "pdf that runs javascript when opened": (
        _pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R"
                b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            ]
        ),
        "通知.pdf",
        "含有脚本或自动执行的动作",
    ),
    "gif that is also a script": (
        b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=alert(1);//" + bytes(32),
        "图片.gif",
        "夹带网页或脚本代码",
    ),
    "png with a script in a text chunk": (
        _png_with_text(b"<script>alert(1)</script>"),
        "图片.png",
        "夹带网页或脚本代码",
    ),
    "jpeg ending in an svg with a handler": (
        b"\xff\xd8\xff\xe0" + bytes(64) + b'<svg onload="alert(1)">',
        "照片.jpg",
        "夹带网页或脚本代码",
    ),
    "jpeg with an inline event handler": (
        b"\xff\xd8\xff\xe0" + bytes(64) + b"<img src=x onerror=alert(1)>",
        "照片.jpg",
        "夹带网页或脚本代码",
    ),
    "pdf that is only a header": (
        b"%PDF-1.7\n" + b"\x00garbage" * 20,
        "公告.pdf",
        "已损坏，不是可以打开的 PDF",
    ),
    "truncated pdf": (VALID_PDF[:120], "公告.pdf", "已损坏，不是可以打开的 PDF"),
    "pdf without pages": (
        _pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [] /Count 0 >>",
            ]
        ),
        "公告.pdf",
        "已损坏，不是可以打开的 PDF",
    ),
    "pdf with an open password": (_encrypted_pdf(), "公告.pdf", "设有打开密码"),
    "zip bomb": (
        zip_bytes({f"part{i}.bin": bytes(20 * MIB) for i in range(11)}),
        "资料.zip",
        "压缩炸弹",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_file_is_refused_with_a_chinese_reason(case: str) -> None:
    data, name, words = HOSTILE[case]
    with pytest.raises(FileRefused) as refused:
        check_upload(data, name)
    assert words in refused.value.message
    assert name in refused.value.message


def test_ordinary_files_of_each_kind_still_pass() -> None:
    assert check_upload(VALID_PDF, "通知.pdf").kind == "pdf"
    assert check_upload(_png_with_text(b"Created with GIMP"), "图.png").kind == "png"
    gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;" + bytes(16)
    assert check_upload(gif, "图.gif").kind == "gif"


@pytest.mark.parametrize(
    "case", ["pdf that is also a web page", "pdf with an open password", "zip bomb"]
)
def test_a_hostile_attachment_is_refused_and_nothing_is_stored(
    case: str, school: School, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    data, name, words = HOSTILE[case]
    item = draft(school)
    client = Client()
    client.force_login(school.author)
    response = client.post(
        reverse("console:item_action", args=[item.pk, "attach"]),
        {"file": ContentFile(data, name=name)},
        follow=True,
    )
    assert words in response.content.decode()
    assert not Attachment.objects.exists()
    assert not (tmp_path / "media").exists() or not any(
        p.is_file() for p in (tmp_path / "media").rglob("*")
    )
    with pytest.raises(ServiceError, match="未能上传"):
        editing.add_attachment(actor=school.author, item=item, name=name, data=data)


def test_a_polyglot_identity_document_is_refused_for_an_application(
    world: World, officer: Any, settings: Any, tmp_path: Path
) -> None:
    from datetime import date

    settings.MEDIA_ROOT = str(tmp_path / "media")
    app = applications.register_application(
        actor=officer,
        unit=world.bureau,
        channel="in_person",
        submitted_on=date(2025, 11, 3),
        applicant=APPLICANT,
        request=REQUEST,
        today=date(2025, 11, 10),
    )
    data, name, words = HOSTILE["pdf that is also a web page"]
    with pytest.raises(ServiceError) as refused:
        attach_file(
            actor=officer,
            application=app,
            kind="identity_document",
            name=name,
            data=data,
        )
    assert words in refused.value.message
    assert not ApplicationFile.objects.exists()


@pytest.fixture
def officer(world: World) -> Any:
    from gongkai.accounts.roles import Role
    from tests.conftest import make_user

    return make_user(world.bureau, "hf_officer", Role.DISCLOSURE_OFFICER)


def test_an_oversized_api_body_is_refused_with_a_chinese_json_error(
    world: World, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = json.dumps({"subject": "x" * (2 * 1024 * 1024)})
    response = Client().post("/api/applications", body, content_type="application/json")
    assert response.status_code == 400
    assert "提交的内容过大" in response.json()["error"]


def test_an_oversized_form_is_refused_with_a_chinese_page(
    world: World, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = Client().post(
        reverse("portal:apply"), {"description": "长" * (1024 * 1024)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "提交的内容过大" in page and "1.0 MB" in page


def test_too_many_form_fields_are_refused_with_a_chinese_page(
    world: World, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
    response = Client().post(
        reverse("portal:apply"), {f"f{i}": "x" for i in range(200)}
    )
    assert response.status_code == 400
    assert "字段或文件过多" in response.content.decode()
