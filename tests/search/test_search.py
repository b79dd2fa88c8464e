"""What a member of the public finds: any two characters of an item's text, its
文号 and 索引号, one character, several words, with filters and ranking."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.catalogue.models import Item, Kind
from gongkai.catalogue.services import editing
from gongkai.catalogue.services.columns import create_column
from gongkai.search.services import index_item
from gongkai.search.tokens import html_to_text, normalise
from tests.catalogue.conftest import School, xlsx_with
from tests.conftest import World
from tests.search.conftest import found, publish, results

TITLE = "关于做好2025年秋季学期义务教育招生入学工作的通知"
BODY = (
    "<p>各中小学校：</p><p>根据《义务教育法》，现就2025年秋季招生（含GB/T 7714引用）"
    "有关事项通知如下。</p><ul><li>一、报名时间：7月1日至7月5日</li></ul>"
)


def two_character_pieces(text: str) -> set[str]:
    folded = normalise(text)
    return {folded[i : i + 2] for i in range(len(folded) - 1)} - {""}


def test_every_two_characters_of_the_title_and_body_find_the_item(
    school: School,
) -> None:
    item = publish(school, TITLE, BODY)
    other = publish(school, "无关的信息", "<p>别的内容</p>")
    pieces = two_character_pieces(TITLE) | two_character_pieces(html_to_text(BODY))
    pieces = {p for p in pieces if " " not in p}
    assert len(pieces) > 60
    other_text = normalise(f"无关的信息 {other.index_number} 别的内容")
    for piece in sorted(pieces):
        ids = found(piece)
        assert item.pk in ids, piece
        assert (other.pk in ids) == (piece in other_text), piece


def test_bigrams_that_occur_but_not_next_to_each_other_do_not_match(
    school: School,
) -> None:
    item = publish(school, "招生工作", "<p>教育局负责入学；学生报名</p>")
    assert found("招生") == [item.pk] and found("生工") == [item.pk]
    assert found("工招") == []  # both characters present, not in this order
    assert found("招生报名") == []  # 招生 and 报名 both occur, apart
    assert found("入学生") == []  # 入学 and 学生 both occur, not as 入学生
    assert found("学生报名") == [item.pk]


def test_a_phrase_does_not_match_across_paragraphs_or_table_cells(
    school: School,
) -> None:
    publish(
        school, "名单", "<p>张三</p><p>男</p><table><tr><td>李</td><td>四</td></tr>"
    )
    assert found("张三男") == [] and found("李四") == []


def test_the_document_number_finds_its_item_in_any_bracket_style(
    school: School,
) -> None:
    item = publish(school, "关于印发方案的通知", document_number="岚教综〔2017〕75号")
    publish(school, "另一个通知", document_number="岚教综〔2017〕7号")
    for query in (
        "岚教综〔2017〕75号",
        "岚教综[2017]75号",
        "岚教综（2017）75号",
        "岚教综【2017】75号",
    ):
        assert found(query)[0] == item.pk, query
    assert results("岚教综[2017]75号").hits[0].exact
    assert found("〔2017〕75号") == [item.pk]  # a part of it is text like any other


def test_the_index_number_finds_its_item_first(school: School) -> None:
    item = publish(school, "关于学校食堂的公示")
    newer = publish(school, "公示", f"<p>参见{item.index_number}</p>")
    assert item.index_number
    hits = results(item.index_number).hits
    assert [h.document.item_id for h in hits] == [item.pk, newer.pk]
    assert hits[0].exact and not hits[1].exact
    serial = item.index_number.rsplit("-", 1)[1]
    assert item.pk in found(serial)


def test_one_character_finds_every_item_containing_it(school: School) -> None:
    a = publish(school, "招生", "<p>甲</p>")
    b = publish(school, "通知", "<p>招</p>")
    publish(school, "通知", "<p>乙</p>")
    assert sorted(found("招")) == sorted([a.pk, b.pk])
    assert found("丙") == []


def test_several_words_must_all_occur(school: School) -> None:
    both = publish(school, "招生公告", "<p>平潭综合实验区</p>")
    publish(school, "招生公告", "<p>福州</p>")
    assert found("招生 平潭") == [both.pk]
    assert found("平潭 福州") == []


def test_full_width_and_upper_case_match_their_plain_forms(school: School) -> None:
    item = publish(school, "ＧＢ／Ｔ ２０２５ 标准", "<p>Covid-19 防控</p>")
    assert found("gb/t") == [item.pk] and found("2025") == [item.pk]
    assert found("COVID") == [item.pk] and found("ｃｏｖｉｄ－１９") == [item.pk]


def test_attachment_text_is_searched(school: School) -> None:
    item = Item.objects.get(pk=publish(school, "名单公示").pk)
    editing.update_draft(actor=school.author, item=item, title="名单公示（更新）")
    editing.add_attachment(
        actor=school.author,
        item=item,
        name="名单.xlsx",
        data=xlsx_with(("学校", "人数"), ("海坛小学", "45")),
    )
    assert found("海坛小学") == []  # the public still sees the first revision
    from tests.catalogue.test_workflow import publish_quickly

    publish_quickly(school, item)
    assert found("海坛小学") == [item.pk]


def test_the_title_and_recency_decide_the_order(school: School) -> None:
    old_title = publish(school, "招生简章", "<p>内容</p>")
    new_body = publish(school, "工作通知", "<p>招生简章附后</p>")
    newest_body = publish(school, "另一通知", "<p>招生简章</p>")
    now = timezone.now()
    for item, days in ((old_title, 400), (new_body, 10), (newest_body, 1)):
        Item.objects.filter(pk=item.pk).update(published_at=now - timedelta(days))
        item.refresh_from_db()
        index_item(item)
    assert found("招生简章") == [old_title.pk, newest_body.pk, new_body.pk]
    assert found("招生简章", sort="date") == [newest_body.pk, new_body.pk, old_title.pk]
    Item.objects.filter(pk=old_title.pk).update(published_at=now - timedelta(3000))
    old_title.refresh_from_db()
    index_item(old_title)
    assert found("招生简章")[-1] == old_title.pk  # a title match is worth two years


def test_filters_narrow_the_results(world: World, school: School) -> None:
    guide = Kind.objects.exclude(slug="news").first()
    assert guide is not None
    other_column = create_column(
        actor=None, unit=world.school_a, name="招生", slug="zs"
    )
    a = publish(school, "招生公告一")
    b = publish(school, "招生公告二", kind=guide, column=other_column)
    assert sorted(found("招生")) == sorted([a.pk, b.pk])
    assert found("招生", column=other_column.pk) == [b.pk]
    assert found("招生", kind=guide.slug) == [b.pk]
    assert sorted(found("招生", unit=world.school_a.pk)) == sorted([a.pk, b.pk])
    assert found("招生", unit=world.school_b.pk) == []
    year = timezone.localdate().year
    assert len(found("招生", year=year)) == 2 and found("招生", year=year - 1) == []
    assert len(found("招生", validity="in_force")) == 2
    assert found("招生", validity="repealed") == []
    assert sorted(found(unit=world.school_a.pk)) == sorted([a.pk, b.pk])


def test_snippets_highlight_the_terms_and_escape_the_text(school: School) -> None:
    body = "<p>" + "前文" * 40 + "报名时间 &lt;script&gt;为7月1日</p>"
    publish(school, "秋季招生", body)
    hit = results("报名 招生").hits[0]
    assert "<mark>招生</mark>" in hit.title_html
    assert "<mark>报名</mark>时间 &lt;script&gt;" in hit.snippet_html
    assert hit.snippet.startswith("…") and "<script>" in hit.snippet


@pytest.mark.parametrize("count", [3])
def test_the_total_counts_every_match_beyond_the_page(
    school: School, count: int
) -> None:
    for n in range(count):
        publish(school, f"招生公告{n}")
    page = results("招生", page_size=2)
    assert page.total == count and page.num_pages == 2 and len(page.hits) == 2
    assert len(results("招生", page_size=2, page=2).hits) == 1
    assert results("招生", page=9999).hits == []


def test_facet_counts_apply_every_other_filter(world: World, school: School) -> None:
    from gongkai.search.facets import search_facets
    from gongkai.search.params import parse_params
    from tests.catalogue.conftest import staff_for

    guide = Kind.objects.get(slug="guide")
    other = staff_for(world.school_b, "sb")
    publish(school, "招生公告一")
    publish(school, "招生公告二", kind=guide)
    publish(other, "招生公告三", kind=guide)
    params, _ = parse_params({"q": "招生", "unit": world.school_a.pk}, strict=True)
    facets = search_facets(params, [])
    assert [(o.label, o.count, o.selected) for o in facets.unit] == [
        (world.school_a.name, 2, True),
        (world.school_b.name, 1, False),
    ]
    assert {o.value: o.count for o in facets.kind} == {"news": 1, "guide": 1}
    assert [o.count for o in facets.validity] == [2]
