"""An import plan in words (zh or en): problems, notes, the column mapping and a summary, for
the preview dialog and ``keyacct import``."""

from __future__ import annotations

from keyacct_desktop.domain.customer_fields import CUSTOMER_SHEET
from keyacct_desktop.services.roster.apply import import_note
from keyacct_desktop.services.roster.plan import ImportPlan, RowProblem


def _where(sheet: str, row: int, english: bool) -> str:
    if english:
        return f"{sheet + ' ' if sheet else ''}row {row}"
    return f"{sheet + '表' if sheet else ''}第 {row} 行"


def column_letter(position: int) -> str:
    """Excel's letter of the column at a 0-based position (0 → A, 26 → AA)."""
    letters = ""
    number = position + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_text(plan: ImportPlan, problem: RowProblem, english: bool = False) -> str:
    """The column a problem is in, as Excel shows it: its letter and the file's header
    (``G 列“年用电量(万kWh)”``); empty for a problem of the row as a whole."""
    column = plan.column_of(problem)
    if column is None:
        return ""
    letter = column_letter(column.position)
    if english:
        return f"column {letter} ({column.header})"
    return f"{letter} 列“{column.header}”"


def report_lines(plan: ImportPlan, language: str = "zh_CN") -> list[str]:
    """Every problem, in the language of the UI, with its sheet, Excel row and column."""
    english = language.startswith("en")
    lines = []
    for p in plan.problems:
        where = _where(p.sheet, p.row, english)
        column = column_text(plan, p, english)
        if column:
            where = f"{where}, {column}" if english else f"{where} {column}"
        lines.append(f"{where} · {p.en if english else p.zh}")
    return lines


def note_lines(plan: ImportPlan, language: str = "zh_CN") -> list[str]:
    english = language.startswith("en")
    return [f"{_where(n.sheet, n.row, english)} · {n.en if english else n.zh}" for n in plan.notes]


def mapping_lines(plan: ImportPlan, language: str = "zh_CN") -> list[str]:
    """Column → field (with the unit converted), then the columns ignored and why."""
    english = language.startswith("en")
    lines = []
    for c in plan.columns:
        sheet = f"[{c.sheet}] " if c.sheet != CUSTOMER_SHEET else ""
        if c.field is None:
            continue
        label = c.label_en if english else c.label_zh
        unit = (
            f" ({c.unit}{', ×' + format(c.factor, 'g') if c.factor != 1 else ''})" if c.unit else ""
        )
        lines.append(f"{sheet}{c.header} → {label}{unit}")
    return lines


def summary_lines(plan: ImportPlan, language: str = "zh_CN") -> list[str]:
    """The preview as text (``keyacct import --dry-run`` prints it; the dialog shows the same)."""
    english = language.startswith("en")
    new, updated, same = plan.counts()
    lines = []
    if english:
        lines.append(
            f"{plan.source}: header in row {plan.header_row}; {len(plan.rows)} data rows, "
            f"{len(plan.valid)} valid, {len(plan.bad_rows & {r.row for r in plan.rows})} with problems"
        )
        lines.append(f"  new customers: {new}, updated: {updated}, unchanged: {same}")
        lines.append("columns:")
    else:
        lines.append(
            f"{plan.source}:表头在第 {plan.header_row} 行;{len(plan.rows)} 行数据,"
            f"{len(plan.valid)} 行有效,{len(plan.bad_rows & {r.row for r in plan.rows})} 行有误"
        )
        lines.append(f"  新建客户 {new} 户,更新 {updated} 户,无变化 {same} 户")
        lines.append("列对应:")
    lines += [f"  {line}" for line in mapping_lines(plan, language)]
    ignored = plan.ignored
    if ignored:
        lines.append("ignored columns:" if english else "忽略的列:")
        for c in ignored:
            sheet = f"[{c.sheet}] " if c.sheet != CUSTOMER_SHEET else ""
            lines.append(f"  {sheet}{c.header} ({c.reason_en if english else c.reason_zh})")
    for names, zh, en in (
        (plan.new_parks, "将新建园区", "parks to create"),
        (plan.new_grids, "将新建网格", "grids to create"),
        (plan.new_managers, "将新建客户经理", "managers to create"),
    ):
        if names:
            lines.append(f"{en}: {', '.join(names)}" if english else f"{zh}:{'、'.join(names)}")
    for zh, en in plan.warnings:
        lines.append(f"note: {en}" if english else f"注意:{zh}")
    if not plan.pool_column:
        lines.append(
            "no pool-status column: the status chosen for the import applies"
            if english
            else "没有入池状态列:按导入时选择的状态,评估意见记为“" + import_note(plan) + "”"
        )
    changed = [r for r in plan.valid if r.existing_id is not None and r.changes]
    if changed:
        lines.append("changes:" if english else "将更新的字段:")
        for row in changed:
            for change in row.changes:
                label = change.label_en if english else change.label_zh
                lines.append(
                    f"  {_where('', row.row, english)} {row.form.account_no} "
                    f"{label}: {change.old} → {change.new}"
                )
    if plan.notes:
        lines.append("notes:" if english else "说明:")
        lines += [f"  {line}" for line in note_lines(plan, language)]
    return lines
