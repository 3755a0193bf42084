"""The bundled CJK TrueType font, registered with ReportLab once.

ReportLab embeds TrueType fonts as subsets, so a PDF carries only the glyphs it uses. A
character the font has no glyph for (a rare 生僻字 in a name, such as 䶮 or 𠮷) would print
as nothing at all: "司马䶮" came out as "司马" on a visit report. :func:`printable` puts a
visible :data:`MISSING_MARK` in its place, to be written in by hand, and tells the printing
command which characters were missing (:func:`collect_missing`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from keyacct_desktop.paths import FONT_SUBFONT_INDEX, font_path

CJK_FONT = "KeyAcctCJK"
#: Printed for a character the font cannot show.
MISSING_MARK = "□"
_missing: ContextVar[set[str] | None] = ContextVar("keyacct_missing_glyphs", default=None)


@cache
def register_fonts() -> str:
    """Register the bundled font (idempotent) and return its ReportLab name."""
    pdfmetrics.registerFont(TTFont(CJK_FONT, str(font_path()), subfontIndex=FONT_SUBFONT_INDEX))
    pdfmetrics.registerFontFamily(
        CJK_FONT, normal=CJK_FONT, bold=CJK_FONT, italic=CJK_FONT, boldItalic=CJK_FONT
    )
    return CJK_FONT


@cache
def _glyphs() -> dict[int, int]:
    font = pdfmetrics.getFont(register_fonts())
    return font.face.charToGlyph


def printable(value: str) -> str:
    """``value`` with each character the font has no glyph for replaced by
    :data:`MISSING_MARK` (and noted for :func:`collect_missing`)."""
    glyphs = _glyphs()
    if all(ord(c) < 128 or ord(c) in glyphs for c in value):
        return value
    missing = {c for c in value if ord(c) >= 128 and ord(c) not in glyphs and not c.isspace()}
    noted = _missing.get()
    if noted is not None:
        noted.update(missing)
    return "".join(MISSING_MARK if c in missing else c for c in value)


@contextmanager
def collect_missing() -> Iterator[set[str]]:
    """The characters the documents rendered inside the block could not show."""
    found: set[str] = set()
    token = _missing.set(found)
    try:
        yield found
    finally:
        _missing.reset(token)
