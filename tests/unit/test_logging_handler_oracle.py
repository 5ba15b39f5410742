"""Our handlers turn records into the same log contents as the official 0.9.52 handlers.

The same script builds the same records and handlers with each package (the official one in its
own interpreter, ``-I``) and prints every ``make_request`` result; the contents must be equal.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from _oracle import official_interpreter

ROOT = Path(__file__).resolve().parents[2]

# Process/thread values are pinned so both interpreters produce the same record.
SCRIPT = r"""
import json, logging
from aliyun.log.logger_hanlder import LogFields, SimpleLogHandler

ARGS = ("127.0.0.1:1", "id", "secret", "proj", "store")

def record(msg, args=(), **extra):
    rec = logging.LogRecord("app.module", logging.WARNING, "/src/app.py", 42, msg, args, None, func="handle")
    rec.created, rec.msecs, rec.relativeCreated = 1700000000.25, 250.0, 12.5
    rec.process, rec.processName, rec.thread, rec.threadName = 4242, "MainProcess", 777, "MainThread"
    rec.__dict__.update(extra)
    return rec

def handler(**options):
    attrs = options.pop("attrs", {})
    h = SimpleLogHandler(*ARGS, **options)
    for name, value in attrs.items():
        setattr(h, name, value)
    return h

cases = [
    (dict(), record("hello %s", ("bob",), user="u1", data={"a": 1}, n=5)),
    (dict(fields=[LogFields.level, LogFields.line_no, LogFields.level_no, LogFields.created_timestamp]), record("m")),
    (dict(fields=["level", "func_name", "user"], extra=False), record("m", user="u1", other="o")),
    (dict(buildin_fields_prefix="__", buildin_fields_suffix="__"), record("m", user="u")),
    (dict(extract_json=True, extract_json_prefix="j_", extract_json_suffix="_j"), record({"a": 1, "b": [1, 2]})),
    (dict(extract_json=True, extract_json_drop_message=True, extra=False), record({"a": "x"})),
    (dict(extract_kv=True), record('user=bob  code = 200 path="/a b" empty')),
    (dict(extract_kv=True, extract_kv_drop_message=True, extract_kv_sep=":", extract_kv_prefix="k_"),
     record("a:1 b : 2")),
    (dict(extract_kv=True, extract_kv_drop_message=True), record("no pairs")),
    (dict(attrs={"skip_message": True}), record("m", user="u")),
    (dict(attrs={"built_in_root_field": "meta"}, fields=[LogFields.level, LogFields.module]), record("m", user="u")),
    (dict(attrs={"built_in_root_field": "meta", "skip_message": True}, extra=False), record("m")),
]
out = []
for options, rec in cases:
    request = handler(**options).make_request(rec)
    (item,) = request.get_log_items()
    out.append({"time": item.get_time(), "contents": sorted([list(pair) for pair in item.get_contents()]),
                "project": request.get_project()})
print(json.dumps(out))
"""


def _run(python: str, isolated: bool) -> list[dict[str, object]]:
    env = None if isolated else {"PYTHONPATH": str(ROOT)}
    flags = ["-I"] if isolated else []
    proc = subprocess.run([python, *flags, "-c", SCRIPT], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    result: list[dict[str, object]] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _normalise(case: dict[str, object]) -> dict[str, object]:
    """JSON-valued fields (the built-in root field) compared as JSON, not as text."""
    contents = []
    for key, value in case["contents"]:  # type: ignore[attr-defined]
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = value
        contents.append((key, parsed if isinstance(parsed, dict) else value))
    return {**case, "contents": sorted(contents, key=lambda kv: kv[0])}


def test_record_contents_match_the_official_handler() -> None:
    official = _run(official_interpreter(), isolated=True)
    ours = _run(sys.executable, isolated=False)
    assert len(ours) == len(official)
    for number, (mine, theirs) in enumerate(zip(ours, official)):
        assert _normalise(mine) == _normalise(theirs), f"case {number}"
