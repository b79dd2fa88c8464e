"""Drafting and publishing items for the obligation tests."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from gongkai.catalogue.models import Item
from gongkai.obligations.demo import workdays_ago
from gongkai.obligations.models import Obligation
from gongkai.obligations.services import link_item
from gongkai.workdays.selectors import work_calendar
from tests.catalogue.conftest import School, draft
from tests.catalogue.test_workflow import publish_quickly


def formed(workdays: int) -> date:
    """The day ``workdays`` working days before today."""
    return workdays_ago(work_calendar(), timezone.localdate(), workdays)


def item_for(
    school: School,
    obligation: Obligation,
    title: str,
    *,
    workdays: int = 0,
    publish: bool = True,
    period: str = "",
) -> Item:
    """An item formed ``workdays`` working days ago, linked to ``obligation`` and
    published today (or left as a draft)."""
    on = formed(workdays)
    item = draft(school, title=title, formed_on=on, written_on=on)
    link_item(actor=school.author, item=item, obligation=obligation, period=period)
    if publish:
        publish_quickly(school, item)
    item.refresh_from_db()
    return item
