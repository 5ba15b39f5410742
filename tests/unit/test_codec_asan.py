"""The native codec built with AddressSanitizer, run briefly on random, cut and damaged input.

Builds a scratch copy of the extension with ``gcc -fsanitize=address,undefined`` and loads it in
a subprocess (libasan preloaded), where random batches are encoded and decoded by it and by the
pure codec and compared. Any out-of-bounds access or undefined behaviour aborts that process.
Skipped where gcc, libasan or the Python headers are missing, or off CPython.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import aliyun.log

ROOT = Path(__file__).resolve().parents[2]  # setup.py and the C sources
# Where this process imported the package from (a checkout, or site-packages under tox).
PACKAGE_ROOT = Path(aliyun.log.__file__).resolve().parents[2]

CHECK = r"""
import importlib.machinery, importlib.util, random, sys
loader = importlib.machinery.ExtensionFileLoader("aliyun.log._codec._speedups", sys.argv[1])
spec = importlib.util.spec_from_file_location("aliyun.log._codec._speedups", sys.argv[1], loader=loader)
native = importlib.util.module_from_spec(spec)
loader.exec_module(native)
from aliyun.log import LogItem
from aliyun.log._codec import CodecError, encode_log_group_list
from aliyun.log._codec.encode import encode_log_group as pure_encode
from aliyun.log._codec.encode import encode_fields as pure_fields
from aliyun.log._codec.encode import encode_record as pure_record
from aliyun.log._codec.select import decode_flat_logs_python as pure_decode
from aliyun.log._codec.decode import check_log_group as pure_check

rng = random.Random(17)
def text():
    return "".join(rng.choice("aé中\x00😀z") for _ in range(rng.randrange(0, 12)))
def value():
    return rng.choice([text(), text().encode(), bytes(rng.randrange(256) for _ in range(rng.randrange(6))), "x" * 5000])
def outcome(fn, *args):
    try:
        return ("ok", [[(k, type(k), v, type(v)) for k, v in row.items()] for row in fn(*args)])
    except CodecError as exc:
        return ("error", exc.code)

