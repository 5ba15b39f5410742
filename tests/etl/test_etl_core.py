"""Our own unit suite of aliyun.log.etl_core, one section per function family."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from aliyun.log import LogException
from aliyun.log.etl_core import (
    CSV,
    EMPTY,
    EXIST,
    JSON,
    KV,
    LOOKUP,
    NO_EMPTY,
    NONE,
    NOT,
    REGEX,
    SPLIT,
    ZIP,
    Runner,
    V,
    condition,
    dispatch_event,
    drop_fields,
    keep_event,
    rename_fields,
    transform,
    transform_event,
)  # fmt: skip
from aliyun.log.etl_core.config_parser import ConfigParser
from aliyun.log.etl_core.exceptions import SettingError
from aliyun.log.etl_core.restrict_config_parser import InvalidETLConfig, RestrictConfigParser
from aliyun.log.etl_core.runner import load_script

# -- field setting and dropping ----------------------------------------------------------------


def test_set_from_other_fields_and_values() -> None:
    change = transform({"copy": V("missing", "src"), "fixed": "x", "absent": V("nope")})
    assert change({"src": "1", "absent": "kept"}) == {"src": "1", "copy": "1", "fixed": "x", "absent": "kept"}


def test_only_text_values_are_set(caplog: pytest.LogCaptureFixture) -> None:
    assert transform({"n": 5, "s": "x"})({"a": "1"}) == {"a": "1", "s": "x"}
    assert "not text" in caplog.text


def test_v_as_extractor_sets_or_removes() -> None:
    assert transform(("out", V("a")))({"a": "1"}) == {"a": "1", "out": "1"}
    assert transform(("out", V("a")))({"out": "old"}) == {}


def test_the_callers_event_is_not_changed() -> None:
    event = {"a": "1"}
    transform({"b": "2"})(event)
    assert event == {"a": "1"}


def test_drop_keep_and_rename_fields_by_pattern() -> None:
    event = {"__tag__:host": "h", "a1": "1", "b": "2"}
    assert drop_fields("__tag__:.+")(event) == {"a1": "1", "b": "2"}
    assert rename_fields({r"a\d": "alpha"})(event) == {"__tag__:host": "h", "alpha": "1", "b": "2"}
    with pytest.raises(SettingError):
        drop_fields(42)
    with pytest.raises(LogException) as info:
        rename_fields(["not", "a", "dict"])
    assert info.value.get_error_code() == "InvalidConfig"


def test_zip_pairs_two_lists() -> None:
    assert transform({"pairs": ZIP("k", "v")})({"k": "a,b", "v": "[1, 2]"})["pairs"] == "a#1,b#2"
    assert transform({"pairs": ZIP("k", "missing")})({"k": "a"}) == {"k": "a"}


# -- conditions --------------------------------------------------------------------------------


def test_field_predicates() -> None:
    event = {"a": "", "b": "x"}
    assert EMPTY("a")(event) and EMPTY("zz")(event) and not EMPTY("b")(event)
    assert NO_EMPTY("b")(event) and not NO_EMPTY("a")(event)
    assert EXIST("a")(event) and NONE("zz")(event) and not NONE("a")(event)


def test_not_negates_a_pattern() -> None:
    assert condition({"level": NOT("DEBUG|INFO")})({"level": "ERROR"})
    assert not condition({"level": NOT("DEBUG|INFO")})({"level": "INFO"})
    with pytest.raises(ValueError):
        NOT(3)


def test_condition_as_decorator_only_touches_matching_events() -> None:
    @condition({"kind": "a"})
    def mark(event: dict[str, str]) -> dict[str, str]:
        event["marked"] = "1"
        return event

    assert mark({"kind": "a"}) == {"kind": "a", "marked": "1"}
    assert mark({"kind": "b"}) == {"kind": "b"}


def test_condition_can_hide_and_restore_meta() -> None:
    seen: list[dict[str, str]] = []

    def strip(event: dict[str, str]) -> dict[str, str]:
        seen.append(dict(event))
        return {"x": "1"}

    guarded = condition(True, pass_meta=False)(strip)
    assert guarded({"__topic__": "t", "__tag__:h": "v", "a": "b"}) == {"x": "1", "__topic__": "t", "__tag__:h": "v"}
    assert seen == [{"a": "b"}]


def test_invalid_condition_is_a_setting_error() -> None:
    with pytest.raises(SettingError):
        condition(42)


def test_keep_event_on_lists() -> None:
    assert keep_event({"a": "1"})([{"a": "1"}, {"a": "2"}, {"a": "1", "b": "x"}]) == [{"a": "1"}, {"a": "1", "b": "x"}]


def test_dispatch_stops_at_the_first_rule_transform_applies_all() -> None:
    rules = [({"a": "1"}, {"r": "first"}), (True, {"r2": "second"})]
    assert dispatch_event(rules)({"a": "1"}) == {"a": "1", "r": "first"}
    assert transform_event(rules)({"a": "1"}) == {"a": "1", "r": "first", "r2": "second"}


# -- extraction --------------------------------------------------------------------------------


def test_regex_set_modes() -> None:
    event = {"msg": "code=7", "code": "old"}
    assert transform(("msg", REGEX(r"code=(?P<code>\d+)")))(dict(event))["code"] == "old"  # fill keeps
    assert transform(("msg", REGEX(r"code=(?P<code>\d+)", mode="overwrite")))(dict(event))["code"] == "7"
    with pytest.raises(SettingError):
        REGEX("(unclosed")


def test_kv_separator_with_a_group_of_its_own() -> None:
    assert transform(("d", KV(sep="(:|=)")))({"d": 'a:1 b=2 c="x y"'}) == {
        "d": 'a:1 b=2 c="x y"',
        "a": "1",
        "b": "2",
        "c": "x y",
    }


def test_kv_escape_and_bytes() -> None:
    assert transform(("d", KV(escape=True)))({"d": r'k="a \"quoted\" word"'})["k"] == 'a "quoted" word'
    assert transform(("d", KV))({"d": b"a=1 9bad=2"}) == {"d": b"a=1 9bad=2", "a": "1"}


def test_csv_reads_the_first_line_only() -> None:
    assert transform(("d", CSV("a,b")))({"d": "1,2\n3,4"}) == {"d": "1,2\n3,4", "a": "1", "b": "2"}


def test_json_expansion_options() -> None:
    doc = '{"a": {"b": {"c": 1}}, "list": [1, 2], "skip_me": 3}'
    assert transform(("d", JSON(fmt="full")))({"d": doc}) == {
        "d": doc, "d.a.b.c": "1", "d.list.list_0": "1", "d.list.list_1": "2", "d.skip_me": "3",
    }  # fmt: skip
    assert transform(("d", JSON(depth=1, exclude_node="skip_me")))({"d": doc}) == {
        "d": doc, "a": '{"b": {"c": 1}}', "list": "[1, 2]",
    }  # fmt: skip
    assert transform(("d", JSON(expand_array=False, include_path=r"d\.list")))({"d": doc}) == {
        "d": doc,
        "list": "[1, 2]",
    }
    assert transform(("d", JSON(prefix="p_", fmt="parent")))({"d": '{"x": {"y": 1}}'})["x.p_y"] == "1"
    assert transform(("d", JSON))({"d": "not json"}) == {"d": "not json"}
    with pytest.raises(SettingError):
        JSON(jmes="[[[")


def test_split_with_jmes_on_non_json_leaves_the_event() -> None:
    assert transform(("d", SPLIT(jmes="a")))({"d": "x,y"}) == {"d": "x,y"}


def test_lookup_from_a_csv_file(tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    table.write_text("c1,c2,out\na,b,1\na,*,2\n*,*,0\n", encoding="utf-8")
    lookup = LOOKUP(str(table), [("out", "result")])
    assert transform((["c1", "c2"], lookup))({"c1": "A", "c2": "b"})["result"] == "1"
    assert transform((["c1", "c2"], lookup))({"c1": "a", "c2": "z"})["result"] == "2"
    assert transform((["c1", "c2"], LOOKUP(f"file://{table}", "out")))({"c1": "q", "c2": "z"})["out"] == "0"
    with pytest.raises(SettingError):
        LOOKUP(str(table), "no_such_column")
    with pytest.raises(SettingError):
        LOOKUP(str(tmp_path / "missing.csv"), "out")
    with pytest.raises(SettingError):
        LOOKUP("http://example.invalid/t.csv", "out")


# -- scripts -----------------------------------------------------------------------------------

SCRIPT = """\
from aliyun.log.etl_core import *

