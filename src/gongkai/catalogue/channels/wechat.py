"""The WeChat channel (微信公众号): each published item becomes a draft in the
account's draft box (``draft/add``), which is then published (``freepublish/submit``)
and checked (``freepublish/get``); the delivery counts once WeChat reports the
article as published.

Channel config: ``appid``, ``secret_env`` (see ``wechat_api``), ``thumb_media_id``
and optionally ``author`` and ``api_base``. ``thumb_media_id`` is the cover image
the API requires for every article: upload it once as permanent material
(素材管理 → 新增永久素材, ``/cgi-bin/material/add_material?type=image``) and put the
returned ``media_id`` here.

Exactly one published article per delivery. The outbox calls a sender inside the
transaction that holds the delivery row, so anything written to the database
here is rolled back if the worker dies; the steps are therefore recorded as a log
of write-once files in the default storage (``channels/wechat/<idempotency
key>/``), outside that transaction. Each call to WeChat is preceded by an intent
entry and followed by its result, so a repeated delivery knows how far the last
one got:

- the draft's ``media_id`` is recorded: the same draft is published, never a new
  one;
- a draft was requested but its answer lost: the draft box is searched for it
  (same ``content_source_url`` and title, not recorded by another delivery of
  the item, e.g. an earlier revision) before a new one is made;
- a publication was submitted but its answer lost: the published articles are
  searched first; submitting again cannot publish twice either, because a draft
  leaves the draft box once published and the API refuses the old ``media_id``.
"""

from __future__ import annotations

import functools
import html
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import nh3
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from gongkai.accounts.models import Unit
from gongkai.catalogue.channels.common import clean_body, portal_url
from gongkai.catalogue.channels.wechat_api import Account, WeChatClient, WeChatError
from gongkai.catalogue.models import ChannelKind, Delivery
from gongkai.catalogue.outbox import DeliveryError

logger = logging.getLogger(__name__)
Claimed = Callable[[], set[str]]  # computed only if a lost step is looked for

STATE_DIR = "channels/wechat"
# Limits of the official account editor (title, author, digest, content).
TITLE_MAX, AUTHOR_MAX, DIGEST_MAX, CONTENT_MAX = 64, 8, 120, 20000
INVALID_MEDIA_ID = 40007
PUBLISHED = {0, 5, 6}  # 5 and 6: published, later deleted or blocked
PUBLISHING = 1
PUBLISH_STATUS = {
    2: "原创声明失败",
    3: "常规失败",
    4: "平台审核不通过",
}
ERRORS = {
    -1: "微信系统繁忙，稍后重试",
    40001: "AppSecret 错误或 access_token 无效",
    40007: "素材 media_id 无效（封面图 thumb_media_id 须为永久素材）",
    40013: "AppID 无效",
    40125: "AppSecret 无效",
    40164: "调用接口的 IP 地址不在公众号的 IP 白名单中",
    45009: "接口调用超过频率限制，稍后重试",
    48001: "公众号未获得该接口权限",
    53503: "该草稿未通过发布检查",
    53504: "需前往公众平台官网使用草稿",
    53505: "请前往公众平台官网手动保存草稿后再发表",
}


# --- the article -------------------------------------------------------------
def author_of(unit: Unit, config: dict[str, Any]) -> str:
    name = str(config.get("author") or unit.name)
    return name if len(name) <= AUTHOR_MAX else unit.short_name[:AUTHOR_MAX]


def article_html(delivery: Delivery) -> str:
    """The body without scripts, styles, links or images (WeChat drops outside
    images and links anyway), headed by the 索引号 and 文号; a body too long for
    WeChat is shortened to plain text and the reader sent to the portal."""
    item, revision = delivery.item, delivery.revision
    meta = [f"索引号：{item.index_number}"] if item.index_number else []
    if revision.document_number:
        meta.append(f"文号：{revision.document_number}")
    head = f"<p>{html.escape('　'.join(meta))}</p>" if meta else ""
    names = [a.name for a in revision.attachments.all()]
    tail = ""
    if names:
        listed = "".join(f"<li>{html.escape(n)}</li>" for n in names)
        tail = f"<p>附件：</p><ol>{listed}</ol><p>附件请点击“阅读原文”下载。</p>"
    body = clean_body(revision.body)
    if len(head) + len(body) + len(tail) >= CONTENT_MAX:
        text = html.unescape(nh3.clean(body, tags=set()))
        room = CONTENT_MAX - len(head) - len(tail) - 200
        body = f"<p>{html.escape(text[:room])}……</p><p>（全文请点击“阅读原文”查看）</p>"
    return head + body + tail


