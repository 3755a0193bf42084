"""Errors that reach the user: each carries a Chinese and an English message."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix or must know. ``str()`` is English, for logs and tests.

    Attributes:
        message_zh: the message shown in the Chinese UI.
        message_en: the message shown in the English UI.
        field: the form field at fault, when there is one.
    """

    def __init__(self, message_zh: str, message_en: str, *, field: str | None = None) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en
        self.field = field

    def message(self, language: str = "zh") -> str:
        return self.message_en if language.startswith("en") else self.message_zh
