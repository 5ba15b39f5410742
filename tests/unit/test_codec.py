"""LogGroup protobuf encoder/decoder and body compression."""

from __future__ import annotations

import base64
import gzip
import os
import pickle
import random
import subprocess
import sys
import textwrap
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional, Union

import pytest
from _oracle import official_interpreter

from aliyun.log import _codec
from aliyun.log._codec import (
    CodecError,
    CompressType,
    Log,
    LogGroup,
    LogGroupList,
    LogGroupListRaw,
    LogGroupRaw,
    available,
    compress,
    decode_log_group,
    decode_log_group_list,
    decompress,
    encode_log_group,
    encode_log_group_list,
    flatten_log_group_list,
    iter_log_groups,
    split_log_group_list,
)
from aliyun.log._codec import decode as decode_module

ROOT = Path(__file__).resolve().parents[2]

# the wire test vector of docs/protocol.md "Bodies":
# Time=1700000000, k=v, Time_ns=7, Topic "topic", Source "10.0.0.1", tag tk=tv.
WIRE_VECTOR = bytes.fromhex(
    "0a130880e2cfaa0612060a016b12017625070000001a05746f706963220831302e302e302e3132080a02746b12027476"
)
WIRE_VECTOR_LZ4_B64 = "8CEKEwiA4s+qBhIGCgFrEgF2JQcAAAAaBXRvcGljIggxMC4wLjAuMTIICgJ0axICdHY="

# Serialized by the official SDK 0.9.52 (its log_logs_pb2 / log_logs_raw_pb2 on protobuf 5.29).
OFFICIAL_LIST = bytes.fromhex(
    "0a82010a360880e2cfaa0612140a036d7367120d68c3a96c6c6f20e4b896e7958c12090a05656d707479120012080a026b32"
    "12027632257b0000000a0e0881e2cfaa0612060a01611201621a0774c3b37069636f220831302e302e302e3132180a0d5f5f"
    "636c69656e745f69705f5f1207312e322e332e34320b0a016b1206e4b8ade696870a140a0a080512060a01781201792a0675"
    "7569642d31"
)
OFFICIAL_RAW_LIST = bytes.fromhex(
    "0a2c0a250880e2cfaa06120c0a0362696e1205fffe006f6b120a0a047465787412026f6b25010000001a00220173"
)
OFFICIAL_FLAT = [
    {
        "__time__": 1700000000,
        "__topic__": "tópico",
        "__source__": "10.0.0.1",
        "__time_ns_part__": 123,
        "__tag__:__client_ip__": "1.2.3.4",
        "__tag__:k": "中文",
        "msg": "héllo 世界",
        "empty": "",
        "k2": "v2",
    },
    {
        "__time__": 1700000001,
        "__topic__": "tópico",
        "__source__": "10.0.0.1",
        "__tag__:__client_ip__": "1.2.3.4",
        "__tag__:k": "中文",
        "a": "b",
    },
    {"__time__": 5, "__topic__": "", "__source__": "", "x": "y"},
]

Contents = Sequence[tuple[str, Union[str, bytes]]]


def via_protobuf(
    logs: Sequence[tuple[int, Optional[int], Contents]],
    topic: Optional[str],
    source: Optional[str],
    tags: Sequence[tuple[str, str]] = (),
    machine_uuid: Optional[str] = None,
) -> bytes:
    """The reference: the same group built with the runtime's message classes."""
    group = LogGroupRaw()
    for seconds, nanos, contents in logs:
        log = group.Logs.add()
        log.Time = seconds
        for key, value in contents:
            content = log.Contents.add()
            content.Key = key
            content.Value = value.encode() if isinstance(value, str) else value
        if nanos is not None and nanos >= 0:
            log.Time_ns = nanos
    if topic is not None:
        group.Topic = topic
    if source is not None:
        group.Source = source
    if machine_uuid is not None:
        group.MachineUUID = machine_uuid
    for key, value in tags:
        tag = group.LogTags.add()
        tag.Key = key
        tag.Value = value
    data: bytes = group.SerializeToString()
    return data


# ----------------------------------------------------------------------------------- encoder


def test_wire_vector() -> None:
    data = encode_log_group([(1700000000, 7, [("k", "v")])], "topic", "10.0.0.1", [("tk", "tv")])
    assert len(data) == 48
    assert data == WIRE_VECTOR
    for cls in (LogGroup, LogGroupRaw):
        parsed = cls.FromString(data)
        assert parsed.SerializeToString() == WIRE_VECTOR
    assert decompress("lz4", base64.b64decode(WIRE_VECTOR_LZ4_B64), 48) == WIRE_VECTOR


