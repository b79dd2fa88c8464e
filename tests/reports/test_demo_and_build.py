"""The seed reproduced from the demo's records, and the 2025 report built and
exported in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.accounts.models import Unit
from gongkai.law.report_reader import check_read_report, read_report
from gongkai.reports.compute import build_report, table_findings
from gongkai.reports.demo import load_report_demo
from gongkai.reports.reading import read_text

SEED_FIGURES = {
    "items_total": 68,
    "items_news": 56,
    "items_guide": 4,
    "items_document": 8,
    "government_website": 26,
    "public_concern_responses": 3,
    "wechat_posts": 169,
    "applications_total": 0,
    "applications_phone": 0,
    "applications_email": 0,
    "fees_yuan": 0,
    "administrative_reviews": 0,
    "lawsuits": 0,
}


def test_the_2017_pre2019_report_of_the_demo_bureau_yields_the_seeds_figures(
    demo: None, tmp_path: Path
) -> None:
    out = tmp_path / "r2017.json"
    call_command(
        "report", "build", "--unit", "XQJY00001", "--year", "2017",
        "--format", "pre2019", "--out", str(out),
    )  # fmt: skip
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["format"] == "pre2019"
    assert {k: report["pre2019"][k] for k in SEED_FIGURES} == SEED_FIGURES
    assert any("微信公众号" in s for s in report["pre2019_sources"])
    load_report_demo()  # idempotent
    again = build_report(unit=Unit.objects.get(org_code="XQJY00001"), year=2017)
    assert again["pre2019"] == report["pre2019"]


def test_the_2025_report_has_non_trivial_balanced_tables(demo: None) -> None:
    bureau = Unit.objects.get(org_code="XQJY00001")
    report = build_report(unit=bureau, year=2025)
    rows = report["section3"]["rows"]
    assert rows["new_received"] == [7, 1, 0, 0, 1, 0, 9]
    assert rows["carried_over"][-1] == 1 and rows["carried_forward"][-1] == 1
    assert rows["withheld_third_party_rights"][4] == 1
    assert report["section2"]["art20_1"]["normative_documents"] == {
        "issued": 2,
        "repealed": 1,
        "in_force": 4,
    }
    assert report["section2"]["art20_5"]["administrative_licensing_decisions"] == 36
    assert report["section4"]["administrative_review"]["upheld"] == 1
    assert report["section4"]["litigation_direct"]["pending"] == 1
    assert report["fees"]["collected_yuan"] == 300
    assert table_findings(report) == []
    last = build_report(unit=bureau, year=2024)
    assert last["section3"]["rows"]["carried_forward"] == rows["carried_over"]
    docs24 = last["section2"]["art20_1"]["normative_documents"]
    docs25 = report["section2"]["art20_1"]["normative_documents"]
    assert (
        docs24["in_force"] + docs25["issued"] - docs25["repealed"] == docs25["in_force"]
    )
    assert "比上年增加4" in report["narrative"]["overview"]


@pytest.mark.parametrize("suffix", ["html", "docx"])
def test_an_exported_report_round_trips_through_the_checker(
    demo: None, tmp_path: Path, suffix: str
) -> None:
    bureau = Unit.objects.get(org_code="XQJY00001")
    report = build_report(unit=bureau, year=2025)
    out = tmp_path / f"r.{suffix}"
    call_command(
        "report", "build", "--unit", "XQJY00001", "--year", "2025", "--out", str(out)
    )
    read = read_report(read_text(out))
    assert read.year == 2025 and read.format == "gb2021"
    assert read.rows == report["section3"]["rows"]
    assert read.section2 == report["section2"]
    assert read.section4 == report["section4"]
    assert [f for f in check_read_report(read) if f.level == "error"] == []
    assert not [f for f in check_read_report(read) if f.id.startswith("narrative.")]


def test_pdf_csv_and_consolidated_exports_are_written(
    demo: None, tmp_path: Path
) -> None:
    pdf = tmp_path / "r.pdf"
    call_command(
        "report", "build", "--unit", "XQJY00001", "--year", "2025", "--out", str(pdf)
    )
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert "一、总体情况" in reader.pages[0].extract_text()
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Noto-Serif-CJK-SC" in f for f in fonts)
    csv = tmp_path / "r.csv"
    call_command(
        "report", "build", "--unit", "XQJY00001", "--year", "2025",
        "--consolidated", "--out", str(csv),
    )  # fmt: skip
    text = csv.read_text(encoding="utf-8-sig")
    assert "new_received,一、本年新收政府信息公开申请数量,7,1,0,0,1,0,9" in text
    pre = tmp_path / "r2017.html"
    call_command(
        "report", "build", "--unit", "XQJY00001", "--year", "2017", "--out", str(pre)
    )
    assert "微信公众号发布信息（条）" in pre.read_text(encoding="utf-8")
    county = tmp_path / "all.json"
    call_command("report", "build", "--year", "2019", "--out", str(county))
    data19 = json.loads(county.read_text(encoding="utf-8"))
    assert (
        data19["format"] == "gb2019"
        and "other_processing" in data19["section3"]["rows"]
    )
