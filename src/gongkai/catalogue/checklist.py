"""The confidentiality review checklist (保密审查, 《政府信息公开条例》第十四条至第十七条).

Each question has the answer that allows publication; an item is approved only
when every answer is that one ("先审查、后公开")."""

from __future__ import annotations

from typing import Final

QUESTIONS: Final[tuple[tuple[str, str, bool], ...]] = (
    ("state_secret", "是否涉及国家秘密（第十四条）", False),
    ("prohibited", "是否属于法律、行政法规禁止公开的信息（第十四条）", False),
    (
        "three_safeties",
        "公开后是否可能危及国家安全、公共安全、经济安全、社会稳定（第十四条）",
        False,
    ),
    ("privacy", "是否含有未经处理的个人隐私或个人信息（第十五条）", False),
    ("trade_secret", "是否涉及商业秘密等第三方合法权益（第十五条）", False),
    ("internal", "是否属于内部事务信息或过程性信息（第十六条）", False),
    ("approved", "需经批准公开的，是否已履行批准程序（第十一条）", True),
)


def failing_answers(answers: dict[str, bool]) -> list[str]:
    """The questions whose answer does not allow publication (or is missing)."""
    return [text for key, text, ok in QUESTIONS if answers.get(key) is not ok]
