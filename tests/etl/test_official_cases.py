"""The official repository's etl_core test cases, kept as data (``data/official_cases.json``).

Each case is an expression over the public names of ``aliyun.log.etl_core``, an input event
and the expected result; the expectations were checked against the official 0.9.52 package.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from aliyun.log import etl_core

CASES = json.loads((Path(__file__).parent / "data" / "official_cases.json").read_text(encoding="utf-8"))["cases"]
NAMESPACE = {name: getattr(etl_core, name) for name in dir(etl_core) if not name.startswith("_")}


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c['family']}" for i, c in enumerate(CASES)])
def test_official_case(case: dict[str, Any]) -> None:
    rule = eval(case["spec"], dict(NAMESPACE))  # the case's own expression over etl_core names
    event = copy.deepcopy(case["input"])
    assert rule(event) == case["expected"]


def test_every_family_is_covered() -> None:
    families = {c["family"] for c in CASES}
    assert families >= {"condition", "regex", "csv", "kv", "json", "split", "lookup_dict", "fields", "dispatch"}


SCRIPT_CASES = json.loads((Path(__file__).parent / "data" / "official_script_cases.json").read_text(encoding="utf-8"))[
    "cases"
]


@pytest.mark.parametrize("case", SCRIPT_CASES, ids=[c["name"] for c in SCRIPT_CASES])
def test_official_script_case(case: dict[str, Any], tmp_path: Path) -> None:
    script = tmp_path / "etl_case.py"
    script.write_text(case["script"], encoding="utf-8")
    run = etl_core.Runner(str(script))
    assert [run(copy.deepcopy(event)) for event in case["events"]] == case["expected"]
