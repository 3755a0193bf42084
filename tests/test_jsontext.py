"""protocol.jsontext: orjson's speed, json's values (issue 22)."""

from __future__ import annotations

import json
import math

from keyacct_desktop.protocol import jsontext


def test_reads_and_writes_the_values_json_does() -> None:
    value = {"name": "冷链物流", "n": 2**63 - 1, "x": 0.86, "tags": ["a", None, True], "e": {}}
    text = jsontext.dumps(value)
    assert json.loads(text) == value == jsontext.loads(text.encode())
    assert "冷链物流" in text  # UTF-8 as it is, not \\u escapes


def test_what_orjson_refuses_goes_through_json() -> None:
    assert math.isinf(jsontext.loads(b'{"a": 1e400}')["a"])
    assert math.isnan(jsontext.loads("[NaN]")[0])
    assert json.loads(jsontext.dumps({"big": 2**70})) == {"big": 2**70}