def article(delivery: Delivery) -> dict[str, Any]:
    config = delivery.channel.config
    thumb = str(config.get("thumb_media_id", "")).strip()
    if not thumb:
        raise DeliveryError(
            "微信公众号渠道未配置封面图 thumb_media_id（须先上传为永久素材）"
        )
    revision = delivery.revision
    return {
        "title": revision.title[:TITLE_MAX],
        "author": author_of(delivery.item.unit, config),
        "digest": revision.summary[:DIGEST_MAX],
        "content": article_html(delivery),
        "content_source_url": portal_url(delivery.item),
        "thumb_media_id": thumb,
        "need_open_comment": 0,
        "only_fans_can_comment": 0,
    }


# --- the log of steps ----------------------------------------------------------
@dataclass
class PostState:
    draft_requested: bool = False
    media_id: str = ""
    submit_requested: bool = False
    draft_missing: str = ""
    publish_id: str = ""
    article_id: str = ""
    article_url: str = ""
    published: bool = False


class PostLog:
    """Write-once JSON files ``NNN-<event>.json``, replayed in order."""

    def __init__(self, idempotency_key: str) -> None:
        self.folder = f"{STATE_DIR}/{idempotency_key}"

    def names(self) -> list[str]:
        try:
            _dirs, files = default_storage.listdir(self.folder)
        except FileNotFoundError:
            return []
        return sorted(f for f in files if f.endswith(".json"))

    def events(self) -> list[dict[str, Any]]:
        events = []
        for name in self.names():
            try:
                with default_storage.open(f"{self.folder}/{name}", "rb") as fh:
                    events.append(json.loads(fh.read().decode("utf-8")))
            except ValueError:
                # Cut short by a crash; the intent entry before it still counts.
                logger.warning("unreadable WeChat log entry %s/%s", self.folder, name)
        return events

    def append(self, event: str, **data: str) -> None:
        name = f"{self.folder}/{len(self.names()) + 1:03d}-{event}.json"
        body = json.dumps({"event": event, **data}, ensure_ascii=False)
        default_storage.save(name, ContentFile(body.encode("utf-8")))

    def state(self) -> PostState:
        state = PostState()
        for entry in self.events():
            match entry.get("event"):
                case "draft_requested":
                    state.draft_requested = True
                case "draft_added":
                    state.media_id = str(entry.get("media_id", ""))
                    state.draft_requested = False
                case "draft_missing":
                    state.draft_missing = str(entry.get("media_id", ""))
                    state.submit_requested = False
                case "draft_lost":
                    state.media_id = ""
                    state.submit_requested = False
                case "submit_requested":
                    state.submit_requested = True
                case "submitted":
                    state.publish_id = str(entry.get("publish_id", ""))
                    state.submit_requested = False
                case "publish_failed":
                    state.publish_id = ""
                case "published":
                    state.published = True
                    state.article_id = str(entry.get("article_id", ""))
                    state.article_url = str(entry.get("url", ""))
        return state


