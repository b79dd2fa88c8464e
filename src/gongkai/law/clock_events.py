"""Events that move the reply clock of an application, and the office's policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from gongkai.law.errors import LawInputError


@dataclass(frozen=True)
class CorrectionRequested:
    """The office asked the applicant, once, to correct the application (第三十条)."""

    on: date


@dataclass(frozen=True)
class CorrectionReceived:
    """The corrected application arrived; the reply period starts again (第三十条)."""

    on: date


class ConsultationKind(StrEnum):
    """Whose opinion was sought (第三十二条 third party, 第三十四条 other agency)."""

    third_party = "third_party"
    other_agency = "other_agency"


CONSULTATION_LABELS: dict[ConsultationKind, str] = {
    ConsultationKind.third_party: "征求第三方意见",
    ConsultationKind.other_agency: "征求其他机关意见",
}


@dataclass(frozen=True)
class Consultation:
    """A consultation; its time is not counted (第三十三条第三款).

    ``ended_on`` is None while the consultation is still open.
    """

    kind: ConsultationKind
    started_on: date
    ended_on: date | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", ConsultationKind(self.kind))
        except ValueError:
            raise LawInputError(
                "consultation_kind",
                f"未知的征求意见类型（consultation_kind）：{self.kind}",
            ) from None
        if self.ended_on is not None and self.ended_on < self.started_on:
            raise LawInputError(
                "consultation_ended_on",
                f"征求意见结束日期（consultation_ended_on）{self.ended_on}"
                f"早于开始日期{self.started_on}",
            )


@dataclass(frozen=True)
class Extension:
    """The one extension of the reply period (第三十三条第二款).

    It needs the consent of the head of the disclosure office (``approved_by``) and
    must be notified to the applicant.
    """

    on: date
    workdays: int
    approved_by: str
    reason: str

    def __post_init__(self) -> None:
        if self.workdays < 1:
            raise LawInputError(
                "extension_workdays",
                f"延长的工作日数（extension_workdays）至少为1，收到{self.workdays}",
            )
        if not self.approved_by.strip():
            raise LawInputError(
                "extension_approved_by",
                "延长答复期限须经政府信息公开工作机构负责人同意（extension_approved_by）",
            )
        if not self.reason.strip():
            raise LawInputError(
                "extension_reason", "须说明延长理由（extension_reason）"
            )


@dataclass(frozen=True)
class AgencySetDate:
    """A reasonable later reply date set by the office (第三十五条)."""

    on: date
    due_on: date
    reason: str

    def __post_init__(self) -> None:
        if self.due_on < self.on:
            raise LawInputError(
                "agency_set_due_on",
                f"确定的答复日期（agency_set_due_on）{self.due_on}早于作出决定之日{self.on}",
            )
        if not self.reason.strip():
            raise LawInputError(
                "agency_set_reason", "须说明延迟答复的理由（agency_set_reason）"
            )


@dataclass(frozen=True)
class FeeNotice:
    """A notice to pay the information-processing fee (国办函〔2020〕109号).

    ``paid_on`` is None while unpaid.
    """

    issued_on: date
    paid_on: date | None = None

    def __post_init__(self) -> None:
        if self.paid_on is not None and self.paid_on < self.issued_on:
            raise LawInputError(
                "fee_paid_on",
                f"缴费日期（fee_paid_on）{self.paid_on}早于收费通知日期{self.issued_on}",
            )


@dataclass(frozen=True)
class RepliedOnTheSpot:
    """The office replied on the spot (第三十三条第一款)."""

    on: date


ClockEvent = (
    CorrectionRequested
    | CorrectionReceived
    | Consultation
    | Extension
    | AgencySetDate
    | FeeNotice
    | RepliedOnTheSpot
)


@dataclass(frozen=True)
class ClockPolicy:
    """Periods the 条例 leaves to the office, with this project's defaults.

    * ``correction_period_workdays``: the reasonable time given for a correction
      (第三十条); 《江苏省政府信息公开申请办理答复规范》: "一般不超过15个工作日".
    * ``consultation_workdays``: the time a third party (第三十二条) or another agency
      (第三十四条) has to answer: 15 working days.
    * ``fee_payment_workdays``: the time to pay a fee; the implementing notices of
      国办函〔2020〕109号 give 20 working days from the day after the notice.
    * ``fee_pauses_clock``: whether the payment period stops the reply clock.  Whether
      it does could not be confirmed from the text of 109号 (第六条 onward was not
      available); the default, True, treats the payment period like a consultation.
      Set it to False where the office counts the payment period.
    * ``due_soon_workdays``: how many working days before the due date a reply is
      flagged as due soon.
    """

    correction_period_workdays: int = 15
    fee_payment_workdays: int = 20
    fee_pauses_clock: bool = True
    due_soon_workdays: int = 3
    consultation_workdays: int = 15

    def __post_init__(self) -> None:
        for field in (
            "correction_period_workdays",
            "fee_payment_workdays",
            "consultation_workdays",
        ):
            value = getattr(self, field)
            if not 1 <= value <= 250:
                raise LawInputError(field, f"{field}须在1—250个工作日之间，收到{value}")
        if not 0 <= self.due_soon_workdays <= 60:
            raise LawInputError(
                "due_soon_workdays",
                f"due_soon_workdays须在0—60个工作日之间，收到{self.due_soon_workdays}",
            )
