"""Shared fixtures: real SQLite stores in temp folders, demo data, the Qt app offscreen."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
# Never let a test touch the developer's real data or keyring (child processes included).
os.environ.pop("KEYACCT_DATA_DIR", None)
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
# The platform's data and settings folders (platformdirs: the data directory a ``keyacct``
# started without --data-dir uses) are this test process's own: never the developer's, and
# never shared by two pytest-xdist workers (``scripts/test.sh`` runs two).
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(
    prefix=f"keyacct-tests-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-"
)
os.environ["XDG_CONFIG_HOME"] = os.path.join(os.environ["XDG_DATA_HOME"], "config")
# Operations (gui/operations.py) run at once on the calling thread, as Picard's tests do.
os.environ["KEYACCT_OPS_INLINE"] = "1"
# Passwords hashed at Argon2's least cost here and in the servers the tests start (0.3 s of
# CPU per sign-in otherwise; server/accounts.py). test_accounts checks the real default.
os.environ["KEYACCT_INSECURE_FAST_PASSWORD_HASH"] = "1"

import pytest

from keyacct_desktop.context import AppContext
from keyacct_desktop.demo import generate_demo
from keyacct_desktop.paths import store_path
from keyacct_desktop.store.db import STORE_TEMPLATE_ENV, Store, open_store

atexit.register(shutil.rmtree, os.environ["XDG_DATA_HOME"], ignore_errors=True)


def _migrated_store_template() -> None:
    """Run the store migrations once per test process; every new plain store (in this process
    and in the ``keyacct`` processes tests start) is a copy of that one (store/db.py)."""
    os.environ.pop(STORE_TEMPLATE_ENV, None)
    template = Path(os.environ["XDG_DATA_HOME"]) / "store-template.sqlite3"
    open_store(template).close()
    os.environ[STORE_TEMPLATE_ENV] = str(template)


_migrated_store_template()

#: A fixed "today" keeps demo data (and so every test built on it) deterministic.
DEMO_TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Each test gets an empty in-process keyring (the real ``keyring`` API, no OS keychain)."""
    import keyring

    from tests.security_helpers import MemoryKeyring

    backend = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    return backend


@pytest.fixture(autouse=True)
def unsaved_changes_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """No one answers "unsaved changes?" in a test: an editor a test leaves open with changes
    is discarded when pytest-qt closes it. Tests of the question patch ``unsaved.ask``."""
    from keyacct_desktop.gui.widgets import unsaved  # Qt only: no QApplication needed

    monkeypatch.setattr(unsaved, "ask", lambda *_a, **_k: unsaved.Answer.DISCARD)


@pytest.fixture(autouse=True)
def no_unanswered_message_box(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A message box nobody answers would hang the whole run: pytest-timeout cannot interrupt
    a modal Qt loop. Static boxes a test did not patch itself are answered (OK, or No to a
    question: nothing destructive) and fail the test with their text."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    button = QMessageBox.StandardButton

    def answering(kind: str, answer: QMessageBox.StandardButton):  # type: ignore[no-untyped-def]
        def show(_parent, title, text, *_args, **_kwargs):  # type: ignore[no-untyped-def]
            shown.append(f"{kind} “{title}”: {text}")
            return answer

        return staticmethod(show)

    for kind, answer in (
        ("warning", button.Ok),
        ("critical", button.Ok),
        ("information", button.Ok),
        ("question", button.No),
    ):
        monkeypatch.setattr(QMessageBox, kind, answering(kind, answer))
    yield
    if shown:
        pytest.fail("a message box nobody answered: " + " | ".join(shown))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = open_store(data_dir / "keyacct.sqlite3")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the 120 demo customers of :func:`demo_ctx`, generated once per test
    process (about a second of CPU each time) and copied for each test that asks."""
    folder = tmp_path_factory.mktemp("demo-template")
    context = AppContext.open(folder)
    generate_demo(context.store, customers=120, seed=7, today=DEMO_TODAY)
    context.close()
    return store_path(folder)


@pytest.fixture
def ctx(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[AppContext]:
    if "demo_ctx" in request.fixturenames:  # the same context, opened on the demo store
        shutil.copyfile(request.getfixturevalue("demo_store_template"), store_path(data_dir))
    context = AppContext.open(data_dir)
    yield context
    context.close()


@pytest.fixture
def demo_ctx(ctx: AppContext) -> AppContext:
    """An app context whose store holds 120 demo customers (a copy of the same ones each
    time: ``generate_demo(seed=7, today=DEMO_TODAY)``)."""
    return ctx


@pytest.fixture(scope="session")
def keyacct_qapp(qapp):  # type: ignore[no-untyped-def]
    """The pytest-qt QApplication, set up like the real app (bundled font, Chinese UI)."""
    from keyacct_desktop.gui.app import create_application

    app = create_application("zh_CN")
    assert app is qapp
    return app


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A real PostgreSQL server (the ``pgserver`` wheel ships one), shared by the session.

    Under pytest-xdist each worker has its own (its data folder, and so its socket, is under
    the worker's own basetemp)."""
    import pgserver

    server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    yield server
    server.cleanup()


def _migrated_server_database(url: str) -> None:
    from keyacct_desktop.server.db import migrate_server, server_engine

    engine = server_engine(url)
    try:
        migrate_server(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def server_template_sqlite(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """A server SQLite database migrated once per test process, copied for each test module."""
    path = tmp_path_factory.mktemp("server-template") / "server.sqlite3"
    _migrated_server_database(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def server_template_postgres(postgres_server) -> str:  # type: ignore[no-untyped-def]
    """A PostgreSQL database migrated once per test process: the TEMPLATE of each new one."""
    name = "keyacct_template"
    postgres_server.psql(f'CREATE DATABASE "{name}";')
    _migrated_server_database(postgres_server.get_uri().replace("/postgres?", f"/{name}?", 1))
    return name


@pytest.fixture(scope="module")
def server_database(request, tmp_path_factory) -> str:  # type: ignore[no-untyped-def]
    """A fresh server database URL, at the newest schema and empty: SQLite or PostgreSQL
    (``indirect`` parameter). Each is a copy of a database migrated once per test process,
    so every run still migrates an empty database of each kind; a migration run inside each
    test module's first server start cost seconds there."""
    if getattr(request, "param", "sqlite") == "postgresql":
        server = request.getfixturevalue("postgres_server")
        template = request.getfixturevalue("server_template_postgres")
        name = f"keyacct_{uuid.uuid4().hex[:10]}"
        server.psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}";')
        return server.get_uri().replace("/postgres?", f"/{name}?", 1)
    path = tmp_path_factory.mktemp("server") / "server.sqlite3"
    shutil.copyfile(request.getfixturevalue("server_template_sqlite"), path)
    return f"sqlite:///{path}"
