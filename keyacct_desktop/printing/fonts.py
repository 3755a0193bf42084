"""The bundled CJK TrueType font, registered with ReportLab once.

ReportLab embeds TrueType fonts as subsets, so a PDF carries only the glyphs it uses.
"""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from keyacct_desktop.paths import FONT_SUBFONT_INDEX, font_path

CJK_FONT = "KeyAcctCJK"


@cache
def register_fonts() -> str:
    """Register the bundled font (idempotent) and return its ReportLab name."""
    pdfmetrics.registerFont(TTFont(CJK_FONT, str(font_path()), subfontIndex=FONT_SUBFONT_INDEX))
    pdfmetrics.registerFontFamily(
        CJK_FONT, normal=CJK_FONT, bold=CJK_FONT, italic=CJK_FONT, boldItalic=CJK_FONT
    )
    return CJK_FONT
