from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from gongkai.catalogue import outbox
from gongkai.catalogue.channels import wechat as sender
from gongkai.catalogue.channels.wechat_api import Account, WeChatClient
from gongkai.catalogue.models import Channel, Delivery, DeliveryStatus, Item
from gongkai.catalogue.services import editing
from tests.catalogue.conftest import School, draft, xlsx_with
from tests.catalogue.test_workflow import publish_quickly
from tests.channels.conftest import COVER, SECRET
from tests.channels.wechat_server import WeChatState

BODY = (
    "<p>经审核，下列学生符合入学条件。</p>"
    '<p><img src="https://elsewhere.example/x.png">名单见附件。</p>'
    '<script>alert("x")</script>'
    '<p><a href="https://elsewhere.example/">报名系统</a></p>'
)

ServerFixture = tuple[WeChatState, str]


def publish(school: School, title: str = "2025年秋季学期一年级新生名单公示") -> Item:
    item = draft(
        school,
        title=title,
        body=BODY,
        summary="公示2025年秋季学期一年级新生名单，公示期5个工作日。",
        document_number="一小〔2025〕3号",
    )
    publish_quickly(school, item)
    item.refresh_from_db()
    return item


def published_titles(state: WeChatState) -> list[str]:
    return [e["content"]["news_item"][0]["title"] for e in state.published]


def test_a_published_item_becomes_one_wechat_article_that_links_back_to_the_portal(
    school: School, wechat: ServerFixture, wechat_channel: Channel
) -> None:
    state, _base = wechat
    item = draft(school, body=BODY, summary="公示一年级新生名单。")
    editing.add_attachment(
        actor=school.author,
        item=item,
        name="新生名单.xlsx",
        data=xlsx_with(("姓名", "班级"), ("张三", "一（1）班")),
    )
    publish_quickly(school, item)
    item.refresh_from_db()

    assert outbox.run_outbox().delivered == 1

    assert published_titles(state) == ["2025年秋季学期一年级新生名单公示"]
    news = state.published[0]["content"]["news_item"][0]
    assert news["author"] == "测试第一小学"
    assert news["digest"] == "公示一年级新生名单。"
    assert news["content_source_url"] == f"https://gk.example.gov.cn/items/{item.pk}/"
    assert news["thumb_media_id"] == COVER
    content = news["content"]
    assert "符合入学条件" in content and item.index_number in content
    assert "新生名单.xlsx" in content and "阅读原文" in content
    for unwanted in ("<script", "alert(", "<img", "href"):
        assert unwanted not in content
    assert state.drafts == {}  # the draft left the box when it was published
    token_call = state.calls_to("/cgi-bin/stable_token")[0]
    assert token_call.body["appid"] == wechat_channel.config["appid"]
    assert token_call.body["secret"] == SECRET
    assert SECRET not in str(wechat_channel.config)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert sender.post_state(delivery).article_url.startswith(
        "https://mp.weixin.qq.com/s/"
    )


