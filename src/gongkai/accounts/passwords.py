from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

from gongkai.accounts.models import User


def _char_class(ch: str) -> str:
    if ch.isdigit():
        return "digit"
    if ch.isascii() and ch.isalpha():
        return "upper" if ch.isupper() else "lower"
    if unicodedata.category(ch).startswith("L"):
        return "letter"
    return "symbol"


class CharacterClassValidator:
    """A password must mix at least two kinds of character (not all digits, …)."""

    def validate(self, password: str, user: User | None = None) -> None:
        if len({_char_class(ch) for ch in password}) < 2:
            raise ValidationError(
                "密码不能只由一类字符组成，请混合使用字母、数字或符号。",
                code="password_one_class",
            )

    def get_help_text(self) -> str:
        return "密码须混合至少两类字符（大写字母、小写字母、数字、符号）。"
