"""Bad input: every file the app reads on start, restore or print, and typed codes.

Whatever bytes are found — a half-written settings file, a damaged key file, a random file
offered as a backup, a damaged checklist template, garbage typed as a USCC or phone number —
the result is a clear message (or success), never a crash, and nothing is half-written.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyacct_desktop.backup import restore_backup
from keyacct_desktop.domain.checklist_templates import load_templates
from keyacct_desktop.domain.codes import validate_phone, validate_uscc
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.paths import resources_dir
from keyacct_desktop.security.keys import KeyFile
from keyacct_desktop.settings import OPTIONS, Settings
from keyacct_desktop.store.db import open_store

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)


@FUZZ
@given(content=st.binary(max_size=512) | json_values.map(lambda v: json.dumps(v).encode()))
def test_any_settings_file_loads_or_is_refused_clearly(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    try:
        loaded = Settings(path)
    except UserError as error:
        assert str(path) in error.message_zh
        return
    for key in OPTIONS:  # a wrong-typed value falls back to the declared default
        value = loaded.get(key)
        default = OPTIONS[key].default
        assert default is None or isinstance(value, type(default))


@FUZZ
@given(content=st.binary(max_size=256) | json_values.map(lambda v: json.dumps(v).encode()))
def test_any_key_file_loads_or_is_refused_clearly(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "keyacct.keyinfo.json"
    path.write_bytes(content)
    try:
        KeyFile.load(path)
    except UserError as error:
        assert "已损坏" in error.message_zh


@pytest.fixture(scope="module")
def live_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "keyacct.sqlite3"
    open_store(path).close()
    return path


@settings(max_examples=40, deadline=None)
@given(
    content=st.binary(max_size=4096)
    | st.binary(min_size=100, max_size=4096).map(lambda b: b"SQLite format 3\x00" + b)
)
def test_a_random_file_offered_as_backup_never_replaces_the_store(
    live_store: Path, content: bytes
) -> None:
    before = hashlib.sha256(live_store.read_bytes()).digest()
    candidate = live_store.with_name("offered-backup.sqlite3")
    candidate.write_bytes(content)
    with pytest.raises(UserError, match="cannot be used"):
        restore_backup(candidate, live_store, None)
    assert hashlib.sha256(live_store.read_bytes()).digest() == before
    assert not live_store.with_name(live_store.name + ".restoring").exists()


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40))
def test_typed_codes_are_accepted_or_refused_with_a_message(text: str) -> None:
    for validate in (validate_uscc, validate_phone):
        try:
            validate(text)
        except UserError as error:
            assert error.message_zh and error.message_en


_TEMPLATE_DIR = resources_dir() / "templates" / "checklists"
_REAL_TEMPLATE = (_TEMPLATE_DIR / "hv_new.toml").read_bytes()
_LIMITS = set(Settings().get("limits.working_days"))


def _mutations() -> st.SearchStrategy[bytes]:
    """Damaged versions of a real template: cut short, bytes changed, lines dropped."""
    cut = st.integers(0, len(_REAL_TEMPLATE)).map(lambda n: _REAL_TEMPLATE[:n])
    flipped = st.lists(
        st.tuples(st.integers(0, len(_REAL_TEMPLATE) - 1), st.integers(0, 255)), max_size=6
    ).map(lambda changes: _apply(changes))
    lines = _REAL_TEMPLATE.split(b"\n")
    dropped = st.sets(st.integers(0, len(lines) - 1), max_size=8).map(
        lambda gone: b"\n".join(line for i, line in enumerate(lines) if i not in gone)
    )
    return cut | flipped | dropped | st.binary(max_size=256)


def _apply(changes: list[tuple[int, int]]) -> bytes:
    data = bytearray(_REAL_TEMPLATE)
    for position, value in changes:
        data[position] = value
    return bytes(data)


@FUZZ
@given(content=_mutations())
def test_damaged_checklist_templates_are_reported_not_crashed_on(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "hv_new.toml"
    path.write_bytes(content)
    library = load_templates(tmp_path, _LIMITS)
    if library.templates:
        assert not library.problems
    else:
        (problem,) = library.problems
        assert problem.path == path
        assert problem.message_zh and problem.message_en


def _toml(value: object) -> str:
    """A TOML inline value (no dates); strings in JSON form are valid TOML basic strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"


_toml_scalars = (
    st.booleans()
    | st.integers(-3, 40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["application", "design", "hv_new", "plan_reply_hv_single", "", " "])
    | st.text(max_size=12)
)
_toml_values = st.recursive(
    _toml_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["stage", "text", "name", "time_limit", "key", "working_days", "x"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)
_entries = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "stage": _toml_values,
            "text": _toml_values,
            "name": _toml_values,
            "time_limit": _toml_values,
            "key": _toml_values,
            "working_days": _toml_values,
        },
    ),
    max_size=3,
)


@FUZZ
@given(
    document=st.fixed_dictionaries(
        {"business_type": st.just("hv_new") | _toml_values},
        optional={
            "title": _toml_values,
            "version": _toml_values,
            "materials": _entries | _toml_values,
            "steps": _entries | _toml_values,
            "rules": _entries | _toml_values,
            "limits": _entries | _toml_values,
        },
    )
)
def test_templates_with_values_of_the_wrong_type_are_reported_not_crashed_on(
    tmp_path: Path, document: dict[str, object]
) -> None:
    """An administrator writes a list where text belongs, text where [[tables]] belong, …"""
    path = tmp_path / "hv_new.toml"
    path.write_text(
        "\n".join(f"{key} = {_toml(value)}" for key, value in document.items()), "utf-8"
    )
    library = load_templates(tmp_path, _LIMITS)
    if library.templates:
        assert not library.problems
    else:
        (problem,) = library.problems
        assert problem.path == path
        assert problem.message_zh and problem.message_en


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ('business_type = "hv_new"\nmaterials = "申请书"\n', 2, "[[materials]]"),
        ('business_type = "hv_new"\nmaterials = ["申请书"]\n', 2, "[[materials]]"),
        (
            'business_type = "hv_new"\n[[materials]]\nstage = ["application"]\ntext = "申请书"\n',
            3,
            "stage",
        ),
        (
            'business_type = "hv_new"\n[[materials]]\nstage = "application"\ntext = "申请书"\n'
            '[[steps]]\nname = "受理"\ntime_limit = ["mid_check"]\n',
            7,
            "time_limit",
        ),
        ('business_type = ["hv_new"]\n', 1, "business_type"),
        (
            'business_type = "hv_new"\ntitle = ["高压新装"]\n[[materials]]\n'
            'stage = "application"\ntext = "申请书"\n',
            2,
            "title",
        ),
    ],
)
def test_a_template_value_of_the_wrong_type_names_its_line(
    tmp_path: Path, content: str, line: int, fragment: str
) -> None:
    path = tmp_path / "hv_new.toml"
    path.write_text(content, "utf-8")
    library = load_templates(tmp_path, _LIMITS)
    assert not library.templates
    (problem,) = library.problems
    assert problem.line == line and fragment in problem.message_en
