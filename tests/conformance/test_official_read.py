"""The official SDK's cursor and pull calls against the emulator (signatures v1 and v4).

The emulator runs on a :class:`ManualClock`, so log groups get receive times that are far apart and
known: cursors by time can be checked exactly. Data is written both by our client (in-process,
before the script runs) and by the official client (inside the script); the official client reads
all of it back and must see exactly what was written.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterator
from typing import Any

import pytest

from aliyun.log import LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.clock import ManualClock

pytestmark = pytest.mark.conformance

AUTH_VERSIONS = pytest.mark.parametrize("auth_version", ["v1", "v4"])
LOW_KEY = "0" * 32  # routes to shard 0 of a two-shard logstore
HIGH_KEY = "c" + "0" * 31  # routes to shard 1


@pytest.fixture
def clock() -> ManualClock:
    # Start at the real time: request signatures are still checked against the wall clock.
    return ManualClock(start=float(int(time.time())))


@pytest.fixture
def timed_emulator(clock: ManualClock) -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, clock=clock) as server:
        yield server


# ------------------------------------------------------------------------------ cursors

CURSORS_SCRIPT = """
import base64, datetime
P, L = "conf-cursors", "timed"
T0 = PARAMS["t0"]

def position(cursor):
    return int(base64.b64decode(cursor)) - int(base64.b64decode(begin))

