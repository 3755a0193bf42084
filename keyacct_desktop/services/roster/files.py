"""Reading roster files: .xlsx (openpyxl), old .xls (xlrd) and .csv in any of the encodings Chinese
offices save, into rows of cells per sheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from keyacct_desktop.domain.customer_fields import CONTACT_SHEET, CUSTOMER_SHEET, SOURCE_SHEET
from keyacct_desktop.domain.errors import UserError

MAX_ROWS = 200_000


def _decode(data: bytes) -> str:
    """UTF-16 (Excel's "Unicode text"), UTF-8 with or without BOM, else GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(b"\x00") > len(sample) // 4:
        even = sample[0::2].count(b"\x00")
        odd = sample[1::2].count(b"\x00")
        return data.decode("utf-16-le" if odd > even else "utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _csv_rows(data: bytes) -> list[list[Any]]:
    text = _decode(data).replace("\x00", "")
    head = text[:8000]  # Excel's "Unicode text" is tab-separated; title rows have neither
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    rows = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        rows.append(list(row))
        if len(rows) > MAX_ROWS:
            break
    return rows


XLS_HELP_ZH = (
    "请用 Excel 或 WPS 打开该文件,选择“文件 → 另存为”,保存类型选“Excel 工作簿(*.xlsx)”,"
    "再导入新保存的 .xlsx 文件"
)


XLS_HELP_EN = (
    "open it in Excel or WPS, choose File → Save As, type 'Excel Workbook (*.xlsx)', "
    "and import the saved .xlsx file"
)


def _xls_sheets(path: Path) -> dict[str, list[list[Any]]]:
    try:
        import xlrd
    except ImportError as error:  # pragma: no cover - xlrd is a dependency
        raise UserError(
            f"无法读取旧版 Excel 文件 {path.name}(.xls):{XLS_HELP_ZH}",
            f"cannot read the old Excel file {path.name} (.xls): {XLS_HELP_EN}",
        ) from error
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as error:  # xlrd raises many kinds for a damaged or disguised file
        raise UserError(
            f"无法读取 .xls 文件 {path.name}:文件已损坏或实为其他格式。{XLS_HELP_ZH}",
            f"cannot read {path.name}: damaged or not a real .xls file; {XLS_HELP_EN}",
        ) from error
    sheets: dict[str, list[list[Any]]] = {}
    try:
        for sheet in book.sheets():
            rows = []
            for index in range(min(sheet.nrows, MAX_ROWS + 1)):
                values: list[Any] = []
                for cell in sheet.row(index):
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        values.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        values.append(None)
                    else:
                        values.append(cell.value)
                rows.append(values)
            sheets[sheet.name] = rows
    finally:
        book.release_resources()
    return sheets


def _xlsx_sheets(path: Path) -> dict[str, list[list[Any]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UserError(
            f"无法读取 Excel 文件 {path.name}:文件已损坏或不是 .xlsx 格式",
            f"cannot read {path.name}: damaged or not an .xlsx workbook ({type(error).__name__})",
        ) from error
    sheets: dict[str, list[list[Any]]] = {}
    try:
        for number, sheet in enumerate(book.worksheets):
            if number and sheet.title not in (CONTACT_SHEET, SOURCE_SHEET):
                continue  # a roster is its first sheet; an export adds contacts and sources
            rows = []
            for values in sheet.iter_rows(min_row=1, values_only=True):
                rows.append(list(values))
                if len(rows) > MAX_ROWS:
                    break
            sheets[sheet.title] = rows
    finally:
        book.close()
    return sheets


def read_sheets(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet the importer reads, by name; the first one holds the customers."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx_sheets(path)
        if suffix == ".xls":
            return _xls_sheets(path)
        if suffix in (".csv", ".txt"):
            return {CUSTOMER_SHEET: _csv_rows(path.read_bytes())}
    except OSError as error:
        raise UserError(f"无法打开文件:{error}", f"cannot open the file: {error}") from error
    if suffix in (".et", ".ods", ".numbers"):
        raise UserError(
            f"不支持的文件类型“{path.suffix}”:请另存为 Excel 工作簿(.xlsx)后再导入",
            f"unsupported file type {path.suffix!r}: save it as an Excel workbook (.xlsx) first",
        )
    raise UserError(
        f"不支持的文件类型“{path.suffix}”:请使用 .xlsx、.xls 或 .csv",
        f"unsupported file type {path.suffix!r}: use .xlsx, .xls or .csv",
    )
