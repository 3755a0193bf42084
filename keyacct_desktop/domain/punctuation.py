"""Chinese punctuation as GB/T 15834 wants it: full-width marks in Chinese text.

Used by everything a customer reads (printed documents, the verification page), so text
typed with half-width ``,;:()`` (templates, user input, code) comes out right.
"""

from __future__ import annotations

import re


def _cjk(char: str) -> bool:
    """A Chinese character or full-width punctuation (CJK symbols, ideographs, full-width forms)."""
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


_FULL = {",": "\uff0c", ";": "\uff1b", ":": "\uff1a", "!": "\uff01", "?": "\uff1f"}


def zh_punct(value: str) -> str:
    """Half-width ``,;:!?()`` in Chinese text as full-width (GB/T 15834).

    A mark is Chinese when a neighbour (across one space) is Chinese; a parenthesis pair when
    the character before it or anything inside it is Chinese. ASCII-only text ("10:00",
    "1,000", "0.5S (class)") is left alone.
    """
    if not any(_cjk(c) for c in value):
        return value
    chars = list(value)
    size = len(chars)

    def neighbour(index: int, step: int) -> str:
        index += step
        if 0 <= index < size and chars[index] == " ":
            index += step
        return chars[index] if 0 <= index < size else ""

    opened: list[int] = []
    pairs: list[tuple[int, int]] = []
    for index, char in enumerate(chars):
        if char == "(":
            opened.append(index)
        elif char == ")" and opened:
            pairs.append((opened.pop(), index))
    for start, end in sorted(pairs, reverse=True):  # inner pairs first, then their parents
        before = neighbour(start, -1)
        inside = chars[start + 1 : end]
        if (before and _cjk(before)) or any(_cjk(c) for c in inside):
            chars[start], chars[end] = "\uff08", "\uff09"
    for index, char in enumerate(chars):
        if char in _FULL:
            before, after = neighbour(index, -1), neighbour(index, 1)
            if (before and _cjk(before)) or (after and _cjk(after)):
                chars[index] = _FULL[char]
    result = "".join(chars)
    # no space is kept beside a full-width mark ("说明 ,下" -> "说明,下")
    return re.sub(r" ?([\uff0c\uff1b\uff1a\uff01\uff1f\uff08\uff09]) ?", r"\1", result)
