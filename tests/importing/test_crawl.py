from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.catalogue.importing.addresses import legacy_key
from gongkai.catalogue.importing.crawl import read_crawl
from gongkai.catalogue.importing.values import html_to_text
from gongkai.catalogue.models import Item, ItemRevision
from gongkai.catalogue.services.columns import create_column
from tests.conftest import World
from tests.importing.conftest import FIXTURES, PINGTAN, run

TRUNCATED = "zdlyxxgk/jysy/201510/1965_平潭综合实验区社会事业局关于平潭县敖东镇中心幼儿园参评“平潭"
CHROME = ["当前位置", "微信 微博 QQ空间", "附件下载", "浏览量", "扫一扫", "网站标识码"]


def manifest() -> list[dict[str, str]]:
    text = (PINGTAN / "MANIFEST.tsv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


def revision_at(url: str) -> ItemRevision:
    rev = Item.objects.get(external_id=legacy_key(url)).published_revision
    assert rev is not None
    return rev


@pytest.fixture
def pingtan(world: World) -> str:
    return run(
        "import-crawl", str(PINGTAN), "--unit", "测试区教育局", "--create-columns"
    )


def test_every_page_of_the_pingtan_crawl_is_imported(pingtan: str) -> None:
    assert "共 74 条，导入 74 条，拒绝 0 条" in pingtan
    assert Item.objects.filter(imported=True, is_public=True).count() == 74


def test_titles_dates_and_columns_come_out_as_the_site_showed_them(
    pingtan: str,
) -> None:
    rows = manifest()
    assert len(rows) == 74
    for row in rows:
        item = Item.objects.get(external_id=legacy_key(row["source_url"]))
        rev = item.published_revision
        assert rev is not None
        if row["path"].startswith(TRUNCATED):
            assert row["title"].endswith("...")
        else:
            assert rev.title == row["title"], row["path"]
        shown = datetime.fromisoformat(row["PubDate"])
        assert timezone.localtime(item.published_at).replace(tzinfo=None) == shown
        # Direct-attachment entries name only the column's path; the label
        # comes from the other pages of the same column.
        assert rev.column.name == (row["column_name"] or "进度数据"), row["path"]


def test_a_title_the_old_site_cut_short_is_completed_from_the_body(
    pingtan: str,
) -> None:
    rev = revision_at(
        "https://www.pingtan.gov.cn/zwgk/zdlyxxgk/jysy/201510/t20151030_1965.htm"
    )
    assert rev.title == (
        "平潭综合实验区社会事业局关于平潭县敖东镇中心幼儿园参评“平潭综合实验区示范性幼儿园”申报资格公示"
    )


def test_no_body_keeps_the_site_chrome(pingtan: str) -> None:
    for rev in ItemRevision.objects.all():
        text = html_to_text(rev.body)
        assert not [c for c in CHROME if c in text], rev.title
        assert not re.search(r"时间：\d{4}-\d{2}-\d{2}", text), rev.title
        assert not text.endswith(("来源：中国平潭", "来源：平潭综合实验区教育局"))


def test_a_text_form_body_keeps_all_its_text_from_the_first_to_the_last_word(
    pingtan: str,
) -> None:
    rev = revision_at("https://www.pingtan.gov.cn/zwgk/gsgg/201008/t20100810_794.htm")
    text = html_to_text(rev.body)
    assert text.startswith(
        "关于进一步加强专业技术人员继续教育工作的通知 全县各企事业单位"
    )
    assert text.endswith(
        "附：1、继续教育培训办班流程图； 2、继续教育证书验证汇总表。 平潭县人事局 2010年8月10日"
    )
    assert "<p>二、专业技术人员继续教育内容分为专业科目培训和公共科目培训" in rev.body
    body_only = revision_at(
        "https://www.pingtan.gov.cn/zwgk/ghxx/ndjh/202405/t20240511_89860.htm"
    )
    raw = (
        PINGTAN
        / "ghxx/ndjh/202405/89860_2024年平潭综合实验区公安局“双随机、一公开”抽查工作计划/page.txt"
    )
    expected = raw.read_text(encoding="utf-8").split(
        "==================== 正文 ===================="
    )[1]
    assert html_to_text(body_only.body) == " ".join(expected.split())


def test_the_saved_html_page_is_read_first_and_keeps_its_paragraphs(
    pingtan: str,
) -> None:
    rev = revision_at(
        "https://www.pingtan.gov.cn/zwgk/zxwj/bmwj/201607/t20160708_5915.htm"
    )
    assert rev.body.startswith(
        "<p>岚农发〔2016〕253号</p><p>平潭综合实验区农村发展局关于成立政务公开工作领导小组的通知</p>"
    )
    assert "<p>组 长：陈人寿 党组书记、局长</p>" in rev.body
    assert rev.body.endswith("<p>平潭综合实验区农村发展局</p><p>2016年7月7日</p>")
    assert rev.document_number == "岚农发〔2016〕253号"
    police = revision_at(
        "https://www.pingtan.gov.cn/zwgk/ghxx/gzjzqk/202312/t20231221_83644.htm"
    )
    assert police.body == (
        "<p>2023年12月4日到12月5日，区公安局治安巡特警支队严格按照“双随机”抽查工作要求，采取随机抽取的方式，"
        "从保安单位主体名录库中随机抽取检查对象共6家，检查情况详见附件。</p>"
        "<p>随机情况：根据“双随机”抽查工作机制，此次检查通过在执法人员库中随机抽取2名民警组成检查组,"
        "对全区保安单位开展检查。</p><p>检查人员：翁宣化、林学就</p>"
        "<p>附件：区公安局2023年第四季度保安单位“双随机”抽查情况表</p>"
        "<p>平潭综合实验区公安局</p><p>2023年12月5日</p>"
    )


def test_the_document_number_heading_a_body_becomes_the_items_number(
    pingtan: str,
) -> None:
    base = "https://www.pingtan.gov.cn/zwgk/"
    cases = {
        "zdlyxxgk/jysy/201708/t20170829_7689.htm": "岚教综〔2017〕169号",
        "zdlyxxgk/jysy/201708/t20170829_7693.htm": "闽教师〔2017〕50号",
        "zfxxgk/fdzdgknr/zkly/rsrm/202302/t20230210_43951.htm": "岚综委干〔2022〕98号",
        # Cited numbers further on are not the item's own …
        "gsgg/201008/t20100810_794.htm": "",
        # … and a number without its serial ("岚社会文体〔2016〕 号") is not one.
        "zxwj/bmwj/201608/t20160819_5208.htm": "",
    }
    for path, number in cases.items():
        assert revision_at(base + path).document_number == number, path


def test_the_old_crawl_address_redirects_to_the_item(
    pingtan: str, client: Client
) -> None:
    item = Item.objects.get(external_id="/zwgk/ghxx/gzjzqk/202312/t20231221_83644.htm")
    response = client.get("/legacy/zwgk/ghxx/gzjzqk/202312/t20231221_83644.htm")
    assert response.status_code == 301 and response["Location"] == f"/items/{item.pk}/"


@pytest.mark.urls("tests.importing.urls_prefixed")
def test_old_paths_under_a_configured_prefix_redirect_without_legacy_in_front(
    pingtan: str, client: Client
) -> None:
    item = Item.objects.get(external_id="/zwgk/gsgg/201008/t20100810_794.htm")
    response = client.get("/zwgk/gsgg/201008/t20100810_794.htm")
    assert response.status_code == 301 and response["Location"] == f"/items/{item.pk}/"


def test_importing_the_crawl_again_rejects_every_page(pingtan: str) -> None:
    again = run(
        "import-crawl", str(PINGTAN), "--unit", "测试区教育局", "--create-columns"
    )
    assert "导入 0 条，拒绝 74 条" in again
    assert Item.objects.count() == 74


def test_a_crawl_needs_the_publishing_unit(world: World) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--unit"):
        run("import-crawl", str(PINGTAN))


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_direct_attachment_entry_imports_its_file_named_after_the_title(
    world: World, tmp_path: Path
) -> None:
    folder = (
        "tjxx/jdsj/202608/020260825569749189625_平潭综合实验区2026年7月国民经济主要指标"
    )
    shutil.copytree(PINGTAN / folder, tmp_path / folder)
    target = tmp_path / folder / "attachments" / "file"
    target.mkdir(parents=True)
    (target / "P020260825569749189625.pdf").write_bytes(_pdf())
    create_column(actor=None, unit=world.bureau, name="进度数据", slug="jdsj")
    out = run("import-crawl", str(tmp_path), "--unit", "测试区教育局")
    assert "导入 1 条" in out and "附件 1 个" in out
    rev = Item.objects.get().published_revision
    assert rev is not None
    attachment = rev.attachments.get()
    assert attachment.name == "平潭综合实验区2026年7月国民经济主要指标.pdf"
    assert attachment.kind == "pdf" and attachment.file.read() == _pdf()
    # The entry names only its column's path (zwgk/tjxx/jdsj): the unit's column
    # with that path takes it.
    assert rev.column.name == "进度数据" and rev.body == ""


def test_a_page_whose_column_cannot_be_told_is_rejected(
    world: World, tmp_path: Path
) -> None:
    folder = (
        "tjxx/jdsj/202608/020260825569749189625_平潭综合实验区2026年7月国民经济主要指标"
    )
    shutil.copytree(PINGTAN / folder, tmp_path / folder)
    out = run(
        "import-crawl", str(tmp_path), "--unit", "测试区教育局", "--create-columns"
    )
    assert "拒绝 1 条" in out and "column（栏目）：请填写栏目" in out


def test_a_page_with_a_catalogue_table_keeps_its_index_number_and_document_dates(
    world: World, tmp_path: Path
) -> None:
    source = FIXTURES / "synthetic"
    shutil.copytree(source, tmp_path / "crawl")
    folder = next((tmp_path / "crawl").rglob("page.html")).parent
    (folder / "attachments").mkdir()
    (folder / "attachments" / "P020250310123.pdf").write_bytes(_pdf())
    rows = read_crawl(tmp_path / "crawl")
    assert "正文中的 1 张图片未导入（正文不支持图片）" in rows[0].notes
    out = run(
        "import-crawl",
        str(tmp_path / "crawl"),
        "--unit",
        "测试区教育局",
        "--create-columns",
    )
    assert "导入 1 条" in out
    item = Item.objects.get()
    rev = item.published_revision
    assert rev is not None
    assert item.index_number == "000014349/2025-00017"
    assert item.external_id == "/xxgk/tzgg/202503/t20250310_123.html"
    assert rev.title == "测试区教育局关于2025年春季学期开学工作的通知"
    assert rev.document_number == "测教〔2025〕9号"
    assert str(rev.written_on) == "2025-03-07" and rev.topic == "教育"
    assert (
        timezone.localtime(item.published_at).strftime("%Y-%m-%d %H:%M")
        == "2025-03-10 16:20"
    )
    assert rev.column.name == "通知公告" and rev.column.slug == "tzgg"
    assert rev.body.startswith("<p>各中小学、幼儿园：</p><p>根据市教育局统一部署")
    assert '<td colspan="2">幼儿园另行通知</td>' in rev.body
    assert "<strong>一、开学时间</strong>" in rev.body
    assert rev.body.endswith("<p>测试区教育局<br>2025年3月7日</p>")
    for chrome in ["分享到", "统计代码", "版权所有", "当前位置", "索"]:
        assert chrome not in rev.body
    assert rev.attachments.get().name == "开学工作安排表.pdf"
