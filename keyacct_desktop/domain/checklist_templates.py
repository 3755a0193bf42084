"""One-shot notification templates: one TOML file per business type, validated on load.

Administrators edit the files in ``resources/templates/checklists/``. A file that does not
parse, or breaks the schema, is reported with its file name and line and is left out; the
other templates stay usable, so a typo never stops the app.

Schema::

    business_type = "hv_new"          # a BusinessType code, equal to the file name
    title = "高压新装"
    version = "2026.2"
    [[materials]]  stage = "application" | "design" | "completion";  text = "…"
    [[steps]]      name = "…";  time_limit = "<utility limit key>"   (optional)
    [[rules]]      text = "…"
    [[fees]]       text = "本业务不收取费用" | what is charged and on what basis   (at least one)
    [[terms]]      text = "…{<customer term key>}…"
    [[limits]]     text = "…";  clock = "acceptance" | "step" | "none"
                   key = "<utility limit key>";  working_days = 15;  from = "受理之日"

Two kinds of figures, never mixed up:

* ``[[limits]]`` are the **utility's** time limits (供电企业办理时限), in working days. ``clock``
  says when one starts counting: ``acceptance`` (the plan reply: from the acceptance date),
  ``step`` (when its step starts: the customer's request for it arrives or the previous step
  completes; the manager records the date) or ``none`` (a stated commitment that is not
  counted down, such as the overall total, or "no separate figure: the service commitments
  apply"). A counted limit needs ``key``, ``working_days`` and ``from`` (printed as
  "N 个工作日(自…起)").
* ``[[terms]]`` are rules **the customer** must keep (apply 5 days ahead, suspend at most
  twice a year, temporary supply at most 6 months…). They are printed, never counted down.
  Their figures come from ``limits.customer_terms``; a ``[[limits]]`` entry naming one of those
  keys is refused with its line.

Any text may name a configured figure as ``{key}``, e.g. ``"设计文件审核:{design_review} 个工作日"``;
the number the administrator configured (``limits.working_days`` / ``limits.customer_terms``)
is written in when a checklist is drafted, so the printed text and the tracked deadline never
disagree.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keyacct_desktop.domain.deadlines import GENERIC_KEYS
from keyacct_desktop.domain.enums import BusinessType

STAGES = {"application": "申请受理", "design": "设计施工前", "completion": "竣工验收"}
#: How a utility time limit's clock starts (``none``: stated, not counted down).
CLOCKS = ("acceptance", "step", "none")
STAGE_EN = {
    "application": "At application",
    "design": "Before design and construction",
    "completion": "At completion",
}


@dataclass(frozen=True)
class TemplateItem:
    """A line of a checklist as the template gives it."""

    stage: str  # application / design / completion / process / rules / fees / terms / limits
    kind: str  # material / step / rule / fee / term / limit
    text: str
    limit_key: str | None = None
    working_days: int | None = None
    clock: str | None = None  # limits only: "acceptance" / "step"; None = not counted down
    starts_from: str | None = None  # limits only: "受理之日" (printed "自…起")


@dataclass(frozen=True)
class ChecklistTemplate:
    business_type: BusinessType
    title: str
    version: str
    items: tuple[TemplateItem, ...]
    path: Path


@dataclass(frozen=True)
class TemplateProblem:
    """Why a template file could not be used: file, line and what is wrong (zh and en)."""

    path: Path
    line: int | None
    message_zh: str
    message_en: str

    def __str__(self) -> str:
        where = f"{self.path.name}:{self.line}" if self.line else self.path.name
        return f"{where}: {self.message_en}"

    def describe(self, language: str = "zh") -> str:
        where = f"{self.path.name} 第 {self.line} 行" if self.line else self.path.name
        if language.startswith("en"):
            where = f"{self.path.name}, line {self.line}" if self.line else self.path.name
            return f"{where}: {self.message_en}"
        return f"{where}:{self.message_zh}"


class TemplateError(ValueError):
    def __init__(self, line: int | None, zh: str, en: str) -> None:
        super().__init__(en)
        self.line, self.zh, self.en = line, zh, en


def _line_of(source: str, table: str, index: int, key: str | None = None) -> int | None:
    """Best-effort line of the ``index``-th ``[[table]]`` (and its ``key``) in ``source``."""
    lines = source.splitlines()
    seen = -1
    for number, line in enumerate(lines, start=1):
        if line.split("#", 1)[0].strip() == f"[[{table}]]":  # a header may carry a comment
            seen += 1
            if seen == index:
                if key is None:
                    return number
                for offset, following in enumerate(lines[number:], start=number + 1):
                    if following.strip().startswith("[["):
                        break
                    if re.match(rf"\s*{re.escape(key)}\s*=", following):
                        return offset
                return number
    return None


def _top_line(source: str, key: str) -> int | None:
    for number, line in enumerate(source.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


#: ``{limit_key}`` in a template text: replaced by the configured number of working days.
PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]*)\}")
#: Text-only placeholders filled per case: ``{supply_case}`` prints 高压单电源 / 低压 / ….
TEXT_FIGURES = frozenset({"supply_case"})


def fill_limits(text: str, working_days: dict[str, Any]) -> str:
    """``text`` with every ``{limit key}`` replaced by its configured working days."""
    return PLACEHOLDER.sub(lambda match: str(working_days[match.group(1)]), text)


def _text(
    entry: dict[str, Any],
    key: str,
    source: str,
    table: str,
    index: int,
    known_limits: set[str] | None = None,
) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        line = _line_of(source, table, index, key)
        raise TemplateError(
            line,
            f"[[{table}]] 第 {index + 1} 项缺少文字“{key}”或为空",
            f"[[{table}]] entry {index + 1}: {key!r} is missing or empty",
        )
    unknown = [name for name in PLACEHOLDER.findall(value) if name not in (known_limits or ())]
    if unknown:
        raise TemplateError(
            _line_of(source, table, index, key),
            f"[[{table}]] 第 {index + 1} 项引用了未定义的时限“{{{unknown[0]}}}”",
            f"[[{table}]] entry {index + 1}: unknown limit {{{unknown[0]}}} in the text",
        )
    return value.strip()


def _tables(data: dict[str, Any], table: str, source: str) -> list[dict[str, Any]]:
    """The ``[[table]]`` entries; anything else under that name is a mistake with a line."""
    value = data.get(table, [])
    if isinstance(value, list):
        wrong = [number for number, entry in enumerate(value, 1) if not isinstance(entry, dict)]
        if not wrong:
            return value
        raise TemplateError(
            _top_line(source, table),
            f"“{table}”第 {wrong[0]} 项应写成 [[{table}]] 表格",
            f"{table!r} entry {wrong[0]} must be a [[{table}]] table",
        )
    raise TemplateError(
        _top_line(source, table) or _line_of(source, table, 0),
        f"“{table}”应写成一组 [[{table}]] 表格",
        f"{table!r} must be written as [[{table}]] tables",
    )


def parse_template(
    path: Path, known_limits: set[str], customer_terms: set[str] | frozenset[str] = frozenset()
) -> ChecklistTemplate:
    """Parse and validate one file; raises :class:`TemplateError` with the line at fault.

    ``known_limits`` are the utility's time-limit keys, ``customer_terms`` the keys of the
    figures told to the customer; texts may name either as ``{key}``.
    """
    known_limits = set(known_limits) | GENERIC_KEYS  # plan_reply etc.: the case's figure
    figures = known_limits | set(customer_terms) | TEXT_FIGURES
    source = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise TemplateError(
            int(match.group(1)) if match else None,
            f"TOML 语法错误:{error}",
            f"TOML syntax error: {error}",
        ) from error
    code = data.get("business_type")
    try:
        business_type = BusinessType(str(code))
    except (ValueError, TypeError):
        raise TemplateError(
            _top_line(source, "business_type"),
            f"未知的业务类型“{code}”",
            f"unknown business_type {code!r}",
        ) from None
    if business_type.value != path.stem:
        raise TemplateError(
            _top_line(source, "business_type"),
            f"业务类型“{code}”与文件名“{path.stem}”不一致",
            f"business_type {code!r} does not match the file name {path.stem!r}",
        )
    items: list[TemplateItem] = []
    for index, entry in enumerate(_tables(data, "materials", source)):
        stage = entry.get("stage")
        if not isinstance(stage, str) or stage not in STAGES:
            raise TemplateError(
                _line_of(source, "materials", index, "stage"),
                f"材料第 {index + 1} 项的阶段“{stage}”无效(应为 {'/'.join(STAGES)})",
                f"materials entry {index + 1}: stage {stage!r} is not one of {', '.join(STAGES)}",
            )
        items.append(
            TemplateItem(
                stage, "material", _text(entry, "text", source, "materials", index, figures)
            )
        )
    for index, entry in enumerate(_tables(data, "steps", source)):
        limit = entry.get("time_limit")
        if limit is not None and (not isinstance(limit, str) or limit not in known_limits):
            raise TemplateError(
                _line_of(source, "steps", index, "time_limit"),
                f"步骤第 {index + 1} 项引用了未定义的时限“{limit}”",
                f"steps entry {index + 1}: unknown time_limit {limit!r}",
            )
        items.append(
            TemplateItem(
                "process", "step", _text(entry, "name", source, "steps", index, figures), limit
            )
        )
    for index, entry in enumerate(_tables(data, "rules", source)):
        items.append(
            TemplateItem("rules", "rule", _text(entry, "text", source, "rules", index, figures))
        )
    for index, entry in enumerate(_tables(data, "fees", source)):
        items.append(
            TemplateItem("fees", "fee", _text(entry, "text", source, "fees", index, figures))
        )
    for index, entry in enumerate(_tables(data, "terms", source)):
        text = _text(entry, "text", source, "terms", index, figures)
        if not any(name in customer_terms for name in PLACEHOLDER.findall(text)):
            raise TemplateError(
                _line_of(source, "terms", index, "text"),
                f"客户须知期限第 {index + 1} 项应引用一个可配置的数值(如 {{reduction_notice_days}});"
                "没有数值的规定请写在 [[rules]] 中",
                f"terms entry {index + 1} must name a configured figure (e.g. "
                "{reduction_notice_days}); write a rule without a figure under [[rules]]",
            )
        items.append(TemplateItem("terms", "term", text))
    for index, entry in enumerate(_tables(data, "limits", source)):
        items.append(_limit(entry, index, source, set(known_limits), set(customer_terms)))
    if not any(item.kind == "material" for item in items):
        raise TemplateError(None, "模板没有列出任何材料", "the template lists no materials")
    title = data.get("title") or business_type.zh
    version = data.get("version", "")
    for key, value in (("title", title), ("version", version)):
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise TemplateError(
                _top_line(source, key),
                f"“{key}”应为文字(用引号括起来)",
                f"{key!r} must be text (in quotes)",
            )
    if not any(item.kind == "fee" for item in items):
        raise TemplateError(
            None,
            "模板没有费用说明:请用 [[fees]] 写明“本业务不收取费用”或收费项目及依据",
            "the template has no fee statement: add [[fees]] (no charge, or what and why)",
        )
    return ChecklistTemplate(business_type, str(title), str(version), tuple(items), path)


def _limit(
    entry: dict[str, Any], index: int, source: str, known: set[str], customer_terms: set[str]
) -> TemplateItem:
    """One ``[[limits]]`` entry: a utility time limit, counted from its clock's start or stated."""

    def fail(key: str, zh: str, en: str) -> TemplateError:
        return TemplateError(
            _line_of(source, "limits", index, key),
            f"时限第 {index + 1} 项{zh}",
            f"limits entry {index + 1}: {en}",
        )

    key = entry.get("key")
    if isinstance(key, str) and key in customer_terms:
        raise fail(
            "key",
            f"的“{key}”是客户须遵守的期限,不是供电企业的办理时限:请写在 [[terms]] 中",
            f"{key!r} is a term the customer keeps, not a utility time limit: "
            "write it under [[terms]]",
        )
    if key is not None and (not isinstance(key, str) or key not in known):
        raise fail("key", f"引用了未定义的时限“{key}”", f"unknown key {key!r}")
    clock = entry.get("clock")
    if clock not in CLOCKS:
        raise fail(
            "clock",
            f"的起算方式 clock“{clock}”无效(应为 {'/'.join(CLOCKS)})",
            f"clock {clock!r} is not one of {', '.join(CLOCKS)}",
        )
    days = entry.get("working_days")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days < 0):
        raise fail(
            "working_days",
            f"的工作日数“{days}”应为非负整数",
            f"working_days {days!r} must be a whole number >= 0",
        )
    starts_from = entry.get("from")
    if clock != "none":
        if key is None or days is None:
            raise fail(
                "clock",
                "需倒计时(clock 为 acceptance 或 step),须同时写明 key 和 working_days",
                "a counted limit (clock acceptance or step) needs key and working_days",
            )
        if not isinstance(starts_from, str) or not starts_from.strip():
            raise fail(
                "clock",
                '需倒计时,须用 from 写明从何时起算(如 from = "受理之日")',
                'a counted limit needs from = "…", the day its clock starts',
            )
    elif starts_from is not None and (not isinstance(starts_from, str) or not starts_from.strip()):
        raise fail("from", "的 from 应为文字", "from must be text")
    text = _text(entry, "text", source, "limits", index, known | TEXT_FIGURES)
    return TemplateItem(
        "limits",
        "limit",
        text,
        key,
        days,
        None if clock == "none" else clock,
        starts_from.strip() if isinstance(starts_from, str) else None,
    )