def test_a_worker_killed_between_draft_and_publish_publishes_the_same_draft_once(
    school: School,
    wechat: ServerFixture,
    wechat_channel: Channel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state, _base = wechat
    publish(school)
    real_submit = WeChatClient.submit

    def die(self: WeChatClient, media_id: str) -> str:
        raise SystemExit("worker killed after draft/add, before freepublish/submit")

    monkeypatch.setattr(WeChatClient, "submit", die)
    with pytest.raises(SystemExit):
        outbox.run_outbox()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0
    assert len(state.drafts) == 1

    monkeypatch.setattr(WeChatClient, "submit", real_submit)
    assert outbox.run_outbox().delivered == 1
    assert len(state.calls_to("/cgi-bin/draft/add")) == 1
    assert len(state.calls_to("/cgi-bin/freepublish/submit")) == 1
    assert len(state.published) == 1 and state.drafts == {}


def test_a_worker_killed_before_recording_its_draft_finds_that_draft_again(
    school: School,
    wechat: ServerFixture,
    wechat_channel: Channel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state, _base = wechat
    publish(school)
    real_append = sender.PostLog.append

    def die_on_draft_added(self: sender.PostLog, event: str, **data: str) -> None:
        if event == "draft_added":
            raise SystemExit("worker killed before the media_id was recorded")
        real_append(self, event, **data)

    monkeypatch.setattr(sender.PostLog, "append", die_on_draft_added)
    with pytest.raises(SystemExit):
        outbox.run_outbox()
    monkeypatch.setattr(sender.PostLog, "append", real_append)

    assert outbox.run_outbox().delivered == 1
    assert len(state.calls_to("/cgi-bin/draft/add")) == 1
    assert len(state.calls_to("/cgi-bin/draft/batchget")) == 1
    assert len(state.published) == 1


def test_a_worker_killed_after_submitting_finds_its_article_instead_of_publishing_again(
    school: School,
    wechat: ServerFixture,
    wechat_channel: Channel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state, _base = wechat
    publish(school)
    real_append = sender.PostLog.append

    def die_on_submitted(self: sender.PostLog, event: str, **data: str) -> None:
        if event == "submitted":
            raise SystemExit("worker killed before the publish_id was recorded")
        real_append(self, event, **data)

    monkeypatch.setattr(sender.PostLog, "append", die_on_submitted)
    with pytest.raises(SystemExit):
        outbox.run_outbox()
    monkeypatch.setattr(sender.PostLog, "append", real_append)
    state.finish_publishing()  # the platform publishes in the background

    assert outbox.run_outbox().delivered == 1
    assert len(state.calls_to("/cgi-bin/freepublish/submit")) == 1
    assert len(state.published) == 1


def test_a_lost_submit_still_publishing_is_looked_for_again_before_a_new_draft(
    school: School,
    wechat: ServerFixture,
    wechat_channel: Channel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state, _base = wechat
    publish(school)
    real_append = sender.PostLog.append

    def die_on_submitted(self: sender.PostLog, event: str, **data: str) -> None:
        if event == "submitted":
            raise SystemExit("worker killed before the publish_id was recorded")
        real_append(self, event, **data)

    state.publishing_polls = 5
    monkeypatch.setattr(sender.PostLog, "append", die_on_submitted)
    with pytest.raises(SystemExit):
        outbox.run_outbox()
    monkeypatch.setattr(sender.PostLog, "append", real_append)

    now = timezone.now()
    # Still publishing: not listed yet, and the draft has left the box.
    assert outbox.run_outbox(now).retried == 1
    assert "稍后核对" in Delivery.objects.get().last_error
    state.finish_publishing()
    assert outbox.run_outbox(now + timedelta(minutes=1)).delivered == 1
    assert len(state.calls_to("/cgi-bin/draft/add")) == 1
    assert len(state.published) == 1


def test_a_draft_deleted_by_hand_is_made_again_after_a_second_look(
    school: School,
    wechat: ServerFixture,
    wechat_channel: Channel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state, _base = wechat
    publish(school)
    real_submit = WeChatClient.submit

    def die(self: WeChatClient, media_id: str) -> str:
        raise SystemExit("worker killed after draft/add")

    monkeypatch.setattr(WeChatClient, "submit", die)
    with pytest.raises(SystemExit):
        outbox.run_outbox()
    monkeypatch.setattr(WeChatClient, "submit", real_submit)
    state.drafts.clear()  # someone deleted the draft in the MP back end

    now = timezone.now()
    assert outbox.run_outbox(now).retried == 1
    assert outbox.run_outbox(now + timedelta(minutes=1)).retried == 1
    assert "重新创建草稿" in Delivery.objects.get().last_error
    assert outbox.run_outbox(now + timedelta(minutes=3)).delivered == 1
    assert len(state.calls_to("/cgi-bin/draft/add")) == 2
    assert len(state.published) == 1


def test_an_invalid_token_is_renewed_once_and_the_call_repeated(
    school: School, wechat: ServerFixture, wechat_channel: Channel
) -> None:
    state, _base = wechat
    publish(school, "第一条")
    assert outbox.run_outbox().delivered == 1
    state.revoke_tokens()  # e.g. the AppSecret was reset on the platform

    publish(school, "第二条")
    assert outbox.run_outbox().delivered == 1
    assert len(state.calls_to("/cgi-bin/stable_token")) == 2
    assert published_titles(state) == ["第二条", "第一条"]

    state.fail_always["/cgi-bin/draft/add"] = 40001
    publish(school, "第三条")
    assert outbox.run_outbox().retried == 1
    assert "40001" in Delivery.objects.get(status="pending").last_error
    # once for each of the first two (the second after a renewal), twice for the third
    assert len(state.calls_to("/cgi-bin/draft/add")) == 1 + 2 + 2


def test_a_token_handed_out_again_after_rejection_is_force_refreshed(
    wechat: ServerFixture, wechat_channel: Channel
) -> None:
    state, _base = wechat
    client = WeChatClient(Account.from_config(wechat_channel.config))
    first = client.token()
    state.fail_once["/cgi-bin/draft/batchget"] = 40001
    assert client.recent_drafts() == []
    refreshes = state.calls_to("/cgi-bin/stable_token")
    assert [c.body["force_refresh"] for c in refreshes] == [False, False, True]
    assert client.token() != first


def test_the_token_is_cached_until_five_minutes_before_it_expires(
    school: School, wechat: ServerFixture, wechat_channel: Channel
) -> None:
    state, _base = wechat
    account = Account.from_config(wechat_channel.config)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        publish(school, "第一条")
        publish(school, "第二条")
        assert outbox.run_outbox().delivered == 2
        assert len(state.calls_to("/cgi-bin/stable_token")) == 1
        first = cache.get(account.cache_key)
        assert first in state.tokens

        traveller.shift(timedelta(seconds=7200 - 250))
        publish(school, "第三条")
        assert outbox.run_outbox().delivered == 1
        assert len(state.calls_to("/cgi-bin/stable_token")) == 2
        assert cache.get(account.cache_key) not in {None, first}


def test_a_rate_limit_backs_off_and_the_retry_publishes_once(
    school: School, wechat: ServerFixture, wechat_channel: Channel
) -> None:
    state, _base = wechat
    publish(school)
    state.fail_once["/cgi-bin/freepublish/submit"] = 45009
    now = timezone.now()
    assert outbox.run_outbox(now).retried == 1
    delivery = Delivery.objects.get()
    assert "45009" in delivery.last_error and "频率" in delivery.last_error
    assert delivery.next_attempt_at == now + timedelta(seconds=30)

    assert outbox.run_outbox(now + timedelta(seconds=31)).delivered == 1
    assert len(state.calls_to("/cgi-bin/draft/add")) == 1
    assert len(state.published) == 1


def test_an_article_still_publishing_is_checked_again_later(
    school: School, wechat: ServerFixture, wechat_channel: Channel
) -> None:
    state, _base = wechat
    state.publishing_polls = 1
    publish(school)
    now = timezone.now()
    assert outbox.run_outbox(now).retried == 1
    assert "等待发布结果" in Delivery.objects.get().last_error
    assert outbox.run_outbox(now + timedelta(seconds=31)).delivered == 1
    assert len(state.calls_to("/cgi-bin/freepublish/submit")) == 1


def test_a_failed_publication_is_submitted_again_from_the_same_draft(
    school: School, wechat: ServerFixture, wechat_channel: Channel
) -> None:
    state, _base = wechat
    state.fail_publication = 4
    publish(school)
    now = timezone.now()
    assert outbox.run_outbox(now).retried == 1
    assert "平台审核不通过" in Delivery.objects.get().last_error
    assert outbox.run_outbox(now + timedelta(seconds=31)).delivered == 1
    assert len(state.calls_to("/cgi-bin/draft/add")) == 1
    assert len(state.calls_to("/cgi-bin/freepublish/submit")) == 2
    assert len(state.published) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"thumb_media_id": ""}, "thumb_media_id"),
        ({"thumb_media_id": "not-permanent"}, "永久素材"),
        ({"secret_env": "GONGKAI_TEST_NO_SUCH_SECRET"}, "GONGKAI_TEST_NO_SUCH_SECRET"),
        ({"appid": "wx-wrong"}, "AppID 无效"),
        ({"api_base": "http://api.weixin.qq.com"}, "HTTPS"),
    ],
)
def test_a_misconfigured_channel_says_what_is_wrong_without_revealing_the_secret(
    school: School,
    wechat: ServerFixture,
    wechat_channel: Channel,
    change: dict[str, Any],
    message: str,
) -> None:
    state, _base = wechat
    wechat_channel.config = {**wechat_channel.config, **change}
    wechat_channel.save()
    publish(school)
    assert outbox.run_outbox().retried == 1
    delivery = Delivery.objects.get()
    assert message in delivery.last_error and SECRET not in delivery.last_error
    assert state.published == []


def test_a_wrong_secret_is_reported_and_never_echoed(
    school: School,
    wechat: ServerFixture,
    wechat_channel: Channel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GONGKAI_TEST_WECHAT_SECRET", "a-wrong-secret")
    publish(school)
    assert outbox.run_outbox().retried == 1
    error = Delivery.objects.get().last_error
    assert "AppSecret 无效" in error and "a-wrong-secret" not in error


def test_an_overlong_body_is_shortened_to_text_with_a_pointer_to_the_portal(
    school: School, wechat: ServerFixture, wechat_channel: Channel
) -> None:
    state, _base = wechat
    item = draft(school, body="<p>" + "长" * 30000 + "</p>")
    publish_quickly(school, item)
    assert outbox.run_outbox().delivered == 1
    content = state.published[0]["content"]["news_item"][0]["content"]
    assert len(content) < sender.CONTENT_MAX and "全文请点击“阅读原文”" in content


def test_a_new_revision_with_the_same_title_is_not_mistaken_for_the_earlier_article(
    school: School,
    wechat: ServerFixture,
    wechat_channel: Channel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state, _base = wechat
    item = publish(school)
    assert outbox.run_outbox().delivered == 1
    editing.update_draft(actor=school.author, item=item, body="<p>更正后的名单。</p>")
    publish_quickly(school, item)
    real_submit = WeChatClient.submit

    def die(self: WeChatClient, media_id: str) -> str:
        raise SystemExit("worker killed before the submit reached WeChat")

    monkeypatch.setattr(WeChatClient, "submit", die)
    with pytest.raises(SystemExit):
        outbox.run_outbox()
    monkeypatch.setattr(WeChatClient, "submit", real_submit)

    # The earlier revision's article has the same address and title, but it is
    # recorded by the earlier delivery, so this one still publishes its own.
    assert outbox.run_outbox().delivered == 1
    assert len(state.published) == 2
    assert "更正后的名单" in state.published[0]["content"]["news_item"][0]["content"]