checked = 0
for _ in range(300):
    logs = []
    for _ in range(rng.randrange(0, 8)):
        contents = [(text(), value()) for _ in range(rng.randrange(0, 6))]
        nanos = rng.choice([None, -1, 0, 5, 999_999_999])
        if rng.random() < 0.3:
            logs.append(LogItem(rng.randrange(1, 2**32), contents, nanos))
        else:
            logs.append((rng.randrange(0, 2**32), nanos, dict(contents) if rng.random() < 0.3 else contents))
    tags = [(text(), text()) for _ in range(rng.randrange(0, 3))]
    body = pure_encode(logs, text(), text(), tags)
    assert native.encode_log_group(logs, None, None, tags) == pure_encode(logs, None, None, tags)
    for entry in logs:
        if isinstance(entry, tuple):
            assert native.encode_log(*entry) == pure_encode([entry], None, None, always_write_topic=False)
    import lz4.block
    original = body * rng.randrange(1, 4) + b"tail of literals"
    block = bytearray(lz4.block.compress(original, store_size=False))
    raw = len(original)
    assert native.lz4_decompress(bytes(block), raw) == original
    for _ in range(rng.randrange(1, 4)):
        block[rng.randrange(len(block))] = rng.randrange(256)
    try:
        native.lz4_decompress(bytes(block[: rng.randrange(len(block) + 1)]), rng.choice([raw, raw - 1, raw + 7, 1]))
    except CodecError:
        pass
    names = tuple(text() for _ in range(rng.randrange(0, 12)))
    values = tuple(rng.choice([text(), None, 7, -2**70, 1.5, True, b"b", "x" * 5000]) for _ in names)
    extra = rng.choice([None, [(text(), value()) for _ in range(2)]])
    second = rng.choice([0, 1_700_000_000, -1, 2**32])
    fields = [(fn, second, names, values, extra) for fn in (native.encode_fields, pure_fields)]
    results = []
    for fn, *args in fields:
        try:
            results.append(("ok", fn(*args)))
        except CodecError as exc:
            results.append(("error", exc.code))
    assert results[0] == results[1], results
    import logging
    msg = rng.choice(["plain", "%s and %d", "%d", text()])
    args = rng.choice([(), ("a", 5), (text(),), ("x",)])
    attributes = ("levelname", "lineno", "thread", "threadName", rng.choice(["name", "missing"]))
    names = ("message",) + tuple(text() or "n" for _ in attributes)
    allowed = rng.choice([None, frozenset(["x"]), frozenset(vars(logging.makeLogRecord({})))
                          | {"message", "taskName"}])
    flags = rng.choice([0, 1, 3])
    spec = (logging.LogRecord, names if flags & 1 else names[1:], attributes, flags, allowed)
    record = logging.LogRecord("app", 20, "/a.py", 3, msg, args, None)
    if rng.random() < 0.3:
        record.threadName = rng.choice([None, b"b", 2**70, "x" * 5000])
    results = []
    for fn in (native.encode_record, pure_record):
        try:
            results.append(("ok", fn(logging.makeLogRecord(dict(vars(record))), spec)))
        except CodecError as exc:
            results.append(("error", exc.code))
        except TypeError as exc:
            results.append(("type", None))
    assert results[0] == results[1], results
    data = encode_log_group_list([body, body])
    variants = [data[:cut] for cut in range(0, len(data), max(1, len(data) // 40))]
    for _ in range(30):
        damaged = bytearray(data)
        if damaged:
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        variants.append(bytes(damaged))
    for variant in variants:
        assert outcome(native.decode_flat_logs, variant) == outcome(pure_decode, variant)
        try:
            views = native.decode_views(variant)
            [(g.Topic, g.Source, [(c.Key, c.Value) for log in g.Logs for c in log.Contents]) for g in views]
        except CodecError:
            pass
        checked += 1
    for cut in range(0, len(body) + 1, max(1, len(body) // 20)):
        group = bytearray(body[:cut])
        if group and rng.random() < 0.5:
            group[rng.randrange(len(group))] = rng.randrange(256)
        count = native.check_log_group(bytes(group))
        if count is not None:  # vouched for: the pure check accepts it with the same count
            assert pure_check(bytes(group)) == count
        checked += 1
print("checked", checked)
"""


def _asan_runtime() -> str:
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc not found")
    found = subprocess.run([gcc, "-print-file-name=libasan.so"], capture_output=True, text=True).stdout.strip()
    if not os.path.isabs(found) or not os.path.exists(found):
        pytest.skip("libasan not found")
    return found


@pytest.mark.slow
def test_native_codec_under_address_sanitizer(tmp_path: Path) -> None:
    if platform.python_implementation() != "CPython":
        pytest.skip("the extension is CPython only")
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").exists():
        pytest.skip("Python headers not found")
    libasan = _asan_runtime()
    flags = "-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1"
    env = {**os.environ, "CC": "gcc", "CFLAGS": flags, "LDFLAGS": "-fsanitize=address,undefined"}
    build = subprocess.run(
        [sys.executable, "setup.py", "-q", "build_ext", "-b", str(tmp_path / "lib"), "-t", str(tmp_path / "tmp")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    built = list((tmp_path / "lib").rglob("_speedups*.so"))
    assert built, f"the sanitized build failed:\n{build.stdout}\n{build.stderr}"
    run = subprocess.run(
        [sys.executable, "-c", CHECK, str(built[0])],
        cwd=PACKAGE_ROOT,  # ``-c`` puts the working directory first on sys.path
        env={
            **os.environ,
            "PYTHONPATH": str(PACKAGE_ROOT),
            "LD_PRELOAD": libasan,
            "ASAN_OPTIONS": "detect_leaks=0",
            "UBSAN_OPTIONS": "print_stacktrace=1",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    assert run.stdout.startswith("checked ")
    assert int(run.stdout.split()[1]) > 1000
    assert b"__asan_init" in built[0].read_bytes(), "the module was not instrumented"
