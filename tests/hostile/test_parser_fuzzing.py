"""Hypothesis fuzzing of everything that parses a file or text someone else made: the
published-report checker (file → text → figures → checks), the catalogue and register
import readers, and the scanner. Whatever the input, the answer is a result or the
parser's own clear error (with a Chinese message), never an unhandled exception.

Inputs are mutations of real documents (the shared 平潭 reports, a register
workbook) as well as free-form bytes, so the parsers get past their first checks."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.applications.importing import RegisterRejected
from gongkai.applications.importing import read_rows as read_register_rows
from gongkai.catalogue.importing.sources import ImportFileError
from gongkai.catalogue.importing.sources import read_rows as read_import_rows
from gongkai.law.errors import LawInputError
from gongkai.law.report_reader import check_read_report, check_result, read_report
from gongkai.law.scanner import mask_text, scan_text
from gongkai.reports.reading import UnreadableReport, read_text
from tests.documents.builders import docx_bytes

FIXTURES = Path(__file__).parent.parent / "reports" / "fixtures"
REPORTS = [
    (FIXTURES / name).read_text(encoding="utf-8")
    for name in ("pingtan-2017.txt", "pingtan-2021.txt", "pingtan-2022.txt")
]
FUZZ = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    # A parser that takes seconds on a few KB is a denial of service.
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _in_file(data: bytes, suffix: str, read: Callable[[Path], Any]) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        return read(path)


@st.composite
def mutated_text(draw: st.DrawFn, bases: list[str]) -> str:
    """A real text with slices cut, duplicated, replaced by digits or junk."""
    text = draw(st.sampled_from(bases))
    for _ in range(draw(st.integers(0, 6))):
        if not text:
            break
        start = draw(st.integers(0, len(text) - 1))
        end = min(len(text), start + draw(st.integers(0, 400)))
        insert = draw(
            st.one_of(
                st.just(""),
                st.just(text[start:end] * 2),
                st.text(alphabet="0123456789 |\n", max_size=40),
                st.text(max_size=20),
            )
        )
        text = text[:start] + insert + text[end:]
    return text


@st.composite
def mutated_bytes(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with bytes overwritten and possibly truncated."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at : at + 4] = draw(st.binary(min_size=1, max_size=4))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


# --- the published-report checker -------------------------------------------------


def _check(text: str) -> None:
    try:
        report = read_report(text)
    except LawInputError as exc:
        assert exc.message
        return
    findings = check_read_report(report)
    json.dumps(check_result(report, findings), ensure_ascii=False)


@FUZZ
@given(mutated_text(REPORTS))
def test_a_mangled_report_text_is_read_or_refused_with_a_reason(text: str) -> None:
    _check(text)


@FUZZ
@given(st.text(max_size=3000))
def test_arbitrary_text_is_read_or_refused_with_a_reason(text: str) -> None:
    _check(text)


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=2000),
        mutated_bytes(REPORTS[1].encode("utf-8")),
        mutated_bytes(docx_bytes(REPORTS[2].splitlines()[:60])),
        st.builds(
            lambda body: f"<html><body><table>{body}</table></html>".encode(),
            st.text(alphabet="<>/tdr =\"'colspan123&;#x", max_size=400),
        ),
    ),
    st.sampled_from([".txt", ".html", ".docx", ""]),
)
def test_a_hostile_report_file_is_read_or_refused_with_a_reason(
    data: bytes, suffix: str
) -> None:
    try:
        text = _in_file(data, suffix, read_text)
    except UnreadableReport as exc:
        assert exc.message
        return
    _check(text)


# --- the catalogue import reader ---------------------------------------------------

CSV_SEED = (
    "标题,栏目,发布日期,文号,正文\n"
    '关于2025年招生工作的通知,xwgk,2025-03-01,湘教〔2025〕1号,"<p>正文，含逗号</p>"\n'
).encode()
JSONL_SEED = (
    json.dumps(
        {"标题": "通知", "栏目": "xwgk", "发布日期": "2025-03-01"}, ensure_ascii=False
    )
    + "\n"
).encode()


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=2000),
        mutated_bytes(CSV_SEED),
        mutated_bytes(JSONL_SEED),
        st.text(alphabet=',"\n\r\x00ab标题', max_size=500).map(str.encode),
        # One field longer than the csv module's default limit.
        st.integers(130_000, 140_000).map(lambda n: b'"' + b"x" * n + b'"\n'),
    ),
    st.sampled_from([".csv", ".jsonl", ".txt"]),
    st.sampled_from(["utf-8", "gb18030"]),
)
def test_a_hostile_import_file_gives_rows_or_a_clear_error(
    data: bytes, suffix: str, encoding: str
) -> None:
    try:
        rows = _in_file(data, suffix, lambda p: read_import_rows(p, encoding=encoding))
    except ImportFileError as exc:
        assert exc.message
        return
    for row in rows:
        assert isinstance(row.data, dict)


# --- the register import reader ----------------------------------------------------


def _register_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["受理编号", "单位", "申请人", "收到日期", "办理结果"])
    sheet.append(["2025-001", "XQJY00001", "张三", "2025-03-05", "予以公开"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_SEED = _register_xlsx()


@st.composite
def xlsx_with_a_mangled_part(draw: st.DrawFn) -> bytes:
    """A valid workbook whose zip entries survive but one part's XML is mangled."""
    source = zipfile.ZipFile(io.BytesIO(XLSX_SEED))
    names = source.namelist()
    victim = draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            data = source.read(name)
            if name == victim:
                data = draw(mutated_bytes(data)) if data else data
            target.writestr(name, data)
    return out.getvalue()


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=2000),
        mutated_bytes(XLSX_SEED),
        xlsx_with_a_mangled_part(),
        mutated_bytes("受理编号,申请人\n2025-001,张三\n".encode("gb18030")),
        mutated_bytes(b'{"reference": "2025-001"}\n'),
        st.integers(130_000, 140_000).map(lambda n: b'"' + b"x" * n + b'"\n'),
    ),
    st.sampled_from([".csv", ".jsonl", ".xlsx"]),
)
def test_a_hostile_register_file_gives_rows_or_a_clear_error(
    data: bytes, suffix: str
) -> None:
    try:
        rows = _in_file(data, suffix, read_register_rows)
    except RegisterRejected as exc:
        assert exc.problems and all(exc.problems)
        return
    for _line, row in rows:
        assert isinstance(row, dict)