begin = client.get_begin_cursor(P, L, 0).get_cursor()
end = client.get_end_cursor(P, L, 0).get_cursor()
iso = datetime.datetime.fromtimestamp(T0 + 150, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S+00:00")
starts = {
    "begin": "begin", "end": "end", "int_before": T0 - 1000, "int_first": T0, "int_mid": T0 + 50,
    "int_exact": T0 + 100, "int_after_last": T0 + 201, "int_future": T0 + 100000,
    "digits": str(T0 + 150), "iso": iso, "relative": "1 hour ago",
}
cursors = {name: client.get_cursor(P, L, 0, start).get_cursor() for name, start in starts.items()}
out = {
    "begin_is_begin": cursors["begin"] == begin,
    "end_is_end": cursors["end"] == end,
    "positions": {name: position(c) for name, c in cursors.items()},
    "end_position": position(end),
}

def at(pos):
    return base64.b64encode(str(int(base64.b64decode(begin)) + pos).encode()).decode()

out["cursor_time"] = [client.get_cursor_time(P, L, 0, at(pos)).get_cursor_time() for pos in range(4)]
out["previous"] = {
    "of_end": client.get_previous_cursor_time(P, L, 0, end).get_cursor_time(),
    "of_second": client.get_previous_cursor_time(P, L, 0, at(1)).get_cursor_time(),
    "of_begin_normalized": client.get_previous_cursor_time(P, L, 0, begin).get_cursor_time(),
    "of_begin_strict": error_of(client.get_previous_cursor_time, P, L, 0, begin, normalize=False),
}
out["empty_shard"] = {
    "same": client.get_begin_cursor(P, L, 1).get_cursor() == client.get_end_cursor(P, L, 1).get_cursor(),
    "by_time": client.get_cursor(P, L, 1, T0 + 50).get_cursor() == client.get_end_cursor(P, L, 1).get_cursor(),
}
out["errors"] = {
    "missing_shard": error_of(client.get_cursor, P, L, 7, "begin"),
    "missing_logstore": error_of(client.get_begin_cursor, P, "missing", 0),
    "garbage_cursor": error_of(client.get_cursor_time, P, L, 0, "not a cursor"),
    "beyond_end": error_of(client.get_cursor_time, P, L, 0, at(10)),
}
emit(out)
"""


@AUTH_VERSIONS
def test_cursors(run_official: Any, timed_emulator: EmulatorServer, clock: ManualClock, auth_version: str) -> None:
    t0 = int(clock.now())
    ours = timed_emulator.client(in_process=True)
    ours.create_project("conf-cursors", "cursors")
    ours.create_logstore("conf-cursors", "timed", shard_count=2)
    for i in range(3):  # receive times t0, t0 + 100, t0 + 200, all on shard 0
        item = LogItem(timestamp=t0, contents=[("seq", str(i))])
        ours.put_logs(PutLogsRequest("conf-cursors", "timed", "", "", [item], hashKey=LOW_KEY))
        clock.advance(100)

    out = run_official(CURSORS_SCRIPT, timed_emulator, auth_version=auth_version, params={"t0": t0})

    assert out["begin_is_begin"] and out["end_is_end"]
    assert out["end_position"] == 3
    assert out["positions"] == {
        "begin": 0,
        "end": 3,
        "int_before": 0,
        "int_first": 0,
        "int_mid": 1,
        "int_exact": 1,
        "int_after_last": 3,
        "int_future": 3,
        "digits": 2,
        "iso": 2,
        "relative": 0,
    }
    # Receive time of each group; at the end cursor, the last group's (the emulator's rule).
    assert out["cursor_time"] == [t0, t0 + 100, t0 + 200, t0 + 200]
    previous = out["previous"]
    assert previous["of_end"] == t0 + 200
    assert previous["of_second"] == t0
    assert previous["of_begin_normalized"] == t0  # the SDK retries with the begin cursor (and a "\n")
    assert previous["of_begin_strict"]["code"] == "InvalidCursor"
    assert out["empty_shard"] == {"same": True, "by_time": True}

    errors = out["errors"]
    assert (errors["missing_shard"]["code"], errors["missing_shard"]["status"]) == ("ShardNotExist", 400)
    assert (errors["missing_logstore"]["code"], errors["missing_logstore"]["status"]) == ("LogStoreNotExist", 404)
    assert (errors["garbage_cursor"]["code"], errors["garbage_cursor"]["status"]) == ("InvalidCursor", 400)
    assert (errors["beyond_end"]["code"], errors["beyond_end"]["status"]) == ("InvalidCursor", 400)


# ------------------------------------------------------------------------------ pulling

#: groups our client writes (shard 0 unless ``key`` says otherwise), before the script runs
OUR_GROUPS: list[dict[str, Any]] = [
    {
        "topic": "ours-a",
        "source": "192.0.2.1",
        "tags": [["origin", "ours"], ["batch", "1"]],
        "logs": [
            {"time": 1_700_000_000, "ns": 5, "contents": [["level", "INFO"], ["msg", "héllo wörld"]]},
            {"time": 1_700_000_001, "ns": 999_999_999, "contents": [["level", "WARN"], ["empty", ""]]},
        ],
    },
    {
        "topic": "",
        "source": "192.0.2.2",
        "tags": [],
        "compress": False,
        "logs": [{"time": 1_700_000_002, "ns": 123, "contents": [["k", "v" * 3000]]}],
    },
    {
        "topic": "ours-shard1",
        "source": "192.0.2.3",
        "tags": [],
        "key": HIGH_KEY,
        "logs": [{"time": 1_700_000_003, "ns": 7, "contents": [["where", "shard 1"]]}],
    },
]
#: groups the official client writes inside the script, 100 s (emulator time) later
OFFICIAL_GROUPS: list[dict[str, Any]] = [
    {
        "topic": "official-lz4",
        "source": "198.51.100.1",
        "tags": [["origin", "official"]],
        "logs": [{"time": 1_700_000_010, "ns": 11, "contents": [["n", "1"], ["unicode", "日本語 ✓"]]}],
    },
    {
        "topic": "official-zstd",
        "source": "198.51.100.2",
        "tags": [],
        "compress_type": "zstd",
        "logs": [
            {"time": 1_700_000_011, "ns": 12, "contents": [["n", "2"]]},
            {"time": 1_700_000_012, "ns": 13, "contents": [["n", "3"], ["big", "x" * 5000]]},
        ],
    },
    {
        "topic": "official-plain",
        "source": "198.51.100.3",
        "tags": [["t", "v"]],
        "compress": False,
        "logs": [{"time": 1_700_000_013, "ns": 14, "contents": [["n", "4"]]}],
    },
    {
        "topic": "official-shard1",
        "source": "198.51.100.4",
        "tags": [],
        "key": HIGH_KEY,
        "logs": [{"time": 1_700_000_014, "ns": 15, "contents": [["n", "5"]]}],
    },
]

PULL_SCRIPT = """
import base64
P, L = "conf-pull", "mixed"
T0 = PARAMS["t0"]

for spec in PARAMS["groups"]:
    items = [LogItem(timestamp=log["time"], time_nano_part=log["ns"], contents=[tuple(c) for c in log["contents"]])
             for log in spec["logs"]]
    request = PutLogsRequest(P, L, spec["topic"], spec["source"], items, hashKey=spec.get("key", PARAMS["low_key"]),
                             logtags=[tuple(t) for t in spec["tags"]], compress=spec.get("compress", True),
                             compress_type=spec.get("compress_type"))
    client.put_logs(request)

def header(response, name):
    headers = response.get_all_headers()
    return headers.get(name, headers.get(name.title(), ""))

def groups_of(response):
    return [{"topic": g["topic"], "source": g["source"], "tags": g["tags"],
             "logs": [{"time": log.pop("@lh_time"), "ns": log.pop("@time_ns"), "contents": log}
                      for log in g["logs"]]}
            for g in response.get_loggroup_json_list()]

def pull(shard, cursor, **kwargs):
    response = client.pull_logs(P, L, shard, cursor, **kwargs)
    return {"groups": groups_of(response), "count": response.get_loggroup_count(),
            "log_count": response.get_log_count(), "next": response.get_next_cursor(),
            "compress": header(response, "x-log-compresstype")}

out = {}
begin = client.get_begin_cursor(P, L, 0).get_cursor()
end = client.get_end_cursor(P, L, 0).get_cursor()
out["lz4"] = pull(0, begin)
out["zstd"] = pull(0, begin, compress=True, accept_compress_type="zstd")
out["plain"] = pull(0, begin, compress=False)
out["next_is_end"] = out["lz4"]["next"] == end
out["at_end"] = pull(0, end)
out["at_end"]["next_is_end"] = out["at_end"].pop("next") == end

# count: page one group at a time until the end cursor comes back
pages, cursor = [], begin
for _ in range(20):
    page = pull(0, cursor, count=1)
    if page["count"] == 0:
        break
    pages.append(page["groups"])
    cursor = page["next"]
out["paged"] = pages
out["paged_stops_at_end"] = cursor == end

# end_cursor: the first two groups only
third = base64.b64encode(str(int(base64.b64decode(begin)) + 2).encode()).decode()
out["bounded"] = pull(0, begin, end_cursor=third)
out["bounded"]["next_is_bound"] = out["bounded"].pop("next") == third

# pull_log (a generator over a receive-time window): everything, then only the official writes
out["pull_log_all"] = [groups_of(r) for r in client.pull_log(P, L, 0, "begin", "end")]
out["pull_log_window"] = [g for r in client.pull_log(P, L, 0, T0 + 50, T0 + 1000, batch_size=1) for g in groups_of(r)]
out["pull_log_zstd"] = [g for r in client.pull_log(P, L, 0, T0 - 10, T0 + 1000, accept_compress_type="zstd")
                        for g in groups_of(r)]
out["pull_log_plain"] = [g for r in client.pull_log(P, L, 0, "begin", "end", compress=False) for g in groups_of(r)]
out["shard1"] = pull(1, client.get_begin_cursor(P, L, 1).get_cursor())["groups"]
out["errors"] = {
    "bad_cursor": error_of(client.pull_logs, P, L, 0, "garbage"),
    "beyond_end": error_of(client.pull_logs, P, L, 0, base64.b64encode(b"99999999999999999999").decode()),
    "bad_count": error_of(client.pull_logs, P, L, 0, begin, count=5000),
    "missing_shard": error_of(client.pull_logs, P, L, 9, begin),
    "missing_logstore": error_of(client.pull_logs, P, "missing", 0, begin),
}
emit(out)
"""


def _expected(spec: dict[str, Any]) -> dict[str, Any]:
    """A written group as the official ``get_loggroup_json_list`` shows it."""
    return {
        "topic": spec["topic"],
        "source": spec["source"],
        "tags": dict(spec["tags"]),
        "logs": [{"time": log["time"], "ns": log["ns"], "contents": dict(log["contents"])} for log in spec["logs"]],
    }


def _write_ours(client: Any, spec: dict[str, Any]) -> None:
    items = [
        LogItem(timestamp=log["time"], time_nano_part=log["ns"], contents=[tuple(c) for c in log["contents"]])
        for log in spec["logs"]
    ]
    request = PutLogsRequest(
        "conf-pull",
        "mixed",
        spec["topic"],
        spec["source"],
        items,
        hashKey=spec.get("key", LOW_KEY),
        logtags=[tuple(t) for t in spec["tags"]],
        compress=spec.get("compress", True),
    )
    client.put_logs(request)


@AUTH_VERSIONS
def test_pull(run_official: Any, timed_emulator: EmulatorServer, clock: ManualClock, auth_version: str) -> None:
    t0 = int(clock.now())
    ours = timed_emulator.client(in_process=True)
    ours.create_project("conf-pull", "pull")
    ours.create_logstore("conf-pull", "mixed", shard_count=2)
    for spec in OUR_GROUPS:
        _write_ours(ours, spec)
    clock.advance(100)  # the official client's groups are received at t0 + 100

    out = run_official(
        PULL_SCRIPT,
        timed_emulator,
        auth_version=auth_version,
        params={"t0": t0, "groups": OFFICIAL_GROUPS, "low_key": LOW_KEY},
    )

    def on(shard_key: str, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [_expected(s) for s in specs if s.get("key", LOW_KEY) == shard_key]

    ours0, official0 = on(LOW_KEY, OUR_GROUPS), on(LOW_KEY, OFFICIAL_GROUPS)
    shard0 = ours0 + official0
    for variant in ("lz4", "zstd", "plain"):
        assert out[variant]["groups"] == shard0, variant
        assert out[variant]["count"] == len(shard0)
        assert out[variant]["log_count"] == sum(len(g["logs"]) for g in shard0)
    assert out["lz4"]["compress"] == "lz4"
    assert out["plain"]["compress"] == ""
    # The emulator compresses zstd only when it has a zstd codec; uncompressed is a valid answer too.
    assert out["zstd"]["compress"] == ("zstd" if importlib.util.find_spec("zstandard") else "")
    assert out["next_is_end"]
    assert out["at_end"] == {"groups": [], "count": 0, "log_count": 0, "compress": "", "next_is_end": True}

    assert out["paged"] == [[g] for g in shard0]
    assert out["paged_stops_at_end"]
    assert out["bounded"]["groups"] == shard0[:2] and out["bounded"]["next_is_bound"]

    assert [g for batch in out["pull_log_all"] for g in batch] == shard0
    assert out["pull_log_window"] == official0
    assert out["pull_log_zstd"] == shard0
    assert out["pull_log_plain"] == shard0
    assert out["shard1"] == on(HIGH_KEY, OUR_GROUPS) + on(HIGH_KEY, OFFICIAL_GROUPS)

    errors = out["errors"]
    assert (errors["bad_cursor"]["code"], errors["bad_cursor"]["status"]) == ("InvalidCursor", 400)
    assert (errors["beyond_end"]["code"], errors["beyond_end"]["status"]) == ("InvalidCursor", 400)
    assert (errors["bad_count"]["code"], errors["bad_count"]["status"]) == ("ParameterInvalid", 400)
    assert (errors["missing_shard"]["code"], errors["missing_shard"]["status"]) == ("ShardNotExist", 400)
    assert (errors["missing_logstore"]["code"], errors["missing_logstore"]["status"]) == ("LogStoreNotExist", 404)
