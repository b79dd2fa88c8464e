"""Publication: the 索引号, the public revision, channel deliveries in the same
transaction (the outbox), scheduled publication, withdrawal and validity."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.accounts.roles import Role
from gongkai.catalogue.models import (
    Channel,
    Delivery,
    IndexSequence,
    Item,
    ItemRevision,
    Status,
    Validity,
)
from gongkai.catalogue.services.common import audit, require, require_scope
from gongkai.catalogue.services.scanning import unresolved_after_rescan
from gongkai.search.services import index_item

DEFAULT_INDEX_FORMAT = "{org_code}/{year}-{serial:05d}"
logger = logging.getLogger(__name__)


def _enqueue_delivery(run_after: datetime | None) -> None:
    from gongkai.catalogue.tasks import deliver_and_publish

    task = deliver_and_publish
    if run_after is not None:
        task = task.using(run_after=run_after)
    try:
        task.enqueue()
    except Exception:
        # The publication has committed and its deliveries wait in the outbox;
        # the scheduler's next round (or `gongkai outbox`) delivers them.
        logger.exception("could not enqueue the outbox task")


def deliver_after_commit(run_after: datetime | None = None) -> None:
    """Have the worker run the outbox once this transaction commits, or at
    ``run_after`` (a scheduled publication) where the task backend can defer.

    Only with ``GONGKAI_DELIVER_ON_COMMIT`` (on with a queue backend): with the
    immediate backend the task would run inside the publishing request, which
    would then wait for every channel."""
    if not getattr(settings, "GONGKAI_DELIVER_ON_COMMIT", False):
        return
    from gongkai.catalogue.tasks import deliver_and_publish

    if run_after is not None:
        if not deliver_and_publish.get_backend().supports_defer:
            return  # the scheduler's periodic round publishes it when it falls due
        # Round up to the second: RQ keeps the time in whole seconds (truncated),
        # and a task released before the item's time would find nothing due.
        if run_after.microsecond:
            run_after = run_after.replace(microsecond=0) + timedelta(seconds=1)
    transaction.on_commit(partial(_enqueue_delivery, run_after), robust=True)


def next_index_number(unit: Unit, year: int) -> str:
    """The next 索引号 of a unit (《政府信息公开目录系统实施指引（试行）》: 前段码 the
    organisation code, 后段码 year and a 5-digit serial). The sequence row is locked,
    so concurrent publishers get distinct numbers; it only grows, so a number is
    never reused. The format is configurable (``GONGKAI_INDEX_NUMBER_FORMAT``)."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                seq, _ = IndexSequence.objects.select_for_update().get_or_create(
                    unit=unit, year=year
                )
                seq.last += 1
                seq.save(update_fields=["last"])
                break
        except IntegrityError:
            continue  # another publisher created the year's row first
    else:
        raise ServiceError("索引号生成冲突，请重试")
    fmt = getattr(settings, "GONGKAI_INDEX_NUMBER_FORMAT", DEFAULT_INDEX_FORMAT)
    return fmt.format(
        org_code=unit.org_code, year=year, serial=seq.last, unit=unit.short_name
    )


def _channels_for(item: Item, revision: ItemRevision) -> list[Channel]:
    channels = Channel.objects.filter(unit=item.unit, enabled=True).prefetch_related(
        "columns"
    )
    return [
        c for c in channels if not c.columns.all() or revision.column in c.columns.all()
    ]


def interpretation_warning(item: Item, revision: ItemRevision) -> str:
    """A 行政规范性文件 should be published with its 解读 (三同步)."""
    if revision.kind.report_role != "normative_document":
        return ""
    linked = ItemRevision.objects.filter(interprets=item).exists()
    return (
        ""
        if linked
        else "该行政规范性文件尚无关联的政策解读（应同步起草、同步审签、同步发布）"
    )


