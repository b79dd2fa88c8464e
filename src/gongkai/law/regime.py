"""Which version of the 《政府信息公开条例》 governs an application."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from gongkai.law.errors import LawInputError

REGULATION_2008_IN_FORCE: Final = date(2008, 5, 1)
REGULATION_2019_IN_FORCE: Final = date(2019, 5, 15)


@dataclass(frozen=True)
class Regime:
    """The reply rules of one version of the 《政府信息公开条例》.

    ``name`` is "2008" (国务院令第492号, in force 2008-05-01 to 2019-05-14) or "2019"
    (国务院令第711号, in force from 2019-05-15).  ``correction_notice_workdays`` is the
    time to ask for a correction (第三十条, 2019 only); ``other_agency_pauses`` and
    ``allows_agency_set_date`` say whether 第三十三条第三款 (other agencies) and
    第三十五条 (a delayed reply date) exist.
    """

    name: str
    label: str
    reply_workdays: int
    extension_cap: int
    citation: str
    correction_notice_workdays: int | None
    other_agency_pauses: bool
    allows_agency_set_date: bool


REGIME_2008: Final = Regime(
    name="2008",
    label="《政府信息公开条例》（2007年国务院令第492号）",
    reply_workdays=15,
    extension_cap=15,
    citation="《政府信息公开条例》（2007年国务院令第492号）第二十四条",
    correction_notice_workdays=None,
    other_agency_pauses=False,
    allows_agency_set_date=False,
)

REGIME_2019: Final = Regime(
    name="2019",
    label="《政府信息公开条例》（2019年修订，国务院令第711号）",
    reply_workdays=20,
    extension_cap=20,
    citation="《政府信息公开条例》第三十三条",
    correction_notice_workdays=7,
    other_agency_pauses=True,
    allows_agency_set_date=True,
)


def regime_for(received_on: date) -> Regime:
    """The regime in force on the day the application was received.

    Received up to 2019-05-14: 国务院令第492号 第二十四条 (15 working days, one
    extension of at most 15).  From 2019-05-15 (第五十六条): 《政府信息公开条例》
    第三十三条 (20 working days, one extension of at most 20).
    """
    if received_on < REGULATION_2008_IN_FORCE:
        raise LawInputError(
            "received_on",
            f"收到申请日期（received_on）{received_on}早于《政府信息公开条例》"
            "施行日（2008年5月1日）",
        )
    if received_on < REGULATION_2019_IN_FORCE:
        return REGIME_2008
    return REGIME_2019
