from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pytest

from gongkai.accounts.models import Unit, User
from gongkai.accounts.roles import Role
from gongkai.catalogue.models import Column, Item, Kind
from gongkai.catalogue.services import editing
from gongkai.catalogue.services.columns import create_column
from tests.conftest import World, make_user

# A resident ID number with a valid check digit (GB 11643-1999).
ID_NUMBER = "440102199003071236"
CHECKLIST = {
    "state_secret": False,
    "prohibited": False,
    "three_safeties": False,
    "privacy": False,
    "trade_secret": False,
    "internal": False,
    "approved": True,
}


@dataclass
class School:
    author: User
    reviewer: User
    secrecy: User
    signer: User
    column: Column
    news: Kind


def staff_for(unit: Unit, prefix: str) -> School:
    """An author, reviewers and a signer of ``unit``, and a column."""
    return School(
        author=make_user(unit, f"{prefix}_author", Role.AUTHOR),
        reviewer=make_user(unit, f"{prefix}_reviewer", Role.UNIT_REVIEWER),
        secrecy=make_user(unit, f"{prefix}_secrecy", Role.CONFIDENTIALITY_REVIEWER),
        signer=make_user(unit, f"{prefix}_signer", Role.SIGNER),
        column=create_column(actor=None, unit=unit, name="校务公开", slug="xwgk"),
        news=Kind.objects.get(slug="news"),
    )


@pytest.fixture
def school(world: World) -> School:
    return staff_for(world.school_a, "s")


def draft(
    school: School, title: str = "2025年秋季学期一年级新生名单公示", **extra: object
) -> Item:
    fields: dict[str, object] = {
        "column": school.column,
        "kind": school.news,
        "title": title,
        "body": "<p>经审核，下列学生符合入学条件。</p>",
        "formed_on": date(2025, 9, 1),
        "written_on": date(2025, 9, 1),
        **extra,
    }
    return editing.create_item(actor=school.author, unit=school.column.unit, **fields)


def xlsx_with(*rows: tuple[str, ...]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