def publish_locked(
    *,
    actor: User | None,
    item: Item,
    at: datetime | None = None,
    enqueue_delivery: bool = True,
) -> list[str]:
    """Publish (or schedule) an item whose row the caller holds locked. Returns
    warnings. Runs the scanner again; any unresolved finding blocks. New
    deliveries are handed to the worker when the transaction commits
    (``deliver_after_commit``) unless ``enqueue_delivery`` is false (the worker's
    own ``publish_due``, which delivers the outbox right after)."""
    from gongkai.catalogue.services.review import chain_of

    revision = item.draft_revision
    assert revision is not None
    now = timezone.now()
    if at is not None and at > now:
        item.status = Status.SCHEDULED
        item.scheduled_at = at
        item.save(update_fields=["status", "scheduled_at"])
        if enqueue_delivery:
            deliver_after_commit(run_after=at)
        audit(
            actor,
            item,
            "scheduled",
            f"定时发布：{revision.title}（{timezone.localtime(at):%Y-%m-%d %H:%M}）",
        )
        return []
    if unresolved_after_rescan(revision):
        raise ServiceError(
            "发布前复查发现未处理的敏感信息，不能发布；请退回保密审查处理"
        )
    warning = interpretation_warning(item, revision)
    if warning and chain_of(item).interpretation_blocks:
        raise ServiceError(warning + "，本单位设置为不得发布")
    first = item.index_number is None
    if first:
        item.index_number = next_index_number(item.unit, timezone.localdate().year)
        item.published_at = now
    item.published_revision = revision
    item.is_public = True
    item.status = Status.PUBLISHED
    item.scheduled_at = None
    item.save(
        update_fields=[
            "index_number",
            "published_at",
            "published_revision",
            "is_public",
            "status",
            "scheduled_at",
        ]
    )
    index_item(item)
    created = 0
    for channel in _channels_for(item, revision):
        _delivery, new = Delivery.objects.get_or_create(
            idempotency_key=f"item-{item.pk}-rev-{revision.pk}-ch-{channel.pk}",
            defaults={
                "item": item,
                "revision": revision,
                "channel": channel,
                "next_attempt_at": now,
            },
        )
        created += new
    if created and enqueue_delivery:
        deliver_after_commit()
    audit(
        actor,
        item,
        "published" if first else "republished",
        f"{'发布' if first else '更新发布'}：{revision.title}（索引号 {item.index_number}）",
        index_number=item.index_number,
        revision=revision.number,
        warning=warning,
    )
    return [warning] if warning else []


def publish_due(now: datetime | None = None) -> int:
    """Publish scheduled items whose time has come (run by the worker)."""
    now = now or timezone.now()
    count = 0
    for pk in Item.objects.filter(
        status=Status.SCHEDULED, scheduled_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            item = Item.objects.select_for_update().get(pk=pk)
            if (
                item.status == Status.SCHEDULED
                and item.scheduled_at
                and item.scheduled_at <= now
            ):
                item.scheduled_at = None
                publish_locked(actor=None, item=item, enqueue_delivery=False)
                count += 1
    return count


def withdraw(*, actor: User, item: Item, reason: str) -> None:
    """撤回: the item leaves the public site; its 索引号 stays taken."""
    require_scope(actor, item)
    require(
        actor.has_role(Role.SIGNER) or actor.has_role(Role.DISCLOSURE_OFFICER),
        "只有签发领导或公开办工作人员可以撤回信息",
    )
    if not reason.strip():
        raise ServiceError("撤回须说明原因", field="reason")
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        if not locked.is_public:
            raise ServiceError("该信息未公开，无需撤回")
        locked.is_public = False
        locked.status = Status.WITHDRAWN
        locked.withdrawn_reason = reason.strip()
        locked.save(update_fields=["is_public", "status", "withdrawn_reason"])
        index_item(locked)
        audit(
            actor,
            locked,
            "withdrawn",
            f"撤回：{locked}（{reason.strip()}）",
            reason=reason.strip(),
        )
    item.refresh_from_db()


def change_validity(*, actor: User, item: Item, validity: str, on: date) -> None:
    """废止 or 失效 with its date (feeds 现行有效件数 of the annual report)."""
    require_scope(actor, item)
    require(
        actor.has_role(Role.SIGNER) or actor.has_role(Role.DISCLOSURE_OFFICER),
        "只有签发领导或公开办工作人员可以变更有效性",
    )
    if validity not in Validity.values:
        raise ServiceError("有效性无效", field="validity")
    if on > timezone.localdate():
        raise ServiceError("日期不能晚于今天", field="on")
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        if locked.published_at and on < timezone.localdate(locked.published_at):
            raise ServiceError("失效或废止日期不能早于发布日期", field="on")
        before = locked.validity
        locked.validity = validity
        locked.validity_changed_on = None if validity == Validity.IN_FORCE else on
        locked.save(update_fields=["validity", "validity_changed_on"])
        index_item(locked)
        audit(
            actor,
            locked,
            "validity_changed",
            f"有效性：{Validity(before).label} → {Validity(validity).label}（{on}）",
            before=before,
            after=validity,
            on=on.isoformat(),
        )
    item.refresh_from_db()
