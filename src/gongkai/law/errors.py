"""The one exception the statutory rules raise for bad input."""

from __future__ import annotations


class LawInputError(ValueError):
    """Input that no statutory rule can accept.

    ``field`` is the name of the offending argument (or event attribute), so a form or
    an API can attach the error to the right input; ``message`` is the Chinese text
    shown to the user and always names that field.
    """

    field: str
    message: str

    def __init__(self, field: str, message: str) -> None:
        if field not in message:
            message = f"{message}（字段：{field}）"
        self.field = field
        self.message = message
        super().__init__(message)
