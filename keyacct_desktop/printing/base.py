"""The shared document builder every printed KeyAcct document is made with.

A :class:`PdfDocument` collects content (headings, paragraphs, label/value grids, tables,
lists, signature lines) and renders an A4 PDF with:

* the letterhead (company, department, address, hotline, optional logo) on every page;
* the document title, its number and a QR code carrying the document id;
* "第 x 页 共 y 页" page numbers (a two-pass canvas knows the page count);
* the bundled CJK TrueType font, embedded as a subset; CJK line breaking;
* tables that split across pages with their header row repeated.

Input is plain data; nothing here touches the database or Qt::

    doc = PdfDocument("走访报告", number="ZF-2026-0001", doc_id=str(visit_id),
                      letterhead=Letterhead.from_settings(ctx.settings))
    doc.heading("客户信息")
    doc.fields([("客户名称", name), ("户号", account_no)])
    doc.table(["序号", "事项"], [["1", "……"]])
    doc.signatures(["客户签字", "客户经理签字"])
    pdf_bytes = doc.render(path)
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import qrcode
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from keyacct_desktop.domain.punctuation import zh_punct
from keyacct_desktop.printing.fonts import printable, register_fonts

log = logging.getLogger(__name__)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
HEADER_HEIGHT = 30 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
BRAND = colors.HexColor("#1f5fa8")
#: How much of the content before the signatures is kept on their page (at most).
SIGNED_ROOM = 70 * mm
#: Room a heading needs below it (itself, a table header and two rows), else a new page.
HEADING_ROOM = 32 * mm


@dataclass(frozen=True)
class Letterhead:
    """Who issues the document; configurable in settings (``letterhead.*``)."""

    company: str = "国网示范供电公司"
    department: str = "大客户服务中心"
    address: str = ""
    hotline: str = "95598"
    logo_path: str = ""
    verify_base: str = ""  # public address of the server's /verify page ("" = number only)

    @classmethod
    def from_settings(cls, settings: Any) -> Letterhead:
        return cls(
            verify_base=str(settings.get("documents.verify_base_url")),
            company=str(settings.get("letterhead.company")),
            department=str(settings.get("letterhead.department")),
            address=str(settings.get("letterhead.address")),
            hotline=str(settings.get("letterhead.hotline")),
            logo_path=str(settings.get("letterhead.logo_path")),
        )


def text(value: Any) -> str:
    """Escape user text for a ReportLab paragraph; keep line breaks; Chinese punctuation."""
    if value is None:
        return ""
    return escape(printable(zh_punct(str(value)))).replace("\n", "<br/>")


def _readable_logo(path: str) -> ImageReader | None:
    """The letterhead logo, or ``None`` when it is missing or not a readable image.

    The settings dialog refuses a damaged image when it is chosen, but the file can be moved
    or damaged later: the document then prints without the logo instead of failing.
    """
    if not path:
        return None
    try:
        reader = ImageReader(str(Path(path)))
        reader.getSize()
    except Exception:  # PIL and ReportLab raise many kinds of error for a bad image
        log.warning("letterhead logo %s cannot be read; printing without it", path)
        return None
    return reader


class _Styles:
    def __init__(self, font: str) -> None:
        self.title = ParagraphStyle(
            "title",
            fontName=font,
            fontSize=18,
            leading=24,
            alignment=TA_CENTER,
            spaceAfter=4 * mm,
            wordWrap="CJK",
        )
        self.heading = ParagraphStyle(
            "heading",
            fontName=font,
            fontSize=12.5,
            leading=17,
            textColor=BRAND,
            spaceBefore=4 * mm,
            spaceAfter=2 * mm,
            wordWrap="CJK",
        )
        self.body = ParagraphStyle(
            "body", fontName=font, fontSize=10.5, leading=15.5, wordWrap="CJK"
        )
        self.small = ParagraphStyle(
            "small", fontName=font, fontSize=9, leading=12.5, wordWrap="CJK"
        )
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
        self.cell_head = ParagraphStyle("cellhead", parent=self.cell, textColor=colors.white)
        self.label = ParagraphStyle("label", parent=self.cell, textColor=colors.HexColor("#444444"))


SECTION_ATTRIBUTE = "_keyacct_section"


class _SectionStart(Flowable):
    """Where a section (one document of a batch) begins: its pages carry its own number,
    QR code and page count, and the PDF gets a bookmark for it."""

    def __init__(self, index: int, bookmark: str) -> None:
        super().__init__()
        self.index = index
        self.bookmark = bookmark

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        setattr(self.canv, SECTION_ATTRIBUTE, self.index)
        key = f"section-{self.index}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(self.bookmark, key, level=0)


def _numbered_canvas_class(decorate: Any) -> type[Canvas]:
    """A canvas that holds every page until the end, so each page can say 共 y 页."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Start every page in the embedded font, so no base-14 font is ever referenced.
            kwargs["initialFontName"] = register_fonts()
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            # Pages are numbered within their section (one customer's notice of a batch): a
            # notice says "第 1 页 共 1 页", not the batch's count.
            sections = [state.get(SECTION_ATTRIBUTE) for state in self._saved_pages]
            totals: dict[Any, int] = {}
            for section in sections:
                totals[section] = totals.get(section, 0) + 1
            seen: dict[Any, int] = {}
            for state, section in zip(self._saved_pages, sections, strict=True):
                self.__dict__.update(state)
                seen[section] = seen.get(section, 0) + 1
                decorate(self, seen[section], totals[section])
                super().showPage()
            super().save()

    return NumberedCanvas


