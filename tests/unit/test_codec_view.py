"""Views of a pulled LogGroupList (native): the same field values as the protobuf messages, the rest through them."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from aliyun.log._codec import CodecError, decode_log_group_list, encode_log_group_list  # noqa: E402
from aliyun.log._codec.encode import encode_log_group as pure_encode  # noqa: E402
from aliyun.log._codec.view import VIEWS_AVAILABLE, LogGroupListView, decode_log_group_list_view  # noqa: E402

if not VIEWS_AVAILABLE:  # pragma: no cover - depends on the build
    pytest.skip("native codec not built: views are the messages themselves", allow_module_level=True)

from google.protobuf import json_format  # noqa: E402
from google.protobuf.internal import api_implementation  # noqa: E402

upb_only = pytest.mark.skipif(api_implementation.Type() != "upb", reason="reference decoding is upb's")

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
blob = st.binary(max_size=20)
value = st.one_of(text, blob)
contents = st.lists(st.tuples(value, value), max_size=6)
log = st.tuples(st.integers(0, 0xFFFFFFFF), st.one_of(st.none(), st.integers(0, 999_999_999)), contents)
group = st.tuples(
    st.lists(log, max_size=6),
    st.one_of(st.none(), value),
    st.one_of(st.none(), value),
    st.lists(st.tuples(value, value), max_size=3),
    st.one_of(st.none(), text),
)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _walk(groups: Any) -> list[Any]:
    out: list[Any] = []
    for item in groups.LogGroups:
        out.append((item.Topic, item.Source, item.MachineUUID, item.Reserved, [(t.Key, t.Value) for t in item.LogTags]))
        for entry in item.Logs:
            out.append(
                (entry.Time, entry.Time_ns, [(c.Key, type(c.Key), c.Value, type(c.Value)) for c in entry.Contents])
            )
    return out


def _body(groups: list[Any]) -> bytes:
    return encode_log_group_list(
        [pure_encode(logs, topic, source, tags, uuid) for logs, topic, source, tags, uuid in groups]
    )


@upb_only
@SETTINGS
@given(st.lists(group, max_size=4))
def test_views_read_like_the_messages(groups: list[Any]) -> None:
    body = _body(groups)
    view = decode_log_group_list_view(body)
    message = decode_log_group_list(body)
    assert isinstance(view, LogGroupListView)
    assert _walk(view) == _walk(message)
    assert view == message
    for got, want in zip(view.LogGroups, message.LogGroups):
        assert got.SerializeToString() == want.SerializeToString()
        for got_log, want_log in zip(got.Logs, want.Logs):
            assert got_log.HasField("Time_ns") == want_log.HasField("Time_ns")
            assert got_log == want_log


def _assert_same_outcome(data: bytes) -> None:
    try:
        message = decode_log_group_list(data)
    except CodecError:
        with pytest.raises(CodecError):
            decode_log_group_list_view(data)
        return
    assert _walk(decode_log_group_list_view(data)) == _walk(message)


@upb_only
@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=150))
def test_arbitrary_bytes_give_the_same_outcome(data: bytes) -> None:
    _assert_same_outcome(data)


@upb_only
@settings(max_examples=200, deadline=None)
@given(st.lists(group, min_size=1, max_size=2), st.data())
def test_damaged_bodies_give_the_same_outcome(groups: list[Any], data: Any) -> None:
    body = bytearray(_body(groups))
    index = data.draw(st.integers(0, len(body) - 1))
    body[index] = data.draw(st.integers(0, 255))
    _assert_same_outcome(bytes(body))


def test_message_methods_go_through_the_message() -> None:
    body = _body([([(1_700_000_000, 7, [("k", "v")])], "topic", "src", [("tk", "tv")], None)])
    view = decode_log_group_list_view(body)
    group_view = view.LogGroups[0]
    assert group_view.HasField("Topic") and not group_view.HasField("MachineUUID")
    assert json_format.MessageToDict(group_view)["Topic"] == "topic"
    assert pickle.loads(pickle.dumps(group_view)) == decode_log_group_list(body).LogGroups[0]
    assert view.ByteSize() == len(body) and view.SerializeToString() == body
    assert "topic" in str(group_view) and "LogGroupView" in repr(group_view)
    assert view.LogGroups[0].LogTags[0].to_message().Key == "tk"
    assert view.LogGroups[0].Logs[0].Contents[0].to_message().Value == "v"
    with pytest.raises(AttributeError):
        view.LogGroups[0].Logs[0].Contents[0].Key = "changed"  # read-only fields
    with pytest.raises(AttributeError):
        getattr(view, "no_such_field")  # noqa: B009


def test_views_are_made_only_by_the_decoder() -> None:
    body = _body([([(1, None, [("k", "v")])], "t", "s", [], None)])
    log_type = type(decode_log_group_list_view(body).LogGroups[0].Logs[0])
    with pytest.raises(TypeError):
        log_type()


def test_no_reference_is_leaked() -> None:
    import sys

    body = _body([([(1, None, [("k", "v" * 50)]), (2, 3, [("k", b"\xff")])], "t", "s", [("a", "b")], "u")] * 3)
    before = sys.getrefcount(body)
    for _ in range(2000):
        view = decode_log_group_list_view(body)
        _walk(view)
    del view
    assert sys.getrefcount(body) == before
    for cut in range(len(body)):  # failures part-way release what was built
        try:
            decode_log_group_list_view(body[:cut])
        except CodecError:
            pass
    assert sys.getrefcount(body) == before