def test_empty_topic_is_written_like_the_official_client() -> None:
    data = encode_log_group([(1, None, [])], None, None)
    assert data.endswith(b"\x1a\x00")
    group = LogGroup.FromString(data)
    assert group.HasField("Topic") and group.Topic == ""
    assert not group.HasField("Source")
    assert not group.Logs[0].HasField("Time_ns")


def test_optional_group_fields_can_be_omitted() -> None:
    data = encode_log_group([(1, -1, [("a", "b")])], None, None, always_write_topic=False)
    group = LogGroup.FromString(data)
    for name in ("Topic", "Source", "MachineUUID", "Reserved"):
        assert not group.HasField(name)
    assert not group.Logs[0].HasField("Time_ns")
    data = encode_log_group([], "", "", machine_uuid="m", always_write_topic=False)
    group = LogGroup.FromString(data)
    assert (group.Topic, group.Source, group.MachineUUID, len(group.Logs)) == ("", "", "m", 0)
    assert group.HasField("Topic") and group.HasField("Source")


@pytest.mark.parametrize("seed", range(8))
def test_encoder_matches_protobuf_runtime(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = "abcxyz _-=/\n\t\"'\\é中😀\x00"

    def text(limit: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, limit)))

    logs: list[tuple[int, Optional[int], Contents]] = []
    for _ in range(rng.randint(0, 60)):
        contents: list[tuple[str, Union[str, bytes]]] = []
        for _ in range(rng.randint(0, 12)):
            size = rng.choice((3, 20, 200, 20000))
            value: Union[str, bytes] = text(size) if rng.random() < 0.8 else rng.randbytes(rng.randint(0, size))
            contents.append((rng.choice(("k", "key", "ключ", "")) + text(3), value))
        seconds = rng.choice((0, 1, 127, 128, 1700000000, 2**32 - 1))
        nanos = rng.choice((None, -1, 0, 7, 999_999_999))
        logs.append((seconds, nanos, contents))
    topic = rng.choice((None, "", "topic", text(300)))
    source = rng.choice((None, "", "10.0.0.1"))
    uuid = rng.choice((None, "", "machine"))
    tags = [(text(5), text(200)) for _ in range(rng.randint(0, 3))]
    expected = via_protobuf(logs, topic if topic is not None else "", source, tags, uuid)
    assert encode_log_group(logs, topic, source, tags, uuid) == expected


def test_many_logs_round_trip() -> None:
    logs = [(1700000000 + i, i % 1000, [(f"f{j}", f"value {i} {j}") for j in range(10)]) for i in range(5000)]
    data = encode_log_group(logs, "t", "s", [("tag", "v")])
    flat = flatten_log_group_list(decode_log_group_list(encode_log_group_list([data])))
    assert len(flat) == 5000
    assert flat[4321]["f7"] == "value 4321 7"
    assert flat[4321]["__time__"] == 1700004321
    assert flat[4321]["__time_ns_part__"] == 321
    assert "__time_ns_part__" not in flat[0]  # 0 is "not set" in the flattened view


def test_bytes_keys_and_buffer_values() -> None:
    buffers: Any = [(b"k", bytearray(b"v")), ("m", memoryview(b"w"))]  # accepted beyond the declared str | bytes
    data = encode_log_group([(1, 2, buffers)], "t", None)
    group = LogGroup.FromString(data)
    assert [(c.Key, c.Value) for c in group.Logs[0].Contents] == [("k", "v"), ("m", "w")]


@pytest.mark.parametrize(
    "logs",
    [
        [(-1, None, [])],
        [(2**32, None, [])],
        [(1.5, None, [])],
        [("1", None, [])],
        [(1, 1_000_000_000, [])],
        [(1, None, [("k", 5)])],
        [(1, None, [("k", None)])],
        [(1, None, [(5, "v")])],
        [(1, None, [("k", "\ud800")])],
        [(1, None, [("k",)])],
        [(1, None)],
        [None],
    ],
)
def test_encoder_rejects_bad_input(logs: Any) -> None:
    with pytest.raises(CodecError) as info:
        encode_log_group(logs, "t", None)
    assert info.value.code == "InvalidParameter"


