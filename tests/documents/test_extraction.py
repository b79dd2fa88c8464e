"""Text extraction from PDF, DOCX, XLSX and plain text."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from pypdf import PdfReader, PdfWriter

from gongkai.documents.extraction import (
    ExtractionError,
    TextTooLong,
    extract_text,
)
from gongkai.documents.filetypes import check_upload
from gongkai.law.scanner import FindingKind, scan_text

from .builders import chinese_pdf_bytes, docx_bytes, pdf_bytes, xlsx_bytes

FIXTURES = Path(__file__).parent / "fixtures"
ID = "445102198205140279"  # built with the GB 11643-1999 check digit


def test_the_text_of_a_pdf_page_is_extracted() -> None:
    data = pdf_bytes(["Applicant ID 445102198205140279", "Mobile 13926781234 (home)"])
    text = extract_text(data, "pdf")
    assert "Applicant ID 445102198205140279" in text
    assert "Mobile 13926781234 (home)" in text


def test_chinese_text_of_a_pdf_in_a_standard_cjk_font_is_extracted() -> None:
    data = chinese_pdf_bytes(["秘密★1年", f"监护人身份证号码{ID}"])
    text = extract_text(data, "pdf")
    assert "秘密★1年" in text
    assert f"身份证号码{ID}" in text


def test_the_committed_pdf_fixture_is_the_builders_output() -> None:
    data = (FIXTURES / "公示.pdf").read_bytes()
    assert data == chinese_pdf_bytes(PUBLIC_NOTICE_LINES)
    kinds = [f.kind for f in scan_text(extract_text(data, "pdf"))]
    assert kinds == [
        FindingKind.classified_mark,
        FindingKind.id_number,
        FindingKind.mobile,
    ]


PUBLIC_NOTICE_LINES = [
    "秘密★1年",
    "关于2025年秋季学位申请结果的公示",
    f"王小明，监护人身份证号码{ID}，联系电话13926781234。",
    "咨询电话：0768-2259400",
]


def test_a_pdf_with_an_owner_password_only_is_read() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["open text"]))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert "open text" in extract_text(out.getvalue(), "pdf")


def test_a_pdf_with_an_open_password_cannot_be_read() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["secret"]))))
    writer.encrypt(user_password="123456", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ExtractionError) as raised:
        extract_text(out.getvalue(), "pdf")
    assert "密码" in raised.value.message


def test_paragraphs_tables_headers_and_footers_of_a_docx_are_extracted() -> None:
    data = docx_bytes(
        ["关于公布学位申请结果的通知", "各位家长："],
        table=[["姓名", "身份证号码"], ["王小明", ID]],
        header="秘密★1年",
        footer="内部资料",
    )
    text = extract_text(data, "docx")
    assert text.splitlines() == [
        "关于公布学位申请结果的通知",
        "各位家长：",
        "姓名\t身份证号码",
        f"王小明\t{ID}",
        "秘密★1年",
        "内部资料",
    ]


def test_a_merged_docx_cell_and_a_nested_table_are_read_once() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "标题"
    table.cell(1, 0).text = "甲"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内1"
    inner.cell(0, 1).text = "内2"
    out = io.BytesIO()
    document.save(out)
    lines = extract_text(out.getvalue(), "docx").splitlines()
    assert lines[0] == "标题"
    assert lines[1].split("\t")[0] == "甲"
    assert "内1\t内2" in lines[1]


TEXT_BOX_RUN = """
<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
     xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
     xmlns:v="urn:schemas-microsoft-com:vml">
  <mc:AlternateContent>
    <mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>
      <w:p><w:r><w:t>内部资料 不得外传</w:t></w:r></w:p>
    </w:txbxContent></wps:txbx></w:drawing></mc:Choice>
    <mc:Fallback><w:pict><v:textbox><w:txbxContent>
      <w:p><w:r><w:t>内部资料 不得外传</w:t></w:r></w:p>
    </w:txbxContent></v:textbox></w:pict></mc:Fallback>
  </mc:AlternateContent>
