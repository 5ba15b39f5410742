"""The official SDK's ``get_log_all_v2`` over a phrase search and its ``get_context_logs``, against the emulator.

Phrase search: the emulator checks at most ``PHRASE_WINDOW`` candidates per request (shrunk to 37
here so pages hold fewer rows than asked) and reports ``phraseQueryInfo``; the official helper pages
with ``offset = endOffset`` until ``scanAll`` and must see every one of the 200 hits exactly once, in
both GetLogs forms. Context: a log read with ``| with_pack_meta`` starts ``get_context_logs``.
"""

from __future__ import annotations

from typing import Any

import pytest

from aliyun.log import LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.query import phrase as phrase_module

pytestmark = pytest.mark.conformance

P, L = "conf-context", "events"
T = 1_700_000_000
COUNT = 300
HITS = [i for i in range(COUNT) if i % 3]

SCRIPT = """
P, L, T = "conf-context", "events", PARAMS["t"]
out = {}

def numbers(res):
    return [int(log.get_contents()["n"]) for log in res.get_logs()]

for form in ("post", "get"):
    client._get_logs_v2_enabled = form == "post"
    pages = list(client.get_log_all_v2(P, L, T, T + 1000, query='#"alpha beta"'))
    out[form] = {
        "numbers": [n for page in pages for n in numbers(page)],
        "counts": [page.get_count() for page in pages],
        "modes": sorted({int(page.get_query_mode().value) for page in pages}),
        "scan_all": [page.get_scan_all() for page in pages],
        "offsets": [[page.get_begin_offset(), page.get_end_offset()] for page in pages[:2]],
    }
client._get_logs_v2_enabled = True

rows = client.get_log(P, L, T, T + 1000, query="ctx | with_pack_meta", size=100).get_logs()
start = [log.get_contents() for log in rows if log.get_contents()["n"] == "1007"][0]
res = client.get_context_logs(P, L, start["__tag__:__pack_id__"], start["__pack_meta__"], 4, 3)
out["context"] = {
    "lines": [res.get_total_lines(), res.get_back_lines(), res.get_forward_lines()],
    "complete": res.is_completed(),
    "logs": [[log.get_time(), log.get_source(), log.get_contents()["n"], log.get_contents()["__index_number__"]]
             for log in res.get_logs()],
}
out["bad_meta"] = error_of(client.get_context_logs, P, L, start["__tag__:__pack_id__"], "0|bm9wZQ==|1|0", 1, 1)
out["no_lines"] = error_of(client.get_context_logs, P, L, start["__tag__:__pack_id__"], start["__pack_meta__"], 0, 0)
emit(out)
"""


def _setup(server: EmulatorServer) -> None:
    ours = server.client(in_process=True)
    ours.create_project(P, "context and phrase conformance")
    ours.create_logstore(P, L, shard_count=2)
    ours.create_index(P, L, {"line": {"token": [" "]}, "keys": {"n": {"type": "long"}}})
    words = ["beta alpha" if i % 3 == 0 else "alpha beta" for i in range(COUNT)]
    ours.put_logs(
        PutLogsRequest(P, L, "", "src", [LogItem(T + i, [("n", str(i)), ("msg", w)]) for i, w in enumerate(words)])
    )
    for group in range(4):  # context C0FFEE: groups 1..4, n = 1000..1011
        items = [LogItem(T + 500 + group, [("n", str(1000 + 3 * group + i)), ("msg", "ctx")]) for i in range(3)]
        tags = [("__pack_id__", f"C0FFEE-{group + 1:X}")]
        ours.put_logs(PutLogsRequest(P, L, "", "10.1.2.3", items, logtags=tags))


def test_official_phrase_paging_and_context(
    run_official: Any, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(phrase_module, "PHRASE_WINDOW", 37)
    _setup(emulator)
    out = run_official(SCRIPT, emulator, params={"t": T})

    for form in ("post", "get"):
        found = out[form]
        assert found["numbers"] == HITS, form  # every hit, exactly once, in order
        assert len(found["counts"]) > 2 and all(0 < c < 100 for c in found["counts"]), form
        assert found["modes"] == [1], form
        assert found["scan_all"][-1] is True and not any(found["scan_all"][:-1]), form
        assert found["offsets"] == [[0, 37], [37, 74]], form

    context = out["context"]
    assert context["lines"] == [8, 4, 3] and context["complete"] is True
    assert [log[2:] for log in context["logs"]] == [[str(n), str(n - 1007)] for n in range(1003, 1011)]
    assert context["logs"][0][:2] == [T + 501, "10.1.2.3"]
    assert (out["bad_meta"]["code"], out["bad_meta"]["status"]) == ("InvalidParameter", 400)
    assert out["no_lines"]["code"] == "InvalidParameter"