def test_encoder_rejects_bad_group_fields() -> None:
    with pytest.raises(CodecError):
        encode_log_group([], "t", None, [("k", 1)])  # type: ignore[list-item]
    with pytest.raises(CodecError):
        encode_log_group([], 5, None)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------- decoder


def test_decode_official_fixture() -> None:
    lgl = decode_log_group_list(OFFICIAL_LIST)
    assert flatten_log_group_list(lgl) == OFFICIAL_FLAT
    # Same key order as the official get_flatten_logs_json().
    assert [list(d) for d in flatten_log_group_list(lgl)] == [list(d) for d in OFFICIAL_FLAT]
    assert lgl.LogGroups[1].MachineUUID == "uuid-1"
    assert lgl.SerializeToString() == OFFICIAL_LIST
    assert [g.Topic for g in iter_log_groups(OFFICIAL_LIST)] == ["tópico", ""]


def test_decode_official_raw_fixture_with_non_utf8_value() -> None:
    lgl = decode_log_group_list(OFFICIAL_RAW_LIST)
    flat = flatten_log_group_list(lgl)
    # upb keeps the text variant and returns only the bad value as bytes; a backend that
    # validates UTF-8 (the pure-Python one, PyPy's) falls back to the raw variant, where every
    # content value is bytes: flattening still gives the UTF-8 ones as text, as upb does.
    text = "ok"
    assert flat == [
        {
            "__time__": 1700000000,
            "__topic__": "",
            "__source__": "s",
            "__time_ns_part__": 1,
            "bin": b"\xff\xfe\x00ok",
            "text": text,
        }
    ]
    assert LogGroupListRaw.FromString(OFFICIAL_RAW_LIST).LogGroups[0].Logs[0].Contents[0].Value == b"\xff\xfe\x00ok"


def test_raw_values_round_trip() -> None:
    data = encode_log_group([(1, None, [("bin", b"\x80\xff"), ("txt", "ok")])], None, None)
    group = decode_log_group(data)
    values = [c.Value for c in group.Logs[0].Contents]
    assert values[0] == b"\x80\xff"
    assert values[1] in ("ok", b"ok")


def test_fallback_to_raw_variant_when_text_parse_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    class Strict:
        def ParseFromString(self, data: bytes) -> None:  # protobuf spells it this way
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    monkeypatch.setattr(decode_module, "LogGroupList", Strict)
    lgl = decode_log_group_list(OFFICIAL_RAW_LIST)
    assert isinstance(lgl, LogGroupListRaw)
    assert lgl.LogGroups[0].Logs[0].Contents[0].Value == b"\xff\xfe\x00ok"


