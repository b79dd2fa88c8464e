"""Reading legacy rows from a JSONL or CSV file. Keys may be given in English
(``id``, ``agency``, ``column``, ``title``, ``doc_number``, ``written_on``,
``published_on``, ``body`` …) or as the Chinese labels of a 公开目录 export
(标题, 文号, 成文日期 …). A file that is not in the expected encoding is refused as a
whole, naming the first line and field that cannot be read."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIELD_LABELS: dict[str, str] = {
    "id": "原系统编号",
    "agency": "发布机构",
    "agency_code": "组织机构代码",
    "column": "栏目",
    "kind": "类别",
    "title": "标题",
    "summary": "内容概述",
    "doc_number": "文号",
    "written_on": "成文日期",
    "published_on": "发布日期",
    "body": "正文",
    "topic": "主题分类",
    "genre": "体裁分类",
    "index_number": "索引号",
    "validity": "有效性",
}
ALIASES: dict[str, str] = {label: key for key, label in FIELD_LABELS.items()} | {
    "名称": "title",
    "发文字号": "doc_number",
    "发布时间": "published_on",
    "发布单位": "agency",
    "原编号": "id",
    "content": "body",
    "document_number": "doc_number",
}
# Keys a crawl adds to its rows; never read from files.
CRAWL_KEYS = frozenset({"column_slug", "body_format", "source"})


def field_name(key: str) -> str:
    """``title（标题）`` for messages."""
    label = FIELD_LABELS.get(key)
    return f"{key}（{label}）" if label else key


@dataclass(frozen=True)
class AttachmentFile:
    name: str
    path: Path


@dataclass
class SourceRow:
    """One legacy item as read, before validation. ``line`` is its line in the
    file (for a crawl: its position); ``label`` names it when a line number does
    not (a crawl's page folder)."""

    line: int
    data: dict[str, str]
    label: str = ""
    error: str = ""
    attachments: list[AttachmentFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class ImportFileError(Exception):
    """The file as a whole cannot be read; nothing was imported."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def canonical_key(key: str) -> str:
    key = key.strip().lstrip("\ufeff")
    return ALIASES.get(key, ALIASES.get(key.lower(), key.lower()))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _encoding_error(
    data: bytes, exc: UnicodeDecodeError, encoding: str, is_csv: bool
) -> ImportFileError:
    line_no = data.count(b"\n", 0, exc.start) + 1
    lines = data.split(b"\n")
    bad_line = lines[line_no - 1].rstrip(b"\r").decode("latin-1")
    where = "（无法确定字段）"
    try:
        if is_csv:
            header = next(csv.reader([lines[0].decode(encoding, errors="replace")]))
            cells = next(csv.reader([bad_line]))
            names = [canonical_key(h) for h in header]
        else:
            obj = json.loads(bad_line)
            names, cells = list(obj), [_text(v) for v in obj.values()]
        for index, cell in enumerate(cells):
            try:
                cell.encode("latin-1").decode(encoding)
            except UnicodeDecodeError:
                name = names[index] if index < len(names) else f"第 {index + 1} 列"
                where = f"“{field_name(name)}”字段"
                break
    except (ValueError, StopIteration, UnicodeEncodeError, csv.Error):
        pass
    hint = ""
    try:
        data.decode("gb18030")
        hint = "（文件似乎是 GBK/GB18030 编码）"
    except UnicodeDecodeError:
        pass
    return ImportFileError(
        f"文件不是 {encoding.upper()} 编码{hint}：第 {line_no} 行{where}含有无法识别的字节。"
        "请将文件另存为 UTF-8 编码后重新导入，或用 --encoding 指明文件的编码。未导入任何信息。"
    )


def _decode(data: bytes, encoding: str, is_csv: bool) -> str:
    codec = (
        "utf-8-sig"
        if encoding.lower().replace("_", "-") in {"utf-8", "utf8"}
        else encoding
    )
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _encoding_error(data, exc, encoding, is_csv) from None
    except LookupError:
        raise ImportFileError(f"不支持的编码：{encoding}") from None


def _jsonl_rows(text: str) -> list[SourceRow]:
    rows: list[SourceRow] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append(SourceRow(number, {}, error=f"不是有效的 JSON（{exc.msg}）"))
            continue
        if not isinstance(obj, dict):
            rows.append(SourceRow(number, {}, error="不是 JSON 对象"))
            continue
        data = {canonical_key(k): _text(v) for k, v in obj.items()}
        rows.append(SourceRow(number, data))
    return rows


# A 正文 cell may be long (the API takes bodies up to 2,000,000 characters); the csv
# module's default limit of 131,072 would refuse it.
CSV_FIELD_LIMIT = 4 * 1024 * 1024


def _csv_rows(text: str) -> list[SourceRow]:
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _csv_reader_rows(reader)
    except csv.Error as exc:
        raise ImportFileError(
            f"CSV 文件第 {reader.line_num} 行无法读取（{exc}）：可能是引号不配对、"
            "字段过长或含有不可见的控制字符。未导入任何信息。"
        ) from None


def _csv_reader_rows(reader: Any) -> list[SourceRow]:
    try:
        header = [canonical_key(h) for h in next(reader)]
    except StopIteration:
        return []
    rows: list[SourceRow] = []
    start = reader.line_num + 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            rows.append(
                SourceRow(
                    line,
                    {},
                    error=f"有 {len(cells)} 个字段，多于表头的 {len(header)} 个",
                )
            )
            continue
        data = {key: cells[i] if i < len(cells) else "" for i, key in enumerate(header)}
        rows.append(SourceRow(line, data))
    return rows


def read_rows(path: Path, *, encoding: str = "utf-8") -> list[SourceRow]:
    """The rows of a ``.jsonl`` or ``.csv`` file (decided by the suffix, else by
    the first character). Raises ``ImportFileError`` for an unreadable file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"无法读取文件 {path}：{exc.strerror}") from None
    suffix = path.suffix.lower()
    is_csv = suffix == ".csv" or (
        suffix not in {".jsonl", ".ndjson", ".json"}
        and not data.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{")
    )
    text = _decode(data, encoding, is_csv)
    return _csv_rows(text) if is_csv else _jsonl_rows(text)


def unknown_keys(rows: list[SourceRow]) -> list[str]:
    known = set(FIELD_LABELS) | CRAWL_KEYS
    return sorted({key for row in rows for key in row.data if key not in known})
