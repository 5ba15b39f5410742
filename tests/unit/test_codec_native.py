"""The native codec against the pure-Python one: same bytes out of the encoder, same dicts out of the decoder.

The pure modules (``aliyun/log/_codec/encode.py``, ``decode.py`` on the upb runtime) define the
behaviour; every test here feeds both and compares. Skipped, with the reason, when the extension
was not built.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from aliyun.log import LogItem  # noqa: E402
from aliyun.log._codec import CodecError, encode_log_group_list  # noqa: E402
from aliyun.log._codec.encode import encode_log_group as pure_encode  # noqa: E402
from aliyun.log._codec.select import decode_flat_logs_python as pure_decode  # noqa: E402

try:
    from aliyun.log._codec import _speedups
except ImportError as exc:  # pragma: no cover - depends on the build
    pytest.skip(f"native codec not built ({exc})", allow_module_level=True)

import google.protobuf  # noqa: E402
from google.protobuf.internal import api_implementation  # noqa: E402

native_encode = _speedups.encode_log_group
native_decode = _speedups.decode_flat_logs

# The pure decoder's str-or-bytes rule for non-UTF-8 fields is upb's; other runtimes differ.
upb_only = pytest.mark.skipif(api_implementation.Type() != "upb", reason="reference decoding is upb's")

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
blob = st.binary(max_size=40)
huge = st.sampled_from(["", "x" * 70_000, "é" * 20_000, b"\xff" * 130_000])
key = st.one_of(text, blob, st.sampled_from(["__time__", "__topic__", "__source__", "__tag__:a"]))
value = st.one_of(text, blob, huge, st.builds(bytearray, blob), st.builds(memoryview, blob))
pairs = st.lists(st.tuples(key, value), max_size=12)
contents = st.one_of(pairs, st.dictionaries(key, value, max_size=8), pairs.map(tuple))
seconds = st.integers(0, 0xFFFFFFFF)
nanos = st.one_of(st.none(), st.integers(-(2**70), -1), st.integers(0, 999_999_999))
log_tuple = st.tuples(seconds, nanos, contents)
log_item = st.builds(
    lambda s, n, c: _item(s, n, c), st.integers(1, 0xFFFFFFFF), nanos, st.one_of(pairs, st.dictionaries(key, value))
)
logs = st.lists(st.one_of(log_tuple, log_item, log_tuple.map(list)), max_size=30)
tag_pairs = st.one_of(
    st.lists(st.tuples(st.one_of(text, blob), st.one_of(text, blob)), max_size=6),
    st.dictionaries(text, text, max_size=4),
)
optional_text = st.one_of(st.none(), text, blob)


def _item(timestamp: int, nano: Any, contents: Any) -> LogItem:
    item = LogItem(timestamp, time_nano_part=nano)
    item.contents = contents  # a dict is accepted by the encoders as is
    return item


def _rows(flat: list[dict[str, Any]]) -> list[list[tuple[Any, type, Any, type]]]:
    """Dicts as ordered items with types, so str vs bytes and key order count."""
    return [[(k, type(k), v, type(v)) for k, v in row.items()] for row in flat]


def _outcome(fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return ("ok", fn(*args, **kwargs))
    except CodecError as exc:
        return ("error", exc.code)


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(logs, optional_text, optional_text, tag_pairs, optional_text, st.booleans())
def test_encodings_are_byte_identical(entries: Any, topic: Any, source: Any, tags: Any, uuid: Any, write: bool) -> None:
    expected = pure_encode(entries, topic, source, tags, uuid, always_write_topic=write)
    assert native_encode(entries, topic, source, tags, uuid, always_write_topic=write) == expected


@upb_only
@SETTINGS
@given(st.lists(st.tuples(logs, optional_text, optional_text, tag_pairs), min_size=0, max_size=4))
def test_decodings_are_equal(groups: Any) -> None:
    data = encode_log_group_list(pure_encode(e, t, s, g) for e, t, s, g in groups)
    expected = pure_decode(data)
    assert _rows(native_decode(data)) == _rows(expected)
    assert _rows(native_decode(bytearray(data))) == _rows(expected)
    assert _rows(native_decode(memoryview(data))) == _rows(expected)


# Logs of one group sharing their keys (the usual case: one source writes a group), with keys
# that repeat or collide with the added fields, and now and then a log with other keys.
shared_key = st.one_of(text, st.sampled_from(["__time__", "__topic__", "__source__", "__time_ns_part__", "__tag__:a"]))


@st.composite
def same_shape_group(draw: Any) -> Any:
    keys = draw(st.lists(shared_key, max_size=8))
    entries = []
    for _ in range(draw(st.integers(2, 12))):
        these = keys
        if draw(st.integers(0, 5)) == 0:  # now and then a log with other keys
            these = draw(st.one_of(st.lists(shared_key, max_size=8), st.just(keys[:-1]), st.just([*keys, "extra"])))
        values = [draw(st.one_of(text, blob)) for _ in these]
        entries.append((draw(seconds), draw(st.sampled_from([None, 0, 7, 999_999_999])), list(zip(these, values))))
    tags = draw(st.lists(st.tuples(st.sampled_from(["a", "b"]), text), max_size=2))
    return entries, draw(optional_text), draw(optional_text), tags


@upb_only
@SETTINGS
@given(st.lists(same_shape_group(), min_size=1, max_size=3))
def test_decodings_of_logs_sharing_keys_are_equal(groups: Any) -> None:
    data = encode_log_group_list(pure_encode(e, t, s, g) for e, t, s, g in groups)
    assert _rows(native_decode(data)) == _rows(pure_decode(data))


@upb_only
@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_give_the_same_outcome(data: bytes) -> None:
    pure = _outcome(pure_decode, data)
    native = _outcome(native_decode, data)
    assert (native[0], native[1] if native[0] == "error" else _rows(native[1])) == (
        pure[0],
        pure[1] if pure[0] == "error" else _rows(pure[1]),
    )


@upb_only
@settings(max_examples=300, deadline=None)
@given(logs, st.data())
def test_damaged_encodings_give_the_same_outcome(entries: Any, data: Any) -> None:
    """Truncated, cut or byte-flipped real bodies: both reject, or both give the same dicts."""
    body = bytearray(encode_log_group_list([pure_encode(entries, "t", "s", [("k", "v")])]))
    if body:
        index = data.draw(st.integers(0, len(body) - 1))
        action = data.draw(st.sampled_from(["truncate", "flip", "set", "insert"]))
        if action == "truncate":
            del body[index:]
        elif action == "flip":
            body[index] ^= data.draw(st.integers(1, 255))
        elif action == "set":
            body[index] = data.draw(st.sampled_from([0x00, 0x07, 0x0B, 0x0C, 0x0E, 0x0F, 0x80, 0xFF]))
        else:
            body[index:index] = data.draw(st.binary(min_size=1, max_size=6))
    pure = _outcome(pure_decode, bytes(body))
    native = _outcome(native_decode, bytes(body))
    assert native[0] == pure[0]
    if pure[0] == "ok":
        assert _rows(native[1]) == _rows(pure[1])
    else:
        assert native[1] == pure[1] == "PostBodyInvalid"


# -- hostile input, by hand ---------------------------------------------------------------------


def _framed(tag: int, payload: bytes) -> bytes:
    return bytes([tag]) + encode_log_group_list([payload])[1:]


def _nest_in_log(depth: int) -> bytes:
    """A Log holding ``depth`` nested unknown groups (the Log is itself 2 levels deep)."""
    log = b"\x08\x01" + b"\x13" * depth + b"\x14" * depth
    return _framed(0x0A, _framed(0x0A, log))


HOSTILE = {
    "truncated varint": b"\x08\xff",
    "varint of 11 bytes": b"\x08" + b"\xff" * 10 + b"\x01",
    "length past the end": b"\x0a\x05\x00",
    "huge length": b"\x0a\xff\xff\xff\xff\xff\xff\xff\xff\x7f",
    "wire type 6": b"\x0e",
    "wire type 7": b"\x0f",
    "end group at top": b"\x0c",
    "unterminated group": b"\x0b\x08\x01",
    "mismatched group end": b"\x13\x1c",
    "field number 0": b"\x02\x00",
    "tag over 32 bits": b"\xf8\xff\xff\xff\x1f\x00",
    "truncated fixed32": b"\x0a\x03\x0a\x01\x25",
    "truncated fixed64": b"\x09\x00\x00",
    "groups 101 deep": b"\x13" * 101 + b"\x14" * 101,
    "groups 99 deep in a Log": _nest_in_log(99),
    "content past its log": b"\x0a\x06\x0a\x04\x12\x05\x0a\x01",
}
ACCEPTED = {
    "empty": b"",
    "unknown fields of every wire type": b"\x10\x01\x19" + b"\x00" * 8 + b"\x2a\x01x\x35\x00\x00\x00\x00",
    "groups 100 deep": b"\x13" * 100 + b"\x14" * 100,
    "groups 98 deep in a Log": _nest_in_log(98),
    "10-byte varint": b"\x08" + b"\xff" * 9 + b"\x01",
    "wrong wire type for Logs is skipped": b"\x08\x05",
    "empty group and log": b"\x0a\x00\x0a\x02\x0a\x00",
    "field number 0 inside a group": b"\x13\x00\x00\x02\x00\x05\x00\x00\x00\x00\x03\x04\x14",
    "time over 32 bits": b"\x0a\x0d\x0a\x0b\x08" + b"\xff" * 9 + b"\x01",
}


@upb_only
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_bodies_are_rejected_by_both(name: str) -> None:
    data = HOSTILE[name]
    with pytest.raises(CodecError) as native:
        native_decode(data)
    assert native.value.code == "PostBodyInvalid"
    with pytest.raises(CodecError):
        pure_decode(data)


# protobuf 6 (the last release for Python 3.9) has an older upb that checks the field numbers
# inside an unknown group; protobuf 7's skips the group whole, as the native codec does.
PROTOBUF_7_READING = {"field number 0 inside a group"}
PROTOBUF_MAJOR = int(google.protobuf.__version__.split(".")[0])


def _accepted(name: str) -> Any:
    if name in PROTOBUF_7_READING:
        older = pytest.mark.skipif(PROTOBUF_MAJOR < 7, reason="the reference is protobuf 7's upb, which skips it")
        return pytest.param(name, marks=older)
    return name


@upb_only
@pytest.mark.parametrize("name", [_accepted(name) for name in sorted(ACCEPTED)])
def test_odd_but_valid_bodies_decode_alike(name: str) -> None:
    data = ACCEPTED[name]
    assert _rows(native_decode(data)) == _rows(pure_decode(data))


def test_every_prefix_of_a_body_is_handled() -> None:
    body = encode_log_group_list([pure_encode([(1, 5, [("k", "v" * 300), ("é", b"\xff")])], "t", "s", [("a", "b")])])
    for end in range(len(body)):
        pure = _outcome(pure_decode, body[:end])
        native = _outcome(native_decode, body[:end])
        assert native[0] == pure[0], end
        if pure[0] == "ok":
            assert _rows(native[1]) == _rows(pure[1])


def test_decoder_takes_only_buffers() -> None:
    with pytest.raises(TypeError):
        native_decode("not bytes")  # type: ignore[arg-type]


BAD_LOGS: list[Any] = [
    [(2**32, None, [])],
    [(-1, None, [])],
    [(2**80, None, [])],
    [(1.0, None, [])],
    [("1", None, [])],
    [([1], None, [])],
    [(1, 10**9, [])],
    [(1, 2**80, [])],
    [(1, 1.5, [])],
    [(1, "x", [])],
    [(1, None, [("k", 1)])],
    [(1, None, [(1, "v")])],
    [(1, None, [(bytearray(b"k"), "v")])],
    [(1, None, [("k", "v", "extra")])],
    [(1, None, ["k"])],
    [(1, None, 5)],
    [(1, None, [("\ud800", "v")])],
    [(1, None, [("k", "\udfff")])],
    [(1, None)],
    [5],
    [None],
    5,
]


@pytest.mark.parametrize("entries", BAD_LOGS, ids=repr)
def test_bad_logs_raise_the_same_codec_error(entries: Any) -> None:
    with pytest.raises(CodecError) as pure:
        pure_encode(entries, None, None)
    with pytest.raises(CodecError) as native:
        native_encode(entries, None, None)
    assert native.value.code == pure.value.code == "InvalidParameter"
    assert native.value.message  # worded like the pure one, though not always letter for letter


@pytest.mark.parametrize(
    "kwargs",
    [{"topic": 5}, {"source": 5}, {"machine_uuid": 5}, {"tags": [("k", 1)]}, {"tags": [("k",)]}, {"tags": 5}],
    ids=repr,
)
def test_bad_group_fields_raise_the_same_codec_error(kwargs: dict[str, Any]) -> None:
    args = {"topic": None, "source": None, **kwargs}
    with pytest.raises(CodecError) as pure:
        pure_encode([], **args)
    with pytest.raises(CodecError) as native:
        native_encode([], **args)
    assert native.value.code == pure.value.code == "InvalidParameter"


def test_odd_but_accepted_inputs_encode_alike() -> None:
    """Int-like times, bools, falsy topics, list entries, iterators: the pure rules, exactly."""

    class Text(str):
        pass

    class Index:
        def __index__(self) -> int:
            return 7

    # factories: iterators are consumed by the first encoder
    cases: list[tuple[Any, Any]] = [
        (lambda: [(True, True, [("k", "v")])], 0),
        (lambda: [(Index(), None, iter([["k", "v"]]))], ""),
        (lambda: [[1, -1.0, (("a", "b"),)]], b""),
        (lambda: iter([(1, None, {"k": memoryview(b"v")})]), 0),
        (lambda: [(1, None, [(memoryview(b"k"), "v")])], None),
        (lambda: [(1, None, [(Text("kü"), Text("v")), (Text("k"), Text("vé"))])], Text("tö")),
    ]
    for make, topic in cases:
        assert native_encode(make(), topic, None) == pure_encode(make(), topic, None)


def test_other_exceptions_propagate_unchanged() -> None:
    def broken() -> Any:
        yield (1, None, [])
        raise RuntimeError("from the caller's generator")

    for encode in (pure_encode, native_encode):
        with pytest.raises(RuntimeError, match="caller's generator"):
            encode(broken(), None, None)


def test_no_reference_is_leaked_or_lost() -> None:
    """Inputs keep their reference counts through many successful and failing calls."""
    keyobj, val, big = "key-" + str(id(object())), "välue" + str(id(object())), 2**40
    entries = [(1700000000, 5, [(keyobj, val), (keyobj, b"x")]), (1, None, {keyobj: val})]
    bad = [(1, None, [(keyobj, val)]), (big, None, [])]
    body = encode_log_group_list([native_encode(entries, "t", "s", [(keyobj, val)])])
    before = [sys.getrefcount(x) for x in (keyobj, val, big, entries, bad, body)]
    for _ in range(2000):
        native_encode(entries, "t", "s", [(keyobj, val)])
        with pytest.raises(CodecError):
            native_encode(bad, "t", "s")
        native_decode(body)
        with pytest.raises(CodecError):
            native_decode(body[:-3])
    assert [sys.getrefcount(x) for x in (keyobj, val, big, entries, bad, body)] == before


# -- the fixed vectors of test_codec.py (docs-level wire facts and bytes from the official SDK) ---


def test_wire_vector_and_official_bytes() -> None:
    from test_codec import OFFICIAL_FLAT, OFFICIAL_LIST, OFFICIAL_RAW_LIST, WIRE_VECTOR

    item = LogItem(1700000000, [("k", "v")], 7)
    assert native_encode([item], "topic", "10.0.0.1", [("tk", "tv")]) == WIRE_VECTOR
    assert native_decode(OFFICIAL_LIST) == OFFICIAL_FLAT
    assert _rows(native_decode(OFFICIAL_RAW_LIST)) == _rows(pure_decode(OFFICIAL_RAW_LIST))


# -- PutLogs validation (check_log_group) ---------------------------------------------------------

from aliyun.log._codec.decode import check_log_group as pure_check  # noqa: E402
from aliyun.log._codec.select import check_log_group as selected_check  # noqa: E402

native_check = _speedups.check_log_group


def _check_outcome(data: bytes) -> tuple[str, Any]:
    return _outcome(pure_check, data)


def _assert_check_agrees(data: bytes) -> None:
    """The extension vouches (a count) only for groups the pure check accepts, with the same count;
    what it declines (None) the pure check decides, so the selected function equals the pure one."""
    pure = _check_outcome(data)
    native = native_check(data)
    if native is not None:
        assert pure == ("ok", native)
    assert _outcome(selected_check, data) == pure


@upb_only
@settings(max_examples=300, deadline=None)
@given(logs, optional_text, optional_text, tag_pairs, st.data())
def test_check_log_group_agrees_on_real_and_damaged_groups(
    entries: Any, topic: Any, source: Any, tags: Any, data: Any
) -> None:
    body = bytearray(pure_encode(entries, topic, source, tags))
    _assert_check_agrees(bytes(body))
    if entries and body:
        assert native_check(bytes(body)) == len(entries)  # a group our encoder wrote is vouched for
        index = data.draw(st.integers(0, len(body) - 1))
        action = data.draw(st.sampled_from(["truncate", "flip", "set", "insert"]))
        if action == "truncate":
            del body[index:]
        elif action == "flip":
            body[index] ^= data.draw(st.integers(1, 255))
        elif action == "set":
            body[index] = data.draw(st.sampled_from([0x00, 0x07, 0x0B, 0x0C, 0x0E, 0x0F, 0x80, 0xFF]))
        else:
            body[index:index] = data.draw(st.binary(min_size=1, max_size=6))
        _assert_check_agrees(bytes(body))


@upb_only
@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=120))
def test_check_log_group_agrees_on_arbitrary_bytes(data: bytes) -> None:
    _assert_check_agrees(data)


def _log(fields: bytes) -> bytes:
    return _framed(0x0A, fields)


CHECKED = {
    "no Time": (_log(b"\x12\x06\x0a\x01k\x12\x01v"), ("error", "PostBodyInvalid")),
    "content without Value": (_log(b"\x08\x01\x12\x03\x0a\x01k"), ("error", "PostBodyInvalid")),
    "content without Key": (_log(b"\x08\x01\x12\x03\x12\x01v"), ("error", "PostBodyInvalid")),
    "tag without Value": (_log(b"\x08\x01") + _framed(0x32, b"\x0a\x01k"), ("error", "PostBodyInvalid")),
    "Time as a string is unknown, so missing": (_log(b"\x0a\x01x"), ("error", "PostBodyInvalid")),
    "Time_ns of 10**9": (_log(b"\x08\x01\x25" + (10**9).to_bytes(4, "little")), ("error", "InvalidTimestamp")),
    "Time_ns 10**9 then 5 (the last wins)": (
        _log(b"\x08\x01\x25" + (10**9).to_bytes(4, "little") + b"\x25\x05\x00\x00\x00"),
        ("ok", 1),
    ),
    "Time_ns as a varint is unknown": (_log(b"\x08\x01\x20\xff\xff\xff\xff\x0f"), ("ok", 1)),
    "no log": (b"\x1a\x01t", ("ok", 0)),
    "two logs and a tag": (_log(b"\x08\x01") + _log(b"\x08\x02") + _framed(0x32, b"\x0a\x01k\x12\x00"), ("ok", 2)),
}


@upb_only
@pytest.mark.parametrize("name", sorted(CHECKED))
def test_check_log_group_cases(name: str) -> None:
    data, expected = CHECKED[name]
    assert _check_outcome(data) == expected
    _assert_check_agrees(data)
    if expected[0] == "ok":
        assert native_check(data) == expected[1]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_check_log_group_agrees_on_hostile_bodies(name: str) -> None:
    _assert_check_agrees(HOSTILE[name])


# -- encode_log: one log's Logs entry (the producer's per-send path) -------------------------------

from aliyun.log._codec.encode import encode_log as pure_log  # noqa: E402

native_log = _speedups.encode_log


@SETTINGS
@given(log_tuple)
def test_encode_log_is_the_entry_encode_log_group_writes(entry: Any) -> None:
    second, nano, fields = entry
    expected = _outcome(pure_encode, [(second, nano, fields)], None, None, always_write_topic=False)
    assert _outcome(pure_log, second, nano, fields) == expected
    assert _outcome(native_log, second, nano, fields) == expected


BAD_ENTRIES = [e[0] for e in BAD_LOGS if isinstance(e, list) and e and isinstance(e[0], tuple) and len(e[0]) == 3]


@pytest.mark.parametrize("entry", BAD_ENTRIES, ids=repr)
def test_encode_log_rejects_what_encode_log_group_rejects(entry: Any) -> None:
    for encode in (pure_log, native_log):
        with pytest.raises(CodecError) as caught:
            encode(*entry)
        assert caught.value.code == "InvalidParameter"


def test_encode_log_takes_exactly_three_arguments() -> None:
    with pytest.raises(TypeError):
        native_log(1, None)
    with pytest.raises(TypeError):
        native_log(1, None, {}, None)


def test_encode_log_keeps_reference_counts() -> None:
    keyobj, val = "key-" + str(id(object())), "välue" + str(id(object()))
    good, bad = {keyobj: val}, {keyobj: 5}
    before = [sys.getrefcount(x) for x in (keyobj, val, good, bad)]
    for _ in range(2000):
        native_log(1700000000, 5, good)
        with pytest.raises(CodecError):
            native_log(1700000000, None, bad)
    assert [sys.getrefcount(x) for x in (keyobj, val, good, bad)] == before


# -- encode_fields: a logging record's values straight to one Logs entry -------------------------

from aliyun.log._codec.encode import encode_fields as pure_fields  # noqa: E402

native_fields = _speedups.encode_fields
field_value = st.one_of(
    text,
    st.none(),
    st.booleans(),
    st.integers(-(2**80), 2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    huge.filter(lambda v: isinstance(v, str)),
)


@SETTINGS
@given(seconds, st.lists(st.tuples(text, field_value), max_size=14), st.one_of(st.none(), pairs))
def test_encode_fields_agree(second: int, fields: Any, extra: Any) -> None:
    names = tuple(name for name, _ in fields)
    values = tuple(value for _, value in fields)
    expected = _outcome(pure_fields, second, names, values, extra)
    assert _outcome(native_fields, second, names, values, extra) == expected
    assert expected[0] == "ok" and expected[1] is not None
    # the entry is the one encode_log_group writes for the same log as text
    contents = [(n, v if isinstance(v, str) else str(v)) for n, v in fields if v is not None]
    assert expected[1] == pure_encode(
        [(second, None, contents + list(extra or ()))], None, None, always_write_topic=False
    )


class _Text(str):
    def __str__(self) -> str:  # pragma: no cover - never called by either encoder
        raise AssertionError("a subclass's __str__ must not run")


class _Number(int):
    pass


@pytest.mark.parametrize("odd", [b"bytes", _Text("x"), _Number(3), [1], {"a": 1}, 1j, object()])
def test_encode_fields_leave_other_types_to_the_caller(odd: Any) -> None:
    for encode in (pure_fields, native_fields):
        assert encode(1, ("a", "b"), ("text", odd), None) is None


@pytest.mark.parametrize(
    "args",
    [
        (-1, ("a",), ("v",), None),
        (2**32, ("a",), ("v",), None),
        (1, ("a", "b"), ("v",), None),
        (1, (None,), ("v",), None),
        (1, ("\ud800",), ("v",), None),
        (1, ("a",), ("\udfff",), None),
        (1, ("a",), ("v",), [("k", 1)]),
        (1, ("a",), ("v",), [("k",)]),
    ],
)
def test_encode_fields_raise_the_same_codec_error(args: Any) -> None:
    assert _outcome(native_fields, *args) == _outcome(pure_fields, *args)
    assert _outcome(native_fields, *args)[0] == "error"


def test_encode_fields_keep_reference_counts() -> None:
    name, value, number = "name-" + str(id(object())), "välue" + str(id(object())), 2**70 + id(object())
    names, values, extra = (name, name, name), (value, number, None), [(name, value)]
    before = [sys.getrefcount(x) for x in (name, value, number, names, values, extra)]
    for _ in range(2000):
        native_fields(1700000000, names, values, extra)
        assert native_fields(1, names, (value, object(), None), None) is None
        with pytest.raises(CodecError):
            native_fields(-1, names, values, extra)
        with pytest.raises(CodecError):
            native_fields(1, names, values, [(name, 5)])
    assert [sys.getrefcount(x) for x in (name, value, number, names, values, extra)] == before


def test_decoding_logs_sharing_keys_keeps_no_memory() -> None:
    """Nothing a decode makes outlives its result: memory is flat across many decodes, good and bad."""
    import tracemalloc

    same = [(1700000000 + n, n % 3 or None, [(f"k{f}", f"v{n}-{f}") for f in range(6)]) for n in range(50)]
    mixed = [*same[:10], (1, None, [("other", "x")]), *same[10:20]]
    bodies = [
        encode_log_group_list([pure_encode(same, "t", "s", [("a", "b")])]),
        encode_log_group_list([pure_encode(mixed, None, None)]),
    ]
    cut = bodies[0][: len(bodies[0]) * 2 // 3]  # fails inside a later log of the group
    for _ in range(20):  # warm caches and free lists
        for body in bodies:
            native_decode(body)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(500):
            for body in bodies:
                native_decode(body)
            with pytest.raises(CodecError):
                native_decode(cut)
        growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert growth < 64 * 1024, growth