# --- the scanner -------------------------------------------------------------------

DIGITY = st.text(
    alphabet="0123456789Xx-@._ 　\n身份证号手机绝密机密秘密★abc", max_size=600
)


@FUZZ
@given(st.one_of(st.text(max_size=2000), DIGITY, mutated_text(REPORTS)))
def test_the_scanner_finds_and_masks_without_error_on_any_text(text: str) -> None:
    findings = scan_text(text)
    masked = mask_text(text, findings)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
    if findings:
        assert masked != text


# --- what the fuzzing found, pinned ------------------------------------------------


def test_a_report_whose_year_is_mangled_to_0022_is_refused_not_crashed() -> None:
    text = REPORTS[1].replace("2021", "0022")
    try:
        read_report(text)
    except LawInputError as exc:
        assert "不在2008—2100年之间" in exc.message
    else:
        raise AssertionError("a report for the year 22 was read")


def _corrupt_member(data: bytes, member: str) -> bytes:
    """The archive with ``member``'s compressed stream overwritten (sizes kept), so
    that inflating it fails inside zlib rather than at the zip directory."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo(member)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    raw = bytearray(data)
    name_len, extra_len = (
        int.from_bytes(
            raw[info.header_offset + 26 : info.header_offset + 28], "little"
        ),
        int.from_bytes(
            raw[info.header_offset + 28 : info.header_offset + 30], "little"
        ),
    )
    start = info.header_offset + 30 + name_len + extra_len
    raw[start : start + 5] = b"\xff" * 5
    return bytes(raw)


def test_a_docx_with_a_broken_deflate_stream_is_refused_with_a_reason() -> None:
    data = _corrupt_member(
        docx_bytes(["2021年政府信息公开工作年度报告"]), "word/document.xml"
    )
    try:
        _in_file(data, ".docx", read_text)
    except UnreadableReport as exc:
        assert exc.message.startswith("无法读取 DOCX 文件")
    else:
        raise AssertionError("a broken DOCX was read")


def test_a_csv_body_longer_than_the_csv_modules_default_limit_is_imported() -> None:
    body = "正" * 200_000
    data = f"标题,正文\n通知,{body}\n".encode()
    rows = _in_file(data, ".csv", read_import_rows)
    assert rows[0].data["body"] == body


def test_a_csv_field_beyond_four_megabytes_is_refused_with_its_line() -> None:
    data = b"title,body\n" + b"a," + b"x" * (4 * 1024 * 1024 + 1) + b"\n"
    try:
        _in_file(data, ".csv", read_import_rows)
    except ImportFileError as exc:
        assert "CSV 文件第 2 行无法读取" in exc.message
    else:
        raise AssertionError("a 4 MB field was read")


def test_a_badly_encoded_csv_line_with_a_carriage_return_names_the_encoding() -> None:
    data = "标题,正文\n".encode() + b"a\rb,\x80\x81\n"
    try:
        _in_file(data, ".csv", read_import_rows)
    except ImportFileError as exc:
        assert "文件不是 UTF-8 编码" in exc.message
    else:
        raise AssertionError("undecodable bytes were read")


def test_a_gbk_register_is_refused_asking_for_utf8() -> None:
    data = "受理编号,申请人\n2025-001,张三\n".encode("gb18030")
    for suffix in (".csv", ".jsonl"):
        try:
            _in_file(data, suffix, read_register_rows)
        except RegisterRejected as exc:
            assert "不是 UTF-8 编码" in exc.problems[0]
        else:
            raise AssertionError("a GBK register was read")


def test_a_register_workbook_whose_sheet_breaks_while_read_is_refused() -> None:
    """The workbook opens (read-only mode reads sheets lazily) and its sheet's XML
    breaks off half-way: found while reading the rows, still a clear refusal."""
    source = zipfile.ZipFile(io.BytesIO(XLSX_SEED))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(name, data)
    try:
        _in_file(out.getvalue(), ".xlsx", read_register_rows)
    except RegisterRejected as exc:
        assert exc.problems[0].startswith("无法读取 XLSX 文件")
    else:
        raise AssertionError("a broken workbook was read")
