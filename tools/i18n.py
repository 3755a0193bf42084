"""Translation workflow: extract, list what is untranslated, fill, compile, check.

    python tools/i18n.py update [AREA…]  # pyside6-lupdate areas into resources/i18n/<area>_zh_CN.ts
    python tools/i18n.py todo        # JSON of untranslated source strings per area
    python tools/i18n.py fill F.json # apply {"English source": "中文译文"} to unfinished entries
    python tools/i18n.py release [AREA…] # pyside6-lrelease .ts files into their .qm
    python tools/i18n.py check       # exit 1 if anything is untranslated, stale or uncompiled

One ``.ts`` per area keeps parallel work on different screens from colliding.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGUAGE = "zh_CN"

#: area -> source globs (relative to the project root). Each area gets its own .ts file.
AREAS: dict[str, list[str]] = {
    "core": [
        "keyacct_desktop/gui/*.py",
        "keyacct_desktop/gui/widgets/*.py",
        "keyacct_desktop/gui/pages/__init__.py",
    ],
    "desktop": [
        "keyacct_desktop/gui/desktop/*.py",
        "keyacct_desktop/gui/pages/home.py",
        "keyacct_desktop/gui/pages/dashboard.py",
    ],
    "customers": ["keyacct_desktop/gui/pages/customers.py"],
    "visits": [
        "keyacct_desktop/gui/pages/visits.py",
        "keyacct_desktop/gui/pages/referrals.py",
        "keyacct_desktop/gui/visits/*.py",
    ],
    "documents": [
        "keyacct_desktop/gui/pages/checklists.py",
        "keyacct_desktop/gui/pages/plans.py",
        "keyacct_desktop/gui/pages/outages.py",
        "keyacct_desktop/gui/documents/*.py",
    ],
    "sync": ["keyacct_desktop/gui/pages/sync*.py", "keyacct_desktop/gui/sync/*.py"],
    "security": ["keyacct_desktop/gui/security/*.py"],
    "economics": ["keyacct_desktop/gui/economics/*.py"],
    # the declared settings' labels, help and tabs (QT_TRANSLATE_NOOP("Settings", …); no Qt
    # there): the settings dialog shows them, settings.docs prints both languages from the .ts
    "settings": ["keyacct_desktop/settings/catalog.py", "keyacct_desktop/settings/options.py"],
}


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    raise SystemExit(f"{name} not found; install PySide6")


def ts_path(area: str) -> Path:
    return I18N / f"{area}_{LANGUAGE}.ts"


def area_sources(area: str) -> list[str]:
    files: set[str] = set()
    for pattern in AREAS[area]:
        files.update(str(p.relative_to(ROOT)) for p in ROOT.glob(pattern) if p.is_file())
    return sorted(files)


def update(target_dir: Path = I18N, areas: list[str] | None = None) -> list[Path]:
    """Run lupdate for each area that has sources; returns the .ts files written."""
    target_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for area in areas or list(AREAS):
        sources = area_sources(area)
        if not sources:
            continue
        target = target_dir / ts_path(area).name
        if target_dir != I18N and ts_path(area).exists():
            shutil.copy(ts_path(area), target)
        subprocess.run(
            [
                _tool("pyside6-lupdate"),
                *sources,
                "-no-obsolete",
                "-target-language",
                LANGUAGE,
                "-ts",
                str(target),
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        written.append(target)
    return written


def _messages(ts: Path):
    tree = ET.parse(ts)
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            yield tree, name, message


def unfinished(ts: Path) -> list[str]:
    result = []
    for _tree, context, message in _messages(ts):
        translation = message.find("translation")
        forms = translation.findall("numerusform") if translation is not None else []
        text = forms[0].text if forms else (translation.text if translation is not None else None)
        if (
            translation is None
            or translation.get("type") == "unfinished"
            or not (text or "").strip()
        ):
            if translation is not None and translation.get("type") in ("vanished", "obsolete"):
                continue
            result.append(f"{context}: {message.findtext('source')}")
    return result


def fill(mapping: dict[str, str]) -> int:
    """Fill unfinished messages from ``mapping``; returns how many were filled.

    Keys are either a plain English source, or ``"Context: source"`` where the same English
    needs different Chinese in different places (the context-qualified key wins).
    """
    count = 0
    for ts in sorted(I18N.glob(f"*_{LANGUAGE}.ts")):
        tree = ET.parse(ts)
        changed = False
        for context in tree.getroot().iter("context"):
            context_name = context.findtext("name") or ""
            for message in context.iter("message"):
                source = message.findtext("source") or ""
                translation = message.find("translation")
                text = mapping.get(f"{context_name}: {source}", mapping.get(source))
                if translation is None or text is None:
                    continue
                forms = translation.findall("numerusform")
                current = forms[0].text if forms else translation.text
                if translation.get("type") == "unfinished" or not (current or "").strip():
                    if forms:  # plural message: Chinese has a single form
                        translation.text = None
                        for form in forms:
                            form.text = text
                    else:
                        translation.text = text
                    translation.attrib.pop("type", None)
                    changed = True
                    count += 1
        if changed:
            tree.write(ts, encoding="utf-8", xml_declaration=True)
    return count


def release(target_dir: Path = I18N, areas: list[str] | None = None) -> list[Path]:
    written = []
    for ts in sorted(I18N.glob(f"*_{LANGUAGE}.ts")):
        if areas and ts.stem.removesuffix(f"_{LANGUAGE}") not in areas:
            continue
        qm = target_dir / ts.with_suffix(".qm").name
        subprocess.run(
            [_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True
        )
        written.append(qm)
    return written


def check() -> list[str]:
    """Problems that would leave English in the Chinese UI, or a stale .qm."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = update(Path(tmp))
        for ts in fresh:
            for item in unfinished(ts):
                problems.append(f"{ts.name}: untranslated or new string {item}")
        compiled = release(Path(tmp))
        for qm in compiled:
            committed = I18N / qm.name
            if not committed.exists() or committed.read_bytes() != qm.read_bytes():
                problems.append(
                    f"{qm.name}: compiled .qm is missing or stale; run tools/i18n.py release"
                )
    return problems


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command = argv[0]
    if command == "update":
        for ts in update(areas=argv[1:] or None):
            print(ts.relative_to(ROOT), len(unfinished(ts)), "unfinished")
    elif command == "todo":
        todo = {ts.stem: unfinished(ts) for ts in sorted(I18N.glob(f"*_{LANGUAGE}.ts"))}
        print(json.dumps({k: v for k, v in todo.items() if v}, ensure_ascii=False, indent=1))
    elif command == "fill":
        mapping = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        print(fill(mapping), "filled")
    elif command == "release":
        for qm in release(areas=argv[1:] or None):
            print(qm.relative_to(ROOT))
    elif command == "check":
        problems = check()
        print("\n".join(problems) or "translations complete")
        return 1 if problems else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
