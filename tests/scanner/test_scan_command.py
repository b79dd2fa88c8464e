"""``gongkai scan FILE [--json]``: check a file before drafting."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.core.management.commands.scan import Command
from tests.documents.builders import docx_bytes, pdf_bytes, xlsx_bytes

from .numbers import make_id

FIXTURES = Path(__file__).parent.parent / "documents" / "fixtures"
ID = make_id("445102", "19820514", "027")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("scan", *args, stdout=out)
    return out.getvalue()


def scan_json(*args: str) -> list[dict[str, object]]:
    findings: list[dict[str, object]] = json.loads(run(*args, "--json"))["findings"]
    return findings


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_a_text_file_is_scanned_and_each_finding_printed_masked(tmp_path: Path) -> None:
    text = f"监护人身份证号码{ID}\n联系电话13926781234\n办公电话0768-2259400\n"
    output = run(write(tmp_path, "名单.txt", text.encode()))
    lines = output.splitlines()
    assert lines[0].split("\t")[:3] == [
        "身份证号码",
        f"{ID[:6]}********{ID[-4:]}",
        "位置 8–26",
    ]
    assert lines[1].startswith("手机号码\t139****1234\t位置 31–42\t…")
    assert lines[-1] == "共发现 2 处敏感信息：身份证号码 1 处、手机号码 1 处。"
    assert ID not in output and "13926781234" not in output


def test_json_output_lists_kind_text_offsets_and_mask(tmp_path: Path) -> None:
    findings = scan_json(write(tmp_path, "a.txt", "电话13926781234".encode()))
    assert findings == [
        {
            "kind": "mobile",
            "text": "13926781234",
            "start": 2,
            "end": 13,
            "masked": "139****1234",
            "field": "a.txt",
        }
    ]


def test_a_clean_file_reports_nothing(tmp_path: Path) -> None:
    path = write(
        tmp_path, "指南.txt", "咨询电话：0768-2259400；湘教〔2025〕12号".encode()
    )
    assert run(path) == "未发现敏感信息。\n"
    assert scan_json(path) == []


def test_pdf_docx_and_xlsx_files_are_scanned(tmp_path: Path) -> None:
    pdf = write(tmp_path, "a.pdf", pdf_bytes([f"ID {ID}"]))
    docx = write(tmp_path, "b.docx", docx_bytes(["正文"], header="秘密★1年"))
    xlsx = write(tmp_path, "c.xlsx", xlsx_bytes({"名单": [["王小明", 13926781234]]}))
    assert [f["kind"] for f in scan_json(pdf)] == ["id_number"]
    assert [f["kind"] for f in scan_json(docx)] == ["classified_mark"]
    assert [f["kind"] for f in scan_json(xlsx)] == ["mobile"]


def test_the_committed_fixtures_are_scanned() -> None:
    kinds = [f["kind"] for f in scan_json(str(FIXTURES / "公示.pdf"))]
    assert kinds == ["classified_mark", "id_number", "mobile"]
    [finding] = scan_json(str(FIXTURES / "说明-gb18030.txt"))
    assert finding["masked"] == "139****1234"


def test_standard_input_is_read_for_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(f"身份证{ID}".encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    [finding] = scan_json("-")
    assert finding["kind"] == "id_number"
    assert finding["field"] == ""


def test_a_word_list_and_allowed_email_domains_are_options(tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# 本单位敏感词\n\n考题\n  答案  \n", encoding="utf-8")
    path = write(tmp_path, "a.txt", "考题和答案；教务处 jwc@hs.edu.cn".encode())
    assert [f["text"] for f in scan_json(path, "--words", str(words))] == [
        "考题",
        "答案",
        "jwc@hs.edu.cn",
    ]
    allowed = scan_json(path, "--allow-email-domain", "edu.cn")
    assert allowed == []


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("报告.pdf", b"<html><script>x</script></html>", "网页"),
        ("通知.docx", b"\x89PNG\r\n\x1a\n" + bytes(20), "扩展名为 .docx"),
        ("图.png", b"\x89PNG\r\n\x1a\n" + bytes(20), "只能检查纯文本、PDF、DOCX、XLSX"),
        ("坏.pdf", b"%PDF-1.7\n garbage", "已损坏"),
    ],
)
def test_a_refused_or_unreadable_file_is_a_command_error_in_chinese(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(CommandError) as raised:
        run(write(tmp_path, name, data))
    assert message in str(raised.value)
    assert raised.value.returncode == 2


def test_a_missing_file_or_word_list_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="文件不存在"):
        run(str(tmp_path / "无此文件.txt"))
    path = write(tmp_path, "a.txt", b"text")
    with pytest.raises(CommandError, match="词表文件"):
        run(path, "--words", str(tmp_path / "无此词表.txt"))
    (tmp_path / "gbk.txt").write_bytes("考题".encode("gb18030"))
    with pytest.raises(CommandError, match="不是 UTF-8"):
        run(path, "--words", str(tmp_path / "gbk.txt"))
    with pytest.raises(CommandError, match="这是一个目录"):
        run(str(tmp_path))


def test_the_exit_status_is_one_when_something_is_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "a.txt", "电话13926781234".encode())
    with pytest.raises(SystemExit) as raised:
        Command().run_from_argv(["gongkai", "scan", path])
    assert raised.value.code == 1
    assert "139****1234" in capsys.readouterr().out
    clean = write(tmp_path, "b.txt", "无".encode())
    Command().run_from_argv(["gongkai", "scan", clean])  # no exit: status 0


def test_the_console_command_exits_0_1_or_2(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SECRET_KEY": "test-only",
        "GONGKAI_DATA_DIR": str(tmp_path),
    }

    def gongkai_scan(stdin: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "gongkai", "scan", *args],
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
        )

    found = gongkai_scan(f"身份证{ID}".encode(), "-", "--json")
    assert found.returncode == 1
    assert json.loads(found.stdout)["findings"][0]["kind"] == "id_number"
    assert gongkai_scan("无".encode(), "-").returncode == 0
    refused = gongkai_scan(b"MZ\x90\x00", "-")
    assert refused.returncode == 2
    assert "可执行程序" in refused.stderr.decode()