DROP_FIELDS_meta = "__.+__"

DISPATCH_EVENT_data = [
    ({"data": "^Reboot .+"}, {"__topic__": "reboot"}),
    (True, {"__topic__": "default"}),
]

TRANSFORM_EVENT_data = [({"__topic__": "reboot"}, ("data", r"Reboot \\[(?P<code>\\d+)\\]"))]


@condition({"__topic__": "reboot"})
def sls_eu_flag(event):
    return {"flag": "1"}


def sls_en_split(event):
    return [event, dict(event, copy="1")] if event.get("code") == "9" else event


def helper_not_a_step(event):
    return None
"""


def _write(tmp_path: Path, text: str, name: str = "script.py") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def test_runner_applies_the_steps_in_line_order(tmp_path: Path) -> None:
    run = Runner(_write(tmp_path, SCRIPT))
    assert run({"data": "Reboot [8]", "__time__": "1"}) == {
        "data": "Reboot [8]",
        "__topic__": "reboot",
        "code": "8",
        "flag": "1",
    }
    assert run({"data": "other"}) == {"data": "other", "__topic__": "default"}
    assert len(run({"data": "Reboot [9]"})) == 2


def test_config_parser_lists_steps_with_their_lines(tmp_path: Path) -> None:
    module = load_script(_write(tmp_path, SCRIPT))
    lines = [line for line, _ in ConfigParser(module).parse()]
    assert lines == [3, 5, 10, 14, 18]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("from aliyun.log.etl_core import *\nKEEP_EVENT_x = (\n", "line 2", "invalid script"),
        ("from aliyun.log.etl_core import *\n\nDROP_FIELDS_x = UNKNOWN_FN('a')\n", "line 3", "UNKNOWN_FN"),
        ("from aliyun.log.etl_core import *\nx = 1\nKEEP_FIELDS_bad = 42\n", "line 3", "KEEP_FIELDS_bad"),
        ("from aliyun.log.etl_core import *\nKEEP_EVNT_typo = True\n", "line 2", "unknown rule name"),
        ("from aliyun.log.etl_core import *\nDISPATCH_EVENT_x = [1, 2]\n", "line 2", "DISPATCH_EVENT_x"),
    ],
)
def test_malformed_scripts_name_the_line(tmp_path: Path, text: str, line: str, words: str) -> None:
    with pytest.raises(SettingError) as info:
        Runner(_write(tmp_path, text))
    message = info.value.get_error_message()
    assert line in message and words in message, message
    assert info.value.get_error_code() == "InvalidConfig"


def test_restricted_scripts() -> None:
    RestrictConfigParser().parse(
        'from aliyun.log.etl_core import *\nKEEP_FIELDS_a = "x"\nTRANSFORM_EVENT_b = [(True, ("f", JSON))]\n'
    )
    for bad, where in [
        ("import os\n", "line 1"),
        ("from aliyun.log.etl_core import *\n\nKEEP_FIELDS_a = open('x')\n", "line 3"),
        ("x = 1\n", "line 1"),
        ("KEEP_FIELDS_a = lambda e: e\n", "line 1"),
        ("KEEP_FIELDS_a = (\n", "line 1"),
    ]:
        with pytest.raises(InvalidETLConfig, match=where):
            RestrictConfigParser().parse(bad)