# --- the sender ------------------------------------------------------------------
def _matches(news: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return bool(
        news.get("content_source_url") == wanted["content_source_url"]
        and news.get("title") == wanted["title"]
    )


def _news_items(entry: dict[str, Any]) -> list[dict[str, Any]]:
    content = entry.get("content") or {}
    return list(content.get("news_item") or [])


def claimed_elsewhere(delivery: Delivery) -> set[str]:
    """Drafts and articles recorded by the item's other WeChat deliveries (an
    earlier revision may carry the same title): never adopted by this one."""
    keys = (
        Delivery.objects.filter(item=delivery.item, channel__kind=ChannelKind.WECHAT)
        .exclude(pk=delivery.pk)
        .values_list("idempotency_key", flat=True)
    )
    claimed: set[str] = set()
    for key in keys:
        state = PostLog(key).state()
        claimed |= {state.media_id, state.article_id}
    return claimed - {""}


def _find_draft(client: WeChatClient, wanted: dict[str, Any], claimed: set[str]) -> str:
    for entry in client.recent_drafts():
        media_id = str(entry.get("media_id", ""))
        if media_id not in claimed and any(
            _matches(n, wanted) for n in _news_items(entry)
        ):
            return media_id
    return ""


def _adopt_publication(
    client: WeChatClient, log: PostLog, wanted: dict[str, Any], claimed: set[str]
) -> bool:
    for entry in client.recent_publications():
        article_id = str(entry.get("article_id", ""))
        if article_id in claimed:
            continue
        for news in _news_items(entry):
            if _matches(news, wanted) and not news.get("is_deleted"):
                log.append(
                    "published", article_id=article_id, url=str(news.get("url", ""))
                )
                return True
    return False


def _draft(
    client: WeChatClient,
    log: PostLog,
    state: PostState,
    wanted: dict[str, Any],
    claimed: Claimed,
) -> str:
    if state.media_id:
        return state.media_id
    media_id = _find_draft(client, wanted, claimed()) if state.draft_requested else ""
    if not media_id:
        log.append("draft_requested")
        media_id = client.add_draft(wanted)
    log.append("draft_added", media_id=media_id)
    return media_id


def _submit(
    client: WeChatClient,
    log: PostLog,
    state: PostState,
    media_id: str,
    wanted: dict[str, Any],
    claimed: Claimed,
) -> str:
    log.append("submit_requested", media_id=media_id)
    try:
        publish_id = client.submit(media_id)
    except WeChatError as exc:
        if exc.code != INVALID_MEDIA_ID:
            raise
        # The draft has left the draft box: published by a lost attempt (it may
        # still be publishing, so it is looked for twice, an attempt apart), or
        # deleted by hand. Only in the second case is a new draft made.
        if _adopt_publication(client, log, wanted, claimed()):
            return ""
        if state.draft_missing != media_id:
            log.append("draft_missing", media_id=media_id)
            raise DeliveryError("微信草稿已不在草稿箱中，稍后核对是否已发布") from None
        log.append("draft_lost", media_id=media_id)
        raise DeliveryError("微信草稿已不在草稿箱中且未发布，将重新创建草稿") from None
    log.append("submitted", publish_id=publish_id)
    return publish_id


def _check(client: WeChatClient, log: PostLog, publish_id: str) -> None:
    answer = client.publish_status(publish_id)
    if "publish_status" not in answer:
        raise DeliveryError("微信未返回发布状态，稍后再查")
    status = int(answer["publish_status"])
    if status in PUBLISHED:
        detail = (answer.get("article_detail") or {}).get("item") or [{}]
        log.append(
            "published",
            article_id=str(answer.get("article_id", "")),
            url=str(detail[0].get("article_url", "")),
        )
        return
    if status == PUBLISHING:
        raise DeliveryError("已提交微信发布，等待发布结果")
    log.append("publish_failed", publish_id=publish_id, status=str(status))
    reason = PUBLISH_STATUS.get(status, f"状态 {status}")
    raise DeliveryError(f"微信发布失败：{reason}；将重新提交发布")


def _advance(delivery: Delivery, client: WeChatClient, log: PostLog) -> None:
    state = log.state()
    if state.published:
        return
    publish_id = state.publish_id
    if not publish_id:
        wanted = article(delivery)
        claimed = functools.cache(lambda: claimed_elsewhere(delivery))
        if state.submit_requested and _adopt_publication(
            client, log, wanted, claimed()
        ):
            return
        media_id = _draft(client, log, state, wanted, claimed)
        publish_id = _submit(client, log, state, media_id, wanted, claimed)
        if not publish_id:
            return
    _check(client, log, publish_id)


def describe(exc: WeChatError) -> str:
    label = ERRORS.get(exc.code) or exc.message
    return f"微信接口错误 {exc.code}：{label}"


def post_to_wechat(delivery: Delivery) -> None:
    """Sender for ``wechat`` channels."""
    client = WeChatClient(Account.from_config(delivery.channel.config))
    try:
        _advance(delivery, client, PostLog(delivery.idempotency_key))
    except WeChatError as exc:
        raise DeliveryError(describe(exc)) from None


def post_state(delivery: Delivery) -> PostState:
    """How far the delivery got (for the console)."""
    return PostLog(delivery.idempotency_key).state()
