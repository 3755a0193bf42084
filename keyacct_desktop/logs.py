"""Log files and the last word of a crash, without Qt.

A windowed build (``KeyAcct.exe``) has no console: without a log file an error that ends the
app, or one swallowed in a worker thread, leaves no trace. So the app writes
``<data dir>/logs/keyacct.log`` (rotated at 1 MB, five old files kept, UTF-8) and the
exception hooks here write every uncaught exception's traceback into it, from the main
thread and from worker threads alike. The GUI adds a dialog on top
(``keyacct_desktop.gui.crash``); ``keyacct --debug`` lowers the level to DEBUG and also
logs to stderr.
"""

from __future__ import annotations

import logging
import logging.handlers
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from keyacct_desktop import __version__
from keyacct_desktop.domain.errors import UserError

LOG_DIRNAME = "logs"
LOG_FILENAME = "keyacct.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)-8s [%(threadName)s] %(name)s: %(message)s"

log = logging.getLogger("keyacct_desktop.crash")

#: Called with the details text after an uncaught exception was logged (the GUI's dialog).
CrashListener = Callable[[str], None]


def log_dir(data_dir: Path) -> Path:
    return data_dir / LOG_DIRNAME


def log_file(data_dir: Path) -> Path:
    """The current log file of a data folder (older ones are ``keyacct.log.1`` … ``.5``)."""
    return log_dir(data_dir) / LOG_FILENAME


class _OwnHandler:
    """Marks the handlers this module adds, so that setting up again replaces them."""

    keyacct_handler = True


class _FileHandler(_OwnHandler, logging.handlers.RotatingFileHandler):
    pass


class _StderrHandler(_OwnHandler, logging.StreamHandler):
    pass


def _own_handlers(kind: type) -> list[logging.Handler]:
    return [handler for handler in logging.getLogger().handlers if isinstance(handler, kind)]


def configure(*, debug: bool = False) -> None:
    """The root level: INFO, or DEBUG plus a copy of every record on stderr (``--debug``)."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    for handler in _own_handlers(_StderrHandler):
        root.removeHandler(handler)
    if debug:
        stderr = _StderrHandler(sys.stderr)
        stderr.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(stderr)
        logging.getLogger(__name__).debug("debug logging on (KeyAcct %s)", __version__)


def log_to_folder(data_dir: Path) -> Path:
    """Write the log into ``data_dir/logs`` from now on (replacing an earlier folder).

    Returns the log file. The first lines of a run say which version on which system,
    so a log sent in by a manager can be read without asking.
    """
    path = log_file(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in _own_handlers(_FileHandler):
        root.removeHandler(handler)
        handler.close()
    handler = _FileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    logging.getLogger(__name__).info(
        "KeyAcct %s started: Python %s on %s",
        __version__,
        platform.python_version(),
        platform.platform(),
    )
    return path


def stop_logging_to_folder() -> None:
    """Close the log file (tests, and a data folder that is about to be wiped)."""
    root = logging.getLogger()
    for handler in _own_handlers(_FileHandler):
        root.removeHandler(handler)
        handler.close()


def current_log_file() -> Path | None:
    """The file the log goes to now, if any."""
    handlers = [
        handler for handler in logging.getLogger().handlers if isinstance(handler, _FileHandler)
    ]
    return Path(handlers[-1].baseFilename) if handlers else None


def log_failure(error: BaseException) -> None:
    """Put an error that ends the command into the log file, if one is being written.

    The GUI writes its log before the window exists; an error before the exception hooks are
    in place (an unreadable settings file, say) ends ``keyacct`` with a message on stderr,
    which a windowed build does not have. Without a log file (headless commands) stderr
    says it all and nothing is logged twice.
    """
    if current_log_file() is None:
        return
    if isinstance(error, UserError):
        log.error("stopped: %s", error.message_en)
    else:
        log.critical("stopped by an unexpected error", exc_info=error)


def crash_details(
    exc_type: type[BaseException],
    value: BaseException,
    tb: TracebackType | None,
    thread: str | None = None,
) -> str:
    """What a manager copies for the administrator: version, system, thread and traceback."""
    lines = [
        f"KeyAcct Desktop {__version__}",
        f"Python {platform.python_version()} · {platform.platform()}",
    ]
    if thread:
        lines.append(f"thread: {thread}")
    if (path := current_log_file()) is not None:
        lines.append(f"log: {path}")
    lines.append("")
    lines.append("".join(traceback.format_exception(exc_type, value, tb)).rstrip())
    return "\n".join(lines)


@dataclass
class ExceptionHooks:
    """The hooks installed by :func:`install_exception_hooks`; ``uninstall`` puts back the old."""

    previous_excepthook: Callable[..., Any]
    previous_threading_hook: Callable[..., Any]
    listeners: list[CrashListener]

    def uninstall(self) -> None:
        sys.excepthook = self.previous_excepthook
        threading.excepthook = self.previous_threading_hook


def install_exception_hooks(listener: CrashListener | None = None) -> ExceptionHooks:
    """Log every uncaught exception with its traceback, then tell ``listener``.

    ``sys.excepthook`` also receives the exceptions raised in Qt slots and virtual methods
    (PySide6 hands them to it); ``threading.excepthook`` those of plain threads. Ctrl+C
    (KeyboardInterrupt) and a thread's SystemExit keep their usual meaning. Without a
    listener (a headless command) the previous hook still prints the traceback on stderr.
    A listener that fails itself is logged and never hides the original error.
    """
    hooks = ExceptionHooks(sys.excepthook, threading.excepthook, [listener] if listener else [])

    def report(
        exc_type: type[BaseException],
        value: BaseException,
        tb: TracebackType | None,
        thread: str | None,
    ) -> None:
        log.critical(
            "uncaught exception%s",
            f" in thread {thread}" if thread else "",
            exc_info=(exc_type, value, tb),
        )
        for handler in logging.getLogger().handlers:
            handler.flush()
        details = crash_details(exc_type, value, tb, thread)
        for notify in hooks.listeners:
            try:
                notify(details)
            except Exception:
                log.exception("the crash report itself failed")

    def excepthook(
        exc_type: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            hooks.previous_excepthook(exc_type, value, tb)
            return
        report(exc_type, value, tb, None)
        if not hooks.listeners:
            hooks.previous_excepthook(exc_type, value, tb)

    def threading_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "?"
        report(args.exc_type, args.exc_value, args.exc_traceback, name)
        if not hooks.listeners:
            hooks.previous_threading_hook(args)

    sys.excepthook = excepthook
    threading.excepthook = threading_hook
    return hooks
