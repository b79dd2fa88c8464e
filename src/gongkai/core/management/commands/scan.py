from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.documents.extraction import TEXT_KINDS, ExtractionError, extract_text
from gongkai.documents.filetypes import FileRefused, check_upload
from gongkai.law.scanner import (
    KIND_LABELS,
    Finding,
    FindingKind,
    ScanPolicy,
    scan_text,
)

# Exit status: 0 nothing found, 1 findings, 2 the file could not be checked.
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_UNREADABLE)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录"
    return f"读取出错（{exc.strerror or exc}）"


def _read_words(path: Path) -> frozenset[str]:
    """One word per line (UTF-8); blank lines and lines starting with # are skipped."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise _fail(f"无法读取词表文件“{path}”：{_os_reason(exc)}") from None
    except UnicodeDecodeError:
        raise _fail(f"词表文件“{path}”不是 UTF-8 编码") from None
    return frozenset(
        word for line in lines if (word := line.strip()) and not word.startswith("#")
    )


class Command(BaseCommand):
    # A stand-alone check of one file: it needs neither the database nor the site.
    requires_system_checks: tuple[str, ...] = ()
    found = False
    help = (
        "检查文件中的敏感信息（身份证号码、手机号码、银行卡号、个人电子邮箱、密级标志、"
        "敏感词），适用于纯文本、PDF、DOCX、XLSX；FILE 为 - 时读取标准输入。"
        "位置为提取出的文字中的字符序号。退出码：0 未发现，1 发现敏感信息，2 文件无法检查。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="要检查的文件；- 表示标准输入")
        parser.add_argument(
            "--json",
            action="store_true",
            help='以 JSON 输出：{"findings": [{"kind", "text", "start", "end", "masked"} …]}',
        )
        parser.add_argument(
            "--words", type=Path, metavar="FILE", help="敏感词表文件，每行一个词"
        )
        parser.add_argument(
            "--allow-email-domain",
            action="append",
            default=[],
            metavar="D",
            help="不视为个人邮箱的域名（含其子域名），可重复；gov.cn 始终允许",
        )

    def run_from_argv(self, argv: list[str]) -> None:
        super().run_from_argv(argv)
        if self.found:
            sys.exit(EXIT_FINDINGS)

    def handle(self, *args: Any, **options: Any) -> None:
        name, data = self.read(options["file"])
        try:
            detected = check_upload(data, name)
            if detected.kind not in TEXT_KINDS:
                raise _fail(
                    f"{name or '标准输入'}是{detected.label}，"
                    "只能检查纯文本、PDF、DOCX、XLSX 文件"
                )
            text = extract_text(data, detected.kind)
        except (FileRefused, ExtractionError) as exc:
            raise _fail(exc.message) from None
        policy = ScanPolicy(
            allowed_email_domains=frozenset({"gov.cn", *options["allow_email_domain"]}),
            words=_read_words(options["words"]) if options["words"] else frozenset(),
        )
        findings = scan_text(text, field=name, policy=policy)
        self.found = bool(findings)
        if options["json"]:
            self.write_json(findings)
        else:
            self.write_text(findings)

    def read(self, file: str) -> tuple[str, bytes]:
        if file == "-":
            return "", sys.stdin.buffer.read()
        path = Path(file)
        try:
            return path.name, path.read_bytes()
        except OSError as exc:
            raise _fail(f"无法读取文件“{file}”：{_os_reason(exc)}") from None

    def write_json(self, findings: list[Finding]) -> None:
        payload = {"findings": [finding.to_dict() for finding in findings]}
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))

    def write_text(self, findings: list[Finding]) -> None:
        for f in findings:
            self.stdout.write(
                f"{f.label}\t{f.masked}\t位置 {f.start}–{f.end}\t…{f.context}…"
            )
        if not findings:
            self.stdout.write("未发现敏感信息。")
            return
        counts = Counter(f.kind for f in findings)
        summary = "、".join(
            f"{KIND_LABELS[kind]} {counts[kind]} 处"
            for kind in FindingKind
            if counts[kind]
        )
        self.stdout.write(f"共发现 {len(findings)} 处敏感信息：{summary}。")