class PdfDocument:
    """An A4 document under construction. See the module docstring for an example."""

    def __init__(
        self,
        title: str,
        *,
        number: str | None = None,
        doc_id: str | None = None,
        letterhead: Letterhead | None = None,
        issued_on: date | None = None,
        watermark: str | None = None,
        verification: str | None = None,
    ) -> None:
        self.font = register_fonts()
        self.styles = _Styles(self.font)
        self.title = title
        self.number = number
        self.doc_id = doc_id
        self.letterhead = letterhead or Letterhead()
        self.issued_on = issued_on
        self.watermark = watermark
        self.verification = verification  # the code printed beside the number (and in the QR)
        self.story: list[Flowable] = [Paragraph(text(title), self.styles.title)]
        self._qr: ImageReader | None = None
        self._tables: dict[int, tuple[list[list[Any]], list[float]]] = {}
        # (number, QR payload, verification code) of each document of a batch
        self._sections: list[tuple[str | None, str | None, str | None]] = []
        self._qr_cache: dict[str, ImageReader] = {}
        self._logo = _readable_logo(self.letterhead.logo_path)

    # -- content
    def heading(self, value: str) -> None:
        """A section heading, never alone at the foot of a page.

        A conditional page break rather than ``keepWithNext``: keeping a heading with a table
        longer than the rest of the page would push the whole table, leaving a blank half page.
        """
        self.story.append(CondPageBreak(HEADING_ROOM))
        self.story.append(Paragraph(text(value), self.styles.heading))

    def title_line(self, value: str) -> None:
        """The document title again, e.g. at the top of each notice of a batch."""
        self.story.append(Paragraph(text(value), self.styles.title))

    def paragraph(self, value: str, *, small: bool = False, markup: bool = False) -> None:
        style = self.styles.small if small else self.styles.body
        self.story.append(Paragraph(value if markup else text(value), style))

    def spacer(self, height_mm: float = 3) -> None:
        self.story.append(Spacer(1, height_mm * mm))

    def page_break(self) -> None:
        self.story.append(PageBreak())

    def bullets(self, items: Sequence[str]) -> None:
        for number, item in enumerate(items, start=1):
            self.story.append(Paragraph(f"{number}. {text(item)}", self.styles.body))

    def fields(self, pairs: Sequence[tuple[str, Any]], columns: int = 2) -> None:
        """A grid of label/value pairs, ``columns`` pairs per row."""
        rows: list[list[Any]] = []
        for start in range(0, len(pairs), columns):
            row: list[Any] = []
            for label, value in pairs[start : start + columns]:
                row += [
                    Paragraph(text(label), self.styles.label),
                    Paragraph(text(value), self.styles.cell),
                ]
            row += [""] * (2 * columns - len(row))
            rows.append(row)
        if not rows:
            return
        label_width = 26 * mm
        value_width = CONTENT_WIDTH / columns - label_width
        table = LongTable(rows, colWidths=[label_width, value_width] * columns)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa7b8")),
            ("FONTNAME", (0, 0), (-1, -1), self.font),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        for column in range(0, 2 * columns, 2):
            style.append(("BACKGROUND", (column, 0), (column, -1), colors.HexColor("#eef3f9")))
        table.setStyle(TableStyle(style))
        self.story.append(table)

    def _body_table(self, data: list[list[Any]], widths: list[float], header: bool) -> LongTable:
        table = LongTable(data, colWidths=widths, repeatRows=1 if header else 0)
        first = 1 if header else 0
        style: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), self.font),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa7b8")),
            ("ROWBACKGROUNDS", (0, first), (-1, -1), [colors.white, colors.HexColor("#f6f8fb")]),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if header:
            style.insert(0, ("BACKGROUND", (0, 0), (-1, 0), BRAND))
        table.setStyle(TableStyle(style))
        return table

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        col_widths: Sequence[float] | None = None,
    ) -> None:
        """A table that splits across pages, repeating its header row. Widths in mm."""
        data = [[Paragraph(text(h), self.styles.cell_head) for h in headers]]
        data += [[Paragraph(text(cell), self.styles.cell) for cell in row] for row in rows]
        widths = (
            [w * mm for w in col_widths]
            if col_widths
            else [CONTENT_WIDTH / len(headers)] * len(headers)
        )
        table = self._body_table(data, widths, header=True)
        self._tables[id(table)] = (data, widths)
        self.story.append(table)

    def image(self, path_or_bytes: Path | bytes, width_mm: float, height_mm: float) -> None:
        source: Any = (
            io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
        )
        picture = Image(source, width=width_mm * mm, height=height_mm * mm, kind="proportional")
        picture.hAlign = "LEFT"
        self.story.append(picture)

    def _take_tail(self) -> list[Flowable]:
        """The end of the content, to keep on one page with the signatures it precedes.

        Paragraphs and short tables are taken back to ``SIGNED_ROOM`` (stopping after a
        heading: it goes with its section); of a long table only its last rows are taken,
        split off as a table of their own, so a signature never stands alone on a page.
        """
        taken: list[Flowable] = []
        height = 0.0
        while len(self.story) > 1:
            last = self.story[-1]
            if isinstance(last, CondPageBreak | PageBreak):
                break
            _w, needed = last.wrap(CONTENT_WIDTH, PAGE_HEIGHT)
            if height + needed > SIGNED_ROOM:
                if id(last) in self._tables:
                    rest = self._split_table(last)
                    if rest is not None:
                        taken.insert(0, rest)
                elif taken:
                    taken[:0] = self._section_lead()
                break
            taken.insert(0, self.story.pop())
            height += needed
            if isinstance(last, Paragraph) and last.style.name == "heading":
                break
        return taken

    def _section_lead(self) -> list[Flowable]:
        """A heading and the line or two under it, when what follows them was taken: they go
        along rather than stand alone at the foot of a page (the 告知书's 六、供电企业办理时限
        and its note stayed on page 2, its table moved to page 3)."""
        for index in range(len(self.story) - 1, max(len(self.story) - 4, 0), -1):
            item = self.story[index]
            if not isinstance(item, Paragraph):
                return []
            if item.style.name == "heading":
                lead = self.story[index:]
                del self.story[index:]
                return lead
        return []

    def _split_table(self, table: Flowable) -> Flowable | None:
        """Split the last two rows off a long table built by :meth:`table` (None: too short)."""
        data, widths = self._tables[id(table)]
        if len(data) < 4:
            return None
        self.story[-1] = self._body_table(data[:-2], widths, header=True)
        return self._body_table(data[-2:], widths, header=False)

    def signatures(
        self,
        labels: Sequence[str],
        images: dict[str, bytes] | None = None,
        *,
        names: dict[str, str] | None = None,
        dates: dict[str, date] | None = None,
        statement: str | None = None,
    ) -> None:
        """Signature lines ("客户签字:______  日期:______"), optionally with signature images,
        printed names and dates, kept on one page with the content they sign (and with
        ``statement``, e.g. "以上内容已知悉")."""
        images = images or {}
        names = names or {}
        dates = dates or {}
        cells: list[Any] = []
        for label in labels:
            parts: list[Flowable] = [Paragraph(text(f"{label}:"), self.styles.body)]
            if label in images:
                picture = Image(
                    io.BytesIO(images[label]), width=45 * mm, height=18 * mm, kind="proportional"
                )
                picture.hAlign = "LEFT"
                parts.append(picture)
            else:
                parts.append(Spacer(1, 12 * mm))
            parts.append(
                Paragraph(text(names.get(label)) or "______________________", self.styles.body)
            )
            when = dates.get(label)
            parts.append(
                Paragraph(
                    f"日期：{when:%Y年%m月%d日}" if when else "日期：______年____月____日",
                    self.styles.small,
                )
            )
            cells.append(parts)
        table = LongTable([cells], colWidths=[CONTENT_WIDTH / len(labels)] * len(labels))
        table.setStyle(
            TableStyle(
                [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), self.font)]
            )
        )
        block: list[Flowable] = self._take_tail()
        if statement:
            block.append(Paragraph(text(statement), self.styles.body))
        block += [Spacer(1, 6 * mm), table]
        self.story.append(KeepTogether(block))

    def section(
        self,
        number: str | None,
        doc_id: str | None,
        bookmark: str,
        verification: str | None = None,
    ) -> None:
        """Start a document of its own within this PDF (e.g. one customer's notice): from here
        on, pages show ``number``, a QR code of ``doc_id`` and page numbers of their own."""
        self._sections.append((number, doc_id, verification))
        mark = _SectionStart(len(self._sections) - 1, bookmark)
        if len(self.story) == 1:  # only the title so far: the section starts on page 1
            self.story.insert(0, mark)
        else:
            self.story.append(mark)

    # -- rendering
    def _qr_image(self, payload: str | None = None) -> ImageReader:
        """The document id as a QR code (a bitmap: vector QR widgets pull in a base-14 font)."""
        if payload is not None and payload != self.doc_id:
            if payload not in self._qr_cache:
                code = qrcode.QRCode(
                    border=1, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=0
                )
                code.add_data(payload)
                code.make(fit=True)
                self._qr_cache[payload] = ImageReader(code.make_image().get_image())
            return self._qr_cache[payload]
        if self._qr is None:
            # One fixed mask: every mask is valid and reads alike (tests decode it with
            # zxing-cpp); choosing the "best" one scores all eight in pure Python, ~5 ms a
            # document, a sixth of a visit report's render.
            code = qrcode.QRCode(
                border=1, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=0
            )
            code.add_data(self.doc_id or "")
            code.make(fit=True)
            # The PIL image itself (a PNG written and read back only to be re-encoded: ~2 ms).
            self._qr = ImageReader(code.make_image().get_image())
        return self._qr

    def _decorate(self, canvas: Canvas, page: int, total: int) -> None:
        section = getattr(canvas, SECTION_ATTRIBUTE, None)
        number, doc_id, code = (
            self._sections[section]
            if section is not None
            else (self.number, self.doc_id, self.verification)
        )
        letterhead = self.letterhead
        canvas.saveState()
        top = PAGE_HEIGHT - MARGIN
        x = MARGIN
        if self._logo is not None:
            canvas.drawImage(
                self._logo,
                x,
                top - 14 * mm,
                width=14 * mm,
                height=14 * mm,
                preserveAspectRatio=True,
                mask="auto",
            )
            x += 17 * mm
        canvas.setFillColor(BRAND)
        canvas.setFont(self.font, 14)
        canvas.drawString(x, top - 6 * mm, printable(letterhead.company))
        canvas.setFillColor(colors.black)
        canvas.setFont(self.font, 9.5)
        canvas.drawString(x, top - 11.5 * mm, printable(letterhead.department))
        contact = "  ".join(
            p
            for p in (
                letterhead.address,
                f"服务热线 {letterhead.hotline}" if letterhead.hotline else "",
            )
            if p
        )
        canvas.setFont(self.font, 8)
        canvas.drawString(x, top - 16 * mm, printable(zh_punct(contact)))
        if doc_id:
            size = 20 * mm
            canvas.drawImage(
                self._qr_image(doc_id),
                PAGE_WIDTH - MARGIN - size,
                top - size + 2 * mm,
                width=size,
                height=size,
            )
        if number:
            canvas.setFont(self.font, 8.5)
            canvas.drawRightString(PAGE_WIDTH - MARGIN - 22 * mm, top - 6 * mm, f"编号：{number}")
        if self.issued_on:
            canvas.setFont(self.font, 8.5)
            canvas.drawRightString(
                PAGE_WIDTH - MARGIN - 22 * mm, top - 11 * mm, f"日期：{self.issued_on:%Y年%m月%d日}"
            )
        if code:
            canvas.setFont(self.font, 8.5)
            canvas.drawRightString(PAGE_WIDTH - MARGIN - 22 * mm, top - 16 * mm, f"校验码：{code}")
        canvas.setStrokeColor(BRAND)
        canvas.setLineWidth(1.2)
        canvas.line(MARGIN, top - 20 * mm, PAGE_WIDTH - MARGIN, top - 20 * mm)
        canvas.setFont(self.font, 8.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawCentredString(PAGE_WIDTH / 2, MARGIN / 2, f"第 {page} 页 共 {total} 页")
        canvas.drawString(MARGIN, MARGIN / 2, printable(zh_punct(self.title)))
        if number:
            canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN / 2, number)
        if self.watermark:
            canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.18))
            canvas.setFont(self.font, 60)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, 0, self.watermark)
        canvas.restoreState()

    def render(self, target: Path | None = None) -> bytes:
        """Build the PDF; write it to ``target`` when given; return its bytes."""
        buffer = io.BytesIO()
        template = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + HEADER_HEIGHT - 8 * mm,
            bottomMargin=MARGIN,
            title=self.title,
            author=self.letterhead.company,
            subject=self.number or "",
            creator="KeyAcct Desktop",
        )
        template.build(list(self.story), canvasmaker=_numbered_canvas_class(self._decorate))
        data = buffer.getvalue()
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return data
