"""Search statement parser: precedence, quoting, wildcards, escapes, errors; query splitting."""

from __future__ import annotations

import pytest

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.query.request import check_range, split_query
from aliyun.log.emulator.query.search_ast import (
    And,
    Compare,
    FieldMatch,
    FullText,
    MatchAll,
    Not,
    Or,
    Range,
    has_phrase,
)
from aliyun.log.emulator.query.search_parser import parse_search
from aliyun.log.emulator.query.textmatch import QMARK, STAR


def ft(value: str, quoted: bool = False, phrase: bool = False) -> FullText:
    return FullText(value, quoted, phrase)


def fm(key: str, value: str, quoted: bool = False, phrase: bool = False) -> FieldMatch:
    return FieldMatch(key, value, quoted, phrase)


@pytest.mark.parametrize("text", ["", "   ", "*", " * "])
def test_match_all(text: str) -> None:
    assert parse_search(text) == MatchAll()


def test_implicit_and_is_left_assoc_flat() -> None:
    assert parse_search("GET 200 cn-shanghai") == And((ft("GET"), ft("200"), ft("cn-shanghai")))


def test_or_binds_weaker_than_and() -> None:
    assert parse_search("a and b or c") == Or((And((ft("a"), ft("b"))), ft("c")))
    assert parse_search("a or b and c") == Or((ft("a"), And((ft("b"), ft("c")))))


def test_not_is_binary_and_not() -> None:
    assert parse_search("a not b") == And((ft("a"), Not(ft("b"))))
    assert parse_search("not a") == Not(ft("a"))
    assert parse_search("a and not b") == And((ft("a"), Not(ft("b"))))
    assert parse_search("not not a") == Not(Not(ft("a")))


def test_operators_case_insensitive() -> None:
    assert parse_search("a AND b Or NOT c") == Or((And((ft("a"), ft("b"))), Not(ft("c"))))


def test_parentheses_group() -> None:
    assert parse_search("(a or b) c") == And((Or((ft("a"), ft("b"))), ft("c")))
    assert parse_search("((a))") == ft("a")


def test_quoted_operator_word_is_a_keyword() -> None:
    assert parse_search('"and"') == ft("and", quoted=True)
    assert parse_search('a "or" b') == And((ft("a"), ft("or", True), ft("b")))


def test_field_forms() -> None:
    assert parse_search("status:200") == fm("status", "200")
    assert parse_search("status: 200") == fm("status", "200")
    assert parse_search('k:"a b"') == fm("k", "a b", quoted=True)
    assert parse_search('k:""') == fm("k", "", quoted=True)
    assert parse_search("k:*") == fm("k", STAR)
    assert parse_search('k:#"a/b"') == fm("k", "a/b", quoted=True, phrase=True)
    assert parse_search('"file info":apsara') == fm("file info", "apsara")


def test_value_keeps_operator_characters() -> None:
    assert parse_search("request_uri:/api?id=42&x>1") == fm("request_uri", f"/api{QMARK}id=42&x>1")
    assert parse_search("time:12:30") == fm("time", "12:30")


def test_wildcards_and_escapes() -> None:
    assert parse_search("mo*la") == ft(f"mo{STAR}la")
    assert parse_search("mozi?la") == ft(f"mozi{QMARK}la")
    assert parse_search(r"a\*b") == ft("a*b")
    assert parse_search('"a*b"') == ft("a*b", quoted=True)
    assert parse_search(r"instance_id:nginx\"01\"") == fm("instance_id", 'nginx"01"')
    assert parse_search(r'"say \"hi\""') == ft('say "hi"', quoted=True)


def test_tag_key_keeps_colon() -> None:
    assert parse_search("__tag__:__hostname__:web-2") == fm("__tag__:__hostname__", "web-2")
    assert parse_search('"__tag__:__client_ip__":192.0.2.1') == fm("__tag__:__client_ip__", "192.0.2.1")


def test_comparisons_and_ranges() -> None:
    assert parse_search("status>=500") == Compare("status", ">=", "500")
    assert parse_search("status >= 500") == Compare("status", ">=", "500")
    assert parse_search("t < -1.5") == Compare("t", "<", "-1.5")
    assert parse_search("status=404") == Compare("status", "=", "404")
    assert parse_search("x in [1 2]") == Range("x", 1.0, 2.0, True, True, "[1 2]")
    assert parse_search("x in (1 2]") == Range("x", 1.0, 2.0, False, True, "(1 2]")
    assert parse_search("x in [0.05 0.35)") == Range("x", 0.05, 0.35, True, False, "[0.05 0.35)")


def test_in_only_lowercase_and_only_with_brackets() -> None:
    assert parse_search("a in b") == And((ft("a"), ft("in"), ft("b")))
    assert parse_search("index") == ft("index")


def test_phrase_detection() -> None:
    assert has_phrase(parse_search('#"a b"'))
    assert has_phrase(parse_search('x and not k:#"a b"'))
    assert not has_phrase(parse_search('"a b"'))


def test_star_inside_expression_is_match_all() -> None:
    assert parse_search("* and status:200") == And((MatchAll(), fm("status", "200")))


@pytest.mark.parametrize(
    "text",
    ["(a", "a)", "a and", "or a", '"unterminated', "k:", "x in [1]", "x in [a b]", "sort", "a LIMIT", "k >"],
)
def test_syntax_errors(text: str) -> None:
    with pytest.raises(SLSError) as err:
        parse_search(text)
    assert err.value.code == "ParameterInvalid"


def test_split_query() -> None:
    assert split_query("a | select 1") == ("a ", " select 1")
    assert split_query('"a|b" | select 1') == ('"a|b" ', " select 1")
    assert split_query(r'"a\"|b"') == (r'"a\"|b"', None)
    assert split_query("status:200") == ("status:200", None)
    assert split_query("* | select a || b") == ("* ", " select a || b")
    with pytest.raises(SLSError):
        split_query("status:200 | where userId = '123'")
    with pytest.raises(SLSError):
        split_query("* |  ")


def test_check_range() -> None:
    check_range(1, 2)
    check_range(1, 1, 0, 5)
    for args, code in [
        ((5, 5), "ParameterInvalid"),  # empty range
        ((1, 1, 5, 5), "ParameterInvalid"),
        ((6, 5), "InvalidTimeRange"),  # backwards
        ((-1, 5), "InvalidTimeRange"),
    ]:
        with pytest.raises(SLSError) as err:
            check_range(*args)
        assert err.value.code == code