def test_pure_python_backend_falls_back_to_raw() -> None:
    # The pure-Python protobuf backend validates UTF-8 (upb does not): exercise the real fallback.
    script = textwrap.dedent(
        f"""
        from google.protobuf.internal import api_implementation
        assert api_implementation.Type() == "python", api_implementation.Type()
        from aliyun.log._codec import decode_log_group_list, flatten_log_group_list, LogGroupListRaw
        lgl = decode_log_group_list(bytes.fromhex("{OFFICIAL_RAW_LIST.hex()}"))
        assert isinstance(lgl, LogGroupListRaw), type(lgl)
        assert flatten_log_group_list(lgl)[0]["bin"] == b"\\xff\\xfe\\x00ok"
        assert flatten_log_group_list(lgl)[0]["text"] == "ok"  # the UTF-8 values of that list are text
        assert flatten_log_group_list(decode_log_group_list(bytes.fromhex("{OFFICIAL_LIST.hex()}")))[0]["msg"]
        """
    )
    env = {**os.environ, "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION": "python", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_decode_log_group_enforces_required_fields() -> None:
    assert decode_log_group(WIRE_VECTOR).Topic == "topic"
    for bad in (b"\x0a\x00", b"\x0a\x04\x08\x01\x12\x00", b"\x32\x02\x0a\x00"):
        with pytest.raises(CodecError) as info:
            decode_log_group(bad)
        assert info.value.code == "PostBodyInvalid"
    # The list decoder (client side) stays lenient.
    assert decode_log_group_list(b"\x0a\x02\x0a\x00").LogGroups[0].Logs[0].Time == 0


@pytest.mark.parametrize("bad", [b"\x0a\x05abc", b"\xff\xff\xff", b"\x0a", b"\x08\x80"])
def test_decode_garbage(bad: bytes) -> None:
    for fn in (decode_log_group_list, decode_log_group, split_log_group_list):
        with pytest.raises(CodecError) as info:
            fn(bad)
        assert info.value.code == "PostBodyInvalid"


def test_decode_fuzz_raises_only_codec_errors() -> None:
    rng = random.Random(42)
    samples = [rng.randbytes(rng.randint(0, 64)) for _ in range(300)]
    # Mutations of a valid message reach deeper into the parser than pure noise.
    for _ in range(300):
        data = bytearray(OFFICIAL_LIST)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        samples.append(bytes(data[: rng.randint(0, len(data))]))
    for sample in samples:
        for fn in (decode_log_group_list, decode_log_group, split_log_group_list):
            try:
                result = fn(sample)
                if fn is decode_log_group_list:
                    flatten_log_group_list(result)
            except CodecError:
                pass


def test_decode_accepts_memoryview() -> None:
    buf = bytearray(b"junk" + OFFICIAL_LIST)
    assert flatten_log_group_list(decode_log_group_list(memoryview(buf)[4:])) == OFFICIAL_FLAT


def test_split_and_join_log_group_lists() -> None:
    groups = split_log_group_list(OFFICIAL_LIST)
    assert len(groups) == 2
    assert encode_log_group_list(groups) == OFFICIAL_LIST
    assert decode_log_group(groups[0]).Topic == "tópico"
    assert split_log_group_list(b"") == []
    assert encode_log_group_list([]) == b""
    # Unknown fields of the list message are skipped, not returned as groups.
    assert split_log_group_list(b"\x10\x01\x1d\x00\x00\x00\x00" + OFFICIAL_LIST) == groups


def test_messages_pickle_and_expose_official_field_names() -> None:
    lgl = decode_log_group_list(OFFICIAL_LIST)
    assert pickle.loads(pickle.dumps(lgl)) == lgl
    content = lgl.LogGroups[0].Logs[0].Contents[0]
    assert pickle.loads(pickle.dumps(content)) == content
    assert type(content) is Log.Content
    assert {f.name for f in LogGroup.DESCRIPTOR.fields} == {
        "Logs",
        "Reserved",
        "Topic",
        "Source",
        "MachineUUID",
        "LogTags",
    }
    assert LogGroupList.DESCRIPTOR.full_name == "aliyun_log_sdk.v1.LogGroupList"


# ------------------------------------------------------------------------------- compression

KINDS = sorted(available() - {""})


def test_available_kinds() -> None:
    assert {"", "lz4", "zstd", "deflate", "gzip"} <= available()
    assert CompressType.NONE == "" and CompressType.LZ4 == "lz4" and CompressType.GZIP == "gzip"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("size", [1, 48, 100_000])
def test_compression_round_trip(kind: str, size: int) -> None:
    data = (WIRE_VECTOR * (size // 48 + 1))[:size]
    packed = compress(kind, data)
    assert decompress(kind, packed, len(data)) == data
    assert decompress(kind.upper(), packed, len(data), max_size=len(data)) == data


def test_compression_formats() -> None:
    data = b"abc" * 100
    assert compress("deflate", data)[:1] == b"\x78"  # zlib container, not raw deflate
    assert zlib.decompress(compress("gzip", data)) == data
    assert compress("zstd", data)[:4] == b"\x28\xb5\x2f\xfd"  # standard zstd frame magic
    import lz4.block

    assert lz4.block.decompress(compress("lz4", data), uncompressed_size=len(data)) == data
    # A real gzip stream under the name gzip is tolerated too.
    assert decompress("gzip", gzip.compress(data), len(data)) == data
    assert compress("", data) is data and decompress("", data, 5) is data


@pytest.mark.parametrize("kind", KINDS)
def test_raw_size_guards(kind: str) -> None:
    data = bytes(range(256)) * 40
    packed = compress(kind, data)
    with pytest.raises(CodecError) as info:
        decompress(kind, packed, len(data), max_size=len(data) - 1)
    assert info.value.code == "PostBodyTooLarge"
    with pytest.raises(CodecError) as info:
        decompress(kind, packed, -1)
    assert info.value.code == "InvalidBodyRawSize"
    for wrong in (len(data) - 1, len(data) + 1, 1):
        with pytest.raises(CodecError) as info:
            decompress(kind, packed, wrong)
        assert info.value.code == "DecompressError", wrong
    assert decompress(kind, packed, 0) == b""


def test_zstd_header_cannot_force_a_huge_allocation() -> None:
    import zstandard

    packed = zstandard.ZstdCompressor(level=1).compress(b"x" * 1000)
    # Rewrite the declared size: the decoder must refuse before allocating it.
    lying = bytearray(zstandard.ZstdCompressor(level=1).compress(b"x" * 2**20))
    assert zstandard.get_frame_parameters(bytes(lying)).content_size == 2**20
    with pytest.raises(CodecError) as info:
        decompress("zstd", bytes(lying), 1000, max_size=10_000)
    assert info.value.code == "DecompressError"
    unknown = zstandard.ZstdCompressor(level=1, write_content_size=False).compress(b"x" * 5000)
    assert decompress("zstd", unknown, 5000) == b"x" * 5000
    with pytest.raises(CodecError):
        decompress("zstd", unknown, 1000)  # bounded output, no over-read
    assert decompress("zstd", packed, 1000) == b"x" * 1000


def test_zlib_bomb_is_bounded() -> None:
    bomb = zlib.compress(b"\x00" * 50_000_000)
    assert len(bomb) < 100_000
    with pytest.raises(CodecError) as info:
        decompress("deflate", bomb, 1000)
    assert info.value.code == "DecompressError"


@pytest.mark.parametrize("kind", KINDS)
def test_decompress_garbage(kind: str) -> None:
    rng = random.Random(kind)
    for _ in range(200):
        sample = rng.randbytes(rng.randint(0, 80))
        try:
            decompress(kind, sample, rng.choice((1, 10, 1000)))
        except CodecError as exc:
            assert exc.code == "DecompressError"


def test_unsupported_kind() -> None:
    with pytest.raises(CodecError) as info:
        compress("brotli", b"x")
    assert info.value.code == "UnsupportedCompressType"
    with pytest.raises(CodecError) as info:
        decompress("snappy", b"x", 1)
    assert info.value.code == "UnsupportedCompressType"


def test_missing_optional_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "zstandard", None)  # makes `import zstandard` fail
    with pytest.raises(CodecError) as info:
        compress("zstd", b"x")
    assert info.value.code == "UnsupportedCompressType"
    assert "zstandard" in info.value.message
    assert "zstd" not in available()
    with pytest.raises(CodecError):
        decompress("zstd", b"x", 1)


# ----------------------------------------------------------------------------- official SDK


def test_coexists_and_interoperates_with_the_official_sdk() -> None:
    # Both SDKs in one process (official runtime: protobuf 5.x): no descriptor clash, and each side
    # reads what the other wrote. Our package is grafted onto the official aliyun.log package.
    script = textwrap.dedent(
        f"""
        import aliyun.log
        from aliyun.log import log_logs_pb2, log_logs_raw_pb2
        aliyun.log.__path__.append({str(ROOT / "aliyun" / "log")!r})
        from aliyun.log._codec import (decode_log_group_list, encode_log_group, flatten_log_group_list,
                                       LogGroup, LogGroupList)
        ours = encode_log_group([(1700000000, 7, [("k", "v"), ("b", b"\\xff")])], "topic", "10.0.0.1", [("tk", "tv")])
        theirs = log_logs_raw_pb2.LogGroupRaw()
        theirs.ParseFromString(ours)
        assert theirs.SerializeToString() == ours
        assert theirs.Logs[0].Contents[1].Value == b"\\xff"
        official = log_logs_pb2.LogGroupList()
        group = official.LogGroups.add()
        group.ParseFromString(bytes.fromhex("{WIRE_VECTOR.hex()}"))
        flat = flatten_log_group_list(decode_log_group_list(official.SerializeToString()))
        assert flat[0]["k"] == "v" and flat[0]["__time_ns_part__"] == 7, flat
        assert LogGroup.DESCRIPTOR.full_name == "aliyun_log_sdk.v1.LogGroup"
        assert log_logs_pb2.LogGroup.DESCRIPTOR.full_name == "LogGroup"
        """
    )
    proc = subprocess.run([official_interpreter(), "-I", "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_codec_package_exports() -> None:
    assert set(_codec.__all__) >= {"encode_log_group", "decode_log_group_list", "CodecError", "LogGroupRaw"}


def test_the_documented_wire_vector_is_the_one_tested_here() -> None:
    protocol = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    assert WIRE_VECTOR.hex() in protocol
    assert WIRE_VECTOR_LZ4_B64 in protocol
