"""Coverage-guided fuzzing of the native codec's entry points with atheris (not run by pytest).

Each input is checked differentially against the pure-Python codec, so the run finds wrong
answers as well as crashes:

* ``decode``: the bytes as a LogGroupList body; native and pure must both raise ``CodecError``
  or return the same dicts (types and key order included).
* ``encode``: the bytes drive a structured generator of logs (text, bytes, odd types, big ints,
  LogItems, dicts); both encoders must give the same bytes or both raise ``CodecError`` with one code,
  and ``encode_log`` of each ``(time, nanos, contents)`` entry must match the pure encoder's entry.
* ``fields``: the same generator drives ``encode_fields`` (a logging record's names and values,
  extra pairs); both must give the same bytes, both ``None``, or both one ``CodecError`` code.
* ``record``: the generator fills a ``logging.LogRecord`` (message, args, attributes of every
  kind, extras, a missing attribute, odd times) for ``encode_record`` with a generated spec; both
  must agree as for ``fields`` (a ``TypeError``, e.g. of ``msg % args``, counts as an outcome).
* ``lz4``: a block written by the lz4 package and then damaged, or arbitrary bytes, with a raw
  size; the native ``lz4_decompress`` must give what the lz4 package gives, or, where the two
  differ, refuse a block that the block-format model in ``tests/unit/test_codec_lz4.py``
  refuses too (the package takes an offset of 0).

Run (``pip install atheris``; for coverage of the C code and AddressSanitizer, build the
extension with clang in a scratch copy of the tree and preload atheris' ASan runtime)::

    CC=clang LDSHARED="clang -shared" CFLAGS="-fsanitize=fuzzer-no-link,address -g -O1" \
        LDFLAGS=-fsanitize=address python setup.py build_ext --inplace
    export LD_PRELOAD=$(python -c "import atheris; print(atheris.path())")/asan_with_fuzzer.so
    export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1
    nice -n 19 python tests/fuzz/fuzz_codec.py decode -max_total_time=600 CORPUS_DIR
    nice -n 19 python tests/fuzz/fuzz_codec.py encode -max_total_time=600 CORPUS_DIR
    nice -n 19 python tests/fuzz/fuzz_codec.py fields -max_total_time=600 CORPUS_DIR
    nice -n 19 python tests/fuzz/fuzz_codec.py lz4 -max_total_time=600 CORPUS_DIR
    nice -n 19 python tests/fuzz/fuzz_codec.py record -max_total_time=600 CORPUS_DIR

Without the clang build it still runs, guided by Python-level coverage only.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

with atheris.instrument_imports():
    import lz4.block
    from test_codec_lz4 import model as lz4_model

    from aliyun.log import LogItem
    from aliyun.log._codec import CodecError, _speedups
    from aliyun.log._codec.encode import encode_fields as pure_fields
    from aliyun.log._codec.encode import encode_log as pure_log
    from aliyun.log._codec.encode import encode_log_group as pure_encode
    from aliyun.log._codec.encode import encode_record as pure_record
    from aliyun.log._codec.select import decode_flat_logs_python as pure_decode


def _rows(flat: list[dict[str, Any]]) -> list[list[tuple[Any, type, Any, type]]]:
    return [[(k, type(k), v, type(v)) for k, v in row.items()] for row in flat]


def _outcome(fn: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "ok", fn(*args)
    except CodecError as exc:
        return "error", exc.code


def fuzz_decode(data: bytes) -> None:
    native = _outcome(_speedups.decode_flat_logs, data)
    pure = _outcome(pure_decode, data)
    if native[0] != pure[0]:
        raise AssertionError(f"native {native[0]} but pure {pure[0]} for {data!r}")
    if native[0] == "ok" and _rows(native[1]) != _rows(pure[1]):
        raise AssertionError(f"different dicts for {data!r}")


def _scalar(fdp: atheris.FuzzedDataProvider) -> Any:
    kind = fdp.ConsumeIntInRange(0, 9)
    if kind <= 3:
        return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 40))
    if kind == 4:
        return fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 8))  # may hold surrogates
    if kind <= 6:
        return fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 40))
    if kind == 7:
        return bytearray(fdp.ConsumeBytes(4))
    if kind == 8:
        return memoryview(fdp.ConsumeBytes(4))
    return fdp.PickValueInList([None, 0, 1, -1, 1.5, True, 2**40, (), ["a", "b"]])


def _number(fdp: atheris.FuzzedDataProvider) -> Any:
    kind = fdp.ConsumeIntInRange(0, 5)
    if kind <= 2:
        return fdp.ConsumeIntInRange(0, 0xFFFFFFFF)
    if kind == 3:
        return fdp.ConsumeInt(12)  # up to 96 bits, either sign
    return fdp.PickValueInList([None, -1, 999_999_999, 1_000_000_000, 1.0, "1", True, [1]])


def _logs(fdp: atheris.FuzzedDataProvider) -> list[Any]:
    logs: list[Any] = []
    for _ in range(fdp.ConsumeIntInRange(0, 6)):
        pairs = [(_scalar(fdp), _scalar(fdp)) for _ in range(fdp.ConsumeIntInRange(0, 6))]
        contents: Any = dict(pair for pair in pairs if _hashable(pair[0])) if fdp.ConsumeBool() else pairs
        shape = fdp.ConsumeIntInRange(0, 3)
        if shape == 0:
            logs.append((_number(fdp), _number(fdp), contents))
        elif shape == 1:
            logs.append([_number(fdp), _number(fdp), contents])
        elif shape == 2:
            item = LogItem(1)
            item.timestamp, item.time_nano_part, item.contents = _number(fdp), _number(fdp), contents
            logs.append(item)
        else:
            logs.append(_scalar(fdp))
    return logs


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except (TypeError, ValueError):
        return False
    return True


def fuzz_encode(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    logs = _logs(fdp)
    topic, source, uuid = _scalar(fdp), _scalar(fdp), _scalar(fdp)
    tags = [(_scalar(fdp), _scalar(fdp)) for _ in range(fdp.ConsumeIntInRange(0, 3))]
    write = fdp.ConsumeBool()
    native = _outcome(lambda: _speedups.encode_log_group(logs, topic, source, tags, uuid, always_write_topic=write))
    pure = _outcome(lambda: pure_encode(logs, topic, source, tags, uuid, always_write_topic=write))
    if native != pure:
        raise AssertionError(f"encoders disagree: native {native!r} pure {pure!r} for {logs!r}")
    for entry in logs:  # each (time, nanos, contents) entry alone through encode_log
        if type(entry) is tuple:
            one, alone = _outcome(_speedups.encode_log, *entry), _outcome(pure_log, *entry)
            if one != alone:
                raise AssertionError(f"encode_log disagrees: {one!r} vs {alone!r} for {entry!r}")


def fuzz_fields(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    seconds = _number(fdp)
    count = fdp.ConsumeIntInRange(0, 12)
    names = tuple(_scalar(fdp) for _ in range(count))
    # mostly the same length as names; sometimes not (an error both must report alike)
    values = tuple(_scalar(fdp) for _ in range(count if fdp.ConsumeIntInRange(0, 9) else fdp.ConsumeIntInRange(0, 12)))
    extra = None if fdp.ConsumeBool() else [(_scalar(fdp), _scalar(fdp)) for _ in range(fdp.ConsumeIntInRange(0, 3))]
    native = _outcome(_speedups.encode_fields, seconds, names, values, extra)
    pure = _outcome(pure_fields, seconds, names, values, extra)
    if native != pure:
        raise AssertionError(f"encode_fields disagree: native {native!r} pure {pure!r} for {names!r} {values!r}")


_ATTRIBUTES = ("name", "levelname", "lineno", "thread", "threadName", "process", "module", "user", "missing")
_ALLOWED = frozenset(vars(logging.makeLogRecord({}))) | {"message", "taskName"}


def _record_outcome(fn: Any, record: logging.LogRecord, spec: Any) -> tuple[str, Any]:
    try:
        return _outcome(fn, logging.makeLogRecord(dict(vars(record))), spec)
    except (TypeError, ValueError, OverflowError) as exc:
        return "raised", type(exc).__name__


def fuzz_record(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    msg = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 20)) if fdp.ConsumeBool() else _scalar(fdp)
    args = tuple(_scalar(fdp) for _ in range(fdp.ConsumeIntInRange(0, 3)))
    record = logging.LogRecord("app", logging.INFO, "/srv/a.py", 7, msg, args, None)
    for _ in range(fdp.ConsumeIntInRange(0, 4)):
        record.__dict__[_ATTRIBUTES[fdp.ConsumeIntInRange(0, len(_ATTRIBUTES) - 1)]] = _scalar(fdp)
    if fdp.ConsumeIntInRange(0, 9) == 0:
        record.created = _number(fdp)
    attributes = tuple(
        _ATTRIBUTES[fdp.ConsumeIntInRange(0, len(_ATTRIBUTES) - 1)] for _ in range(fdp.ConsumeIntInRange(0, 6))
    )
    flags = fdp.ConsumeIntInRange(0, 3)
    names = tuple(_scalar(fdp) for _ in range(len(attributes) + (flags & 1)))
    spec = (logging.LogRecord, names, attributes, flags, _ALLOWED if fdp.ConsumeBool() else None)
    native = _record_outcome(_speedups.encode_record, record, spec)
    pure = _record_outcome(pure_record, record, spec)
    if native != pure:
        raise AssertionError(f"encode_record disagree: native {native!r} pure {pure!r} for {vars(record)!r} {spec!r}")


def _lz4_outcome(fn: Any, data: bytes, size: int) -> tuple[str, Any]:
    try:
        out = fn(data, size)
    except (CodecError, lz4.block.LZ4BlockError, ValueError):
        return "error", None
    return ("ok", out) if len(out) == size else ("error", None)


def fuzz_lz4(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    if fdp.ConsumeBool():  # a real block, then damaged: the decoder's interesting paths
        original = fdp.ConsumeBytes(fdp.ConsumeIntInRange(1, 4096)) * fdp.ConsumeIntInRange(1, 8) or b"x"
        block = bytearray(lz4.block.compress(original, store_size=False))
        for _ in range(fdp.ConsumeIntInRange(0, 3)):
            block[fdp.ConsumeIntInRange(0, len(block) - 1)] = fdp.ConsumeIntInRange(0, 255)
        size = len(original) + fdp.ConsumeIntInRange(-2, 2)
    else:
        size = fdp.ConsumeIntInRange(1, 70_000)
        block = bytearray(fdp.ConsumeBytes(fdp.remaining_bytes()))
    size = max(size, 1)
    native = _lz4_outcome(_speedups.lz4_decompress, bytes(block), size)
    reference = _lz4_outcome(lambda d, n: lz4.block.decompress(d, uncompressed_size=n), bytes(block), size)
    if native == reference:
        return
    # they differ: only a block the format refuses and the package takes (offset 0) may do that
    expected = lz4_model(bytes(block), size)
    if native[0] == "ok" or expected != "error":
        raise AssertionError(f"lz4 decoder disagrees with the format for {bytes(block)[:80]!r} (size {size})")


def main() -> None:
    targets = {
        "decode": fuzz_decode,
        "encode": fuzz_encode,
        "fields": fuzz_fields,
        "record": fuzz_record,
        "lz4": fuzz_lz4,
    }
    if len(sys.argv) < 2 or sys.argv[1] not in targets:
        raise SystemExit(f"usage: {sys.argv[0]} {{decode|encode|fields|record|lz4}} [libFuzzer options]")
    target = targets[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