</w:r>
"""


def test_text_in_a_docx_text_box_is_extracted_once() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("正文")
    paragraph._p.append(parse_xml(TEXT_BOX_RUN))
    out = io.BytesIO()
    document.save(out)
    text = extract_text(out.getvalue(), "docx")
    assert text.count("内部资料 不得外传") == 1


def test_every_sheet_of_an_xlsx_is_extracted_row_by_row() -> None:
    data = xlsx_bytes(
        {
            "录取名单": [
                ["姓名", "身份证号码", "电话", "入学日期"],
                ["王小明", ID, 13926781234, date(2025, 9, 1)],
                [None, None, None, None],
                ["李小红", None, 3.5, datetime(2025, 9, 1, 8, 30)],
            ],
            "说明": [["本表共2人"]],
        }
    )
    assert extract_text(data, "xlsx").splitlines() == [
        "录取名单",
        "姓名\t身份证号码\t电话\t入学日期",
        f"王小明\t{ID}\t13926781234\t2025-09-01T00:00:00",
        "李小红\t\t3.5\t2025-09-01T08:30:00",
        "说明",
        "本表共2人",
    ]


def test_a_mobile_number_stored_in_exponent_form_keeps_its_digits() -> None:
    """Excel may store a number typed into a cell as ``1.3926781234E10``."""
    written = io.BytesIO(xlsx_bytes({"表": [[13926781234]]}))
    out = io.BytesIO()
    with (
        zipfile.ZipFile(written) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b"<v>13926781234</v>", b"<v>1.3926781234E10</v>"
                )
            target.writestr(name, content)
    assert extract_text(out.getvalue(), "xlsx").splitlines()[1] == "13926781234"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("电话13926781234\r\n".encode(), "电话13926781234\r\n"),
        ("\ufeff带 BOM 的文本".encode(), "带 BOM 的文本"),
        ("国标编码：秘密★1年".encode("gb18030"), "国标编码：秘密★1年"),
    ],
)
def test_plain_text_is_read_as_utf8_or_gb18030(data: bytes, expected: str) -> None:
    assert extract_text(data, "txt") == expected


def test_text_in_neither_encoding_cannot_be_read() -> None:
    with pytest.raises(ExtractionError) as raised:
        extract_text(b"\xff\xfe\xfd", "txt")
    assert "GB18030" in raised.value.message


@pytest.mark.parametrize("kind", ["png", "jpeg", "gif", "webp"])
def test_an_image_has_no_text(kind: str) -> None:
    assert extract_text(b"\x89PNG", kind) == ""


@pytest.mark.parametrize(
    ("kind", "label"),
    [("doc", "DOC"), ("xls", "XLS"), ("wps", "WPS"), ("ofd", "OFD"), ("zip", "ZIP")],
)
def test_a_format_whose_text_cannot_be_read_says_so(kind: str, label: str) -> None:
    with pytest.raises(ExtractionError) as raised:
        extract_text(b"whatever", kind)
    assert label in raised.value.message
    assert "暂不能" in raised.value.message


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "pdf"),
        (pdf_bytes(["x"])[:200], "pdf"),
        (b"PK\x03\x04 not really a zip", "docx"),
        (docx_bytes(["x"])[:-100], "docx"),
        (b"PK\x05\x06" + bytes(18), "xlsx"),
    ],
)
def test_a_damaged_file_raises_an_extraction_error_in_chinese(
    data: bytes, kind: str
) -> None:
    with pytest.raises(ExtractionError) as raised:
        extract_text(data, kind)
    assert "已损坏" in raised.value.message


def test_text_beyond_the_limit_is_refused_rather_than_cut() -> None:
    data = "一二三四五".encode()
    assert extract_text(data, "txt", max_chars=5) == "一二三四五"
    with pytest.raises(TextTooLong) as raised:
        extract_text(data, "txt", max_chars=4)
    assert "无法完整检查" in raised.value.message
    sheet = xlsx_bytes({"表": [["甲" * 10] for _ in range(10)]})
    with pytest.raises(TextTooLong):
        extract_text(sheet, "xlsx", max_chars=50)


def test_an_uploaded_docx_is_checked_extracted_and_scanned() -> None:
    data = docx_bytes(["联系电话：13926781234", "办公电话：0768-2259400"])
    detected = check_upload(data, "通知.docx")
    findings = scan_text(
        extract_text(data, detected.kind), field="attachment:通知.docx"
    )
    assert [(f.kind, f.masked, f.field) for f in findings] == [
        (FindingKind.mobile, "139****1234", "attachment:通知.docx")
    ]
