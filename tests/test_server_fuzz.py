"""Fuzz the server's published OpenAPI with schemathesis: no input may cause a server error.

Every operation gets generated bodies, parameters and paths (valid and invalid), with a real
device token, against an in-process app on a real SQLite file. A 5xx anywhere fails.
"""

from __future__ import annotations

import os
import tempfile

import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import sessionmaker

from keyacct_desktop.server import accounts
from keyacct_desktop.server.app import create_app

_folder = tempfile.mkdtemp(prefix="keyacct-fuzz-")
app = create_app(f"sqlite:///{os.path.join(_folder, 'server.sqlite3')}")
with sessionmaker(app.state.engine).begin() as _session:
    accounts.create_account(_session, "fuzzer", "fuzz password 1", "admin", "模糊测试")
    TOKEN, _device, _account = accounts.login(_session, "fuzzer", "fuzz password 1", "fuzz")

schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_server_fail(case) -> None:  # type: ignore[no-untyped-def]
    response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"
