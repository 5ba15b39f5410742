"""SPL statements over log groups: each supported instruction, its errors, and the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from aliyun.log._codec import decode_log_group, encode_log_group
from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.query.limits import QueryLimits
from aliyun.log.emulator.spl import SplEngine, parse_spl

GROUPS = [
    encode_log_group(
        [
            (1000, None, [("status", "200"), ("msg", "ok"), ("body", '{"a": 1, "b": "x", "n": {"c": [1]}}')]),
            (1001, 7, [("status", "500"), ("msg", "bad"), ("body", "not json")]),
        ],
        "web",
        "10.0.0.1",
        [("path", "/var/log/a")],
    ),
    encode_log_group([(1002, None, [("status", "404"), ("msg", "nf GET /x")])], "api", None, []),
]


@pytest.fixture
def engine() -> Iterator[SplEngine]:
    spl = SplEngine(QueryLimits())
    yield spl
    spl.close()


def run(engine: SplEngine, query: str) -> list[dict[str, Any]]:
    """One dict per group kept: topic, source, tags and its logs as (time, ns, contents)."""
    out = []
    for payload in engine.run(engine.compile(query), GROUPS):
        group = decode_log_group(payload)
        out.append(
            {
                "topic": group.Topic,
                "source": group.Source if group.HasField("Source") else None,
                "tags": [(t.Key, t.Value) for t in group.LogTags],
                "logs": [
                    (
                        log.Time,
                        log.Time_ns if log.HasField("Time_ns") else None,
                        [(c.Key, c.Value) for c in log.Contents],
                    )
                    for log in group.Logs
                ],
            }
        )
    return out


def _ns(log: Any) -> Any:
    return log.Time_ns if log.HasField("Time_ns") else None


def contents(engine: SplEngine, query: str) -> list[list[tuple[str, str]]]:
    return [log[2] for group in run(engine, query) for log in group["logs"]]


def test_star_alone_keeps_everything_as_it_was(engine: SplEngine) -> None:
    groups = run(engine, "*")
    assert [g["topic"] for g in groups] == ["web", "api"]
    assert groups[0]["source"] == "10.0.0.1" and groups[1]["source"] is None
    assert groups[0]["tags"] == [("path", "/var/log/a")]
    assert [log[:2] for log in groups[0]["logs"]] == [(1000, None), (1001, 7)]
    assert contents(engine, "*")[0] == [
        ("status", "200"),
        ("msg", "ok"),
        ("body", '{"a": 1, "b": "x", "n": {"c": [1]}}'),
    ]


def test_where_filters_logs_and_drops_emptied_groups(engine: SplEngine) -> None:
    groups = run(engine, "* | where cast(status as bigint) >= 500")
    assert len(groups) == 1 and [log[0] for log in groups[0]["logs"]] == [1001]
    assert run(engine, "* | where msg like 'nf%'")[0]["topic"] == "api"
    assert run(engine, "* | where status = '999'") == []


def test_where_reads_reserved_fields_and_tags(engine: SplEngine) -> None:
    assert len(contents(engine, "* | where __topic__ = 'api'")) == 1
    assert len(contents(engine, "* | where \"__tag__:path\" = '/var/log/a'")) == 2
    assert len(contents(engine, "* | where cast(__time__ as bigint) > 1000")) == 2
    assert len(contents(engine, "* | where __source__ is null or __source__ = ''")) == 1


def test_fields_are_varchar_and_typed_strictly(engine: SplEngine) -> None:
    with pytest.raises(SLSError, match="cannot be applied to varchar, integer"):
        run(engine, "* | where status > 200")


def test_extend_project_and_rename(engine: SplEngine) -> None:
    assert contents(
        engine, "* | where status = '200' | extend m = upper(msg), code = cast(status as bigint) + 1 | project m, code"
    ) == [[("m", "OK"), ("code", "201")]]
    assert contents(engine, "* | extend msg = msg || '!' | project msg")[0] == [("msg", "ok!")]
    assert contents(engine, "* | project-away body, msg")[0] == [("status", "200")]
    assert contents(engine, "* | project-rename message = msg | project message")[2] == [("message", "nf GET /x")]
    assert contents(engine, "* | extend x = nullif(msg, 'ok') | project x")[:2] == [[], [("x", "bad")]]


def test_parse_json_and_parse_regexp(engine: SplEngine) -> None:
    assert contents(engine, "* | parse-json body | project a, b, n")[0] == [("a", "1"), ("b", "x"), ("n", '{"c": [1]}')]
    assert contents(engine, "* | parse-json -prefix='j_' body | project j_a")[0] == [("j_a", "1")]
    assert contents(engine, "* | parse-json -path='$.n' body | project c")[0] == [("c", "[1]")]
    assert contents(engine, "* | parse-json msg | project-away body")[0] == [("status", "200"), ("msg", "ok")]
    assert contents(engine, "* | parse-json -mode='preserve' body | project status")[0] == [("status", "200")]
    regexp = "* | parse-regexp msg, '(\\w+) (\\w+) (.*)' as code, verb, path | where verb = 'GET' | project verb, path"
    assert contents(engine, regexp) == [[("verb", "GET"), ("path", "/x")]]
    named = "* | parse-regexp msg, '(?<first>\\w+)' | project first"
    assert contents(engine, named) == [[("first", "ok")], [("first", "bad")], [("first", "nf")]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status:200 | where a = 'b'", "must start with '*'"),
        ("* | sort status", "instruction 'sort' is not supported"),
        ("* | where", "where needs arguments"),
        ("* | extend 1x = a", "invalid field name"),
        ("* | extend a", "expects <field> = <value>"),
        ("* | where nosuch(a) = 'x'", "Function nosuch not registered"),
        ("* | where read_text('/etc/passwd') = 'x'", "Function read_text not registered"),
        ("* | where a = (select content from read_text('/etc/passwd'))", "table function read_text"),
        ("* | parse-regexp msg, '(a)(b)' as x", "2 groups but 1 fields"),
        ("* | parse-regexp msg, '(a'", "invalid regular expression"),
        ("* | parse-json -depth='1' body", "does not support -depth"),
        ("* | where a = 'unterminated", "unterminated"),
    ],
)
def test_unsupported_or_malformed_statements_answer_parameter_invalid(
    engine: SplEngine, query: str, message: str
) -> None:
    with pytest.raises(SLSError) as err:
        engine.compile(query)
    assert err.value.code == "ParameterInvalid"
    assert message in err.value.message


def test_concatenation_is_not_a_stage_boundary() -> None:
    assert len(parse_spl("* | extend a = b || c | project a")) == 2


def test_bad_cast_at_run_time_is_a_clear_error(engine: SplEngine) -> None:
    with pytest.raises(SLSError) as err:
        run(engine, "* | where cast(msg as bigint) > 1")
    assert err.value.code == "ParameterInvalid"
    assert "Can not cast" in err.value.message