@dataclass(frozen=True)
class TemplateLibrary:
    """All usable templates by business type, and the problems of the unusable ones."""

    templates: dict[BusinessType, ChecklistTemplate]
    problems: tuple[TemplateProblem, ...]

    def get(self, business_type: BusinessType | str) -> ChecklistTemplate:
        key = BusinessType(business_type)
        if key not in self.templates:
            from keyacct_desktop.domain.errors import UserError

            reason = "; ".join(str(p) for p in self.problems if p.path.stem == key.value)
            raise UserError(
                f"“{key.zh}”的告知书模板不可用" + (f":{reason}" if reason else "(文件缺失)"),
                f"the checklist template for {key.en} is unavailable"
                + (f": {reason}" if reason else " (file missing)"),
            )
        return self.templates[key]


def load_templates(
    directory: Path | Sequence[Path],
    known_limits: set[str],
    customer_terms: set[str] | frozenset[str] = frozenset(),
) -> TemplateLibrary:
    """Load every ``*.toml`` of the folders in order; never raises for a broken file.

    A later folder overrides an earlier one per business type: the administrator's folder in
    the data directory overrides the bundled templates. A broken override is reported (file and
    line) and the bundled template stays in use, so a typo never takes a business type away.
    """
    directories = [directory] if isinstance(directory, Path) else list(directory)
    templates: dict[BusinessType, ChecklistTemplate] = {}
    problems: list[TemplateProblem] = []
    for folder in directories:
        for path in sorted(folder.glob("*.toml")):
            try:
                template = parse_template(path, known_limits, customer_terms)
            except TemplateError as error:
                problems.append(TemplateProblem(path, error.line, error.zh, error.en))
            except (OSError, UnicodeDecodeError) as error:
                problems.append(
                    TemplateProblem(path, None, f"无法读取:{error}", f"cannot be read: {error}")
                )
            else:
                templates[template.business_type] = template
    return TemplateLibrary(templates, tuple(problems))
