"""The README's launch command and the headless demo command."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import select

from keyacct_desktop.domain.enums import BusinessType
from keyacct_desktop.services.customers import CustomerDirectory
from keyacct_desktop.store.db import open_store
from keyacct_desktop.store.models import Checklist, OutageEvent, SupplyPlan, Visit


def test_keyacct_demo_launches_the_main_window_on_a_filled_store(tmp_path) -> None:
    """``keyacct --demo``: no subcommand means the GUI; a new demo store gets demo data.

    Runs in its own process: ``QApplication.exec()`` belongs to a real app, not to the
    test process's shared QApplication.
    """
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "keyacct_desktop",
            "--data-dir",
            str(tmp_path),
            "--demo",
            "--demo-customers",
            "25",
            "--quit-after",
            "300",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert "main window shown: KeyAcct" in result.stdout
    assert "Traceback" not in result.stderr
    store = open_store(tmp_path / "keyacct.sqlite3")
    assert CustomerDirectory(store).count() == 25
    store.close()


def test_demo_command_fills_a_store_headless(tmp_path) -> None:
    """15 customers, and documents of every kind (issue 17), so a new user sees them at once."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "keyacct_desktop",
            "--data-dir",
            str(tmp_path),
            "demo",
            "--customers",
            "15",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "15 客户" in result.stdout and "文书 documents" in result.stdout
    store = open_store(tmp_path / "keyacct.sqlite3")
    try:
        assert CustomerDirectory(store).count() == 15
        with store.read() as session:
            types = set(
                session.scalars(select(Checklist.business_type).where(Checklist.status == "issued"))
            )
            assert types == {t.value for t in BusinessType}  # all 18 checklist types
            plans = session.scalars(select(SupplyPlan).where(SupplyPlan.status == "issued")).all()
            assert len(plans) == 2
            kinds = {e.kind for e in session.scalars(select(OutageEvent))}
            assert kinds == {"planned", "temporary", "fault"}
            assert all(e.notices for e in session.scalars(select(OutageEvent)))
            assert session.scalar(select(Visit.id).limit(1)) is not None  # visit reports
    finally:
        store.close()


def test_user_errors_are_reported_in_both_languages_with_exit_code_2(tmp_path) -> None:
    command = [
        sys.executable,
        "-m",
        "keyacct_desktop",
        "--data-dir",
        str(tmp_path),
        "demo",
        "--customers",
        "3",
    ]
    subprocess.run(command, capture_output=True, check=True)
    again = subprocess.run(command, capture_output=True, text=True)
    assert again.returncode == 2
    assert "演示数据只能写入空的数据库" in again.stderr
    assert "demo data goes into an empty store" in again.stderr
    assert "Traceback" not in again.stderr


def test_data_dir_may_follow_the_subcommand(tmp_path, capsys) -> None:
    from keyacct_desktop import cli

    assert cli.main(["demo", "--data-dir", str(tmp_path), "--customers", "5", "--seed", "3"]) == 0
    store = open_store(tmp_path / "keyacct.sqlite3")
    assert CustomerDirectory(store).count() == 5
    store.close()
    assert cli.main(["sync", "status", "--data-dir", str(tmp_path)]) == 0
    assert cli.main(["--data-dir", str(tmp_path), "export", "-o", str(tmp_path / "a.xlsx")]) == 0
    assert "exported 5" in capsys.readouterr().out


def test_each_command_module_registers_the_names_the_cli_lists() -> None:
    """``COMMAND_MODULES`` names each module's subcommands, so a command line builds only its
    own parser; the names must be the ones ``register`` really adds, or a command is lost."""
    import argparse

    from keyacct_desktop import cli

    def registered(modules: list[str]) -> set[str]:
        parser = cli.build_parser(modules)
        actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return set(actions[0].choices)

    for module, names in cli.COMMAND_MODULES.items():
        assert registered([module]) == set(names), module
    assert registered(list(cli.COMMAND_MODULES)) == cli.COMMAND_NAMES


def test_help_lists_every_command_and_an_unknown_one_is_refused(capsys) -> None:
    import pytest

    from keyacct_desktop import cli

    with pytest.raises(SystemExit):
        cli.main(["--help"])
    listed = capsys.readouterr().out
    assert all(name in listed for name in cli.COMMAND_NAMES)
    with pytest.raises(SystemExit) as refused:
        cli.main(["frobnicate"])  # no command named: the GUI's parser refuses the argument
    assert refused.value.code == 2
    assert "frobnicate" in capsys.readouterr().err
