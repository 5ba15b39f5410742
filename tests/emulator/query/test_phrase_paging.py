"""Paging of phrase searches: the emulator's ``phraseQueryInfo`` and the SDK helpers that follow it.

SLS checks at most 10,000 candidates (logs matching the non-phrase form) per request, so ``offset``
counts candidates and a page may hold fewer rows than asked while more follow; ``endOffset`` is the
next offset and ``scanAll`` marks the last page. ``get_log_all_v2`` (and ``get_log`` with a size
above 100) must therefore return every hit exactly once, however the hits are spread.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Optional

import pytest

from aliyun.log import GetLogsResponse, LogClient, LogItem, PutLogsRequest
from aliyun.log._client.query import _next_offset
from aliyun.log.emulator.http.shapes import query_meta
from aliyun.log.emulator.query import LogRecord, LogstoreIndex
from aliyun.log.emulator.query import phrase as phrase_module

T = 1_700_000_000
COUNT = 300
PHRASE = '#"alpha beta"'


def text(i: int) -> str:
    """Logs with i % 3 == 0 hold both words but not the phrase: candidates without a hit."""
    return "beta alpha" if i % 3 == 0 else "alpha beta"


HITS = [i for i in range(COUNT) if i % 3]


@pytest.fixture
def index() -> Iterator[LogstoreIndex]:
    idx = LogstoreIndex({"line": {"token": [" "]}, "keys": {"n": {"type": "long"}}})
    idx.ingest([LogRecord(T + i, 0, "", "src", (), (("n", str(i)), ("msg", text(i)))) for i in range(COUNT)])
    yield idx
    idx.close()


@pytest.fixture
def small_window(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(phrase_module, "PHRASE_WINDOW", 37)
    return 37


def numbers_of(rows: list[dict[str, str]]) -> list[int]:
    return [int(r["n"]) for r in rows]


# -- the engine --------------------------------------------------------------------------------


def test_first_page_reports_where_the_next_starts(index: LogstoreIndex) -> None:
    result = index.get_logs(PHRASE, T, T + 1000, line=100)
    assert numbers_of(result.rows) == HITS[:100]
    assert query_meta(result)["mode"] == 1 and query_meta(result)["count"] == 100
    # the 100th hit is candidate 149: the next page starts at candidate 150
    assert query_meta(result)["phraseQueryInfo"] == {
        "scanAll": False,
        "beginOffset": 0,
        "endOffset": 150,
        "endTime": T + 1000,
    }
    last = index.get_logs(PHRASE, T, T + 1000, line=100, offset=150)
    assert numbers_of(last.rows) == HITS[100:]
    assert (
        query_meta(last)["phraseQueryInfo"]["scanAll"] is True
        and query_meta(last)["phraseQueryInfo"]["endOffset"] == COUNT
    )


def test_window_limits_candidates_per_page(index: LogstoreIndex, small_window: int) -> None:
    result = index.get_logs(PHRASE, T, T + 1000, line=100, offset=10)
    assert numbers_of(result.rows) == [i for i in range(10, 10 + small_window) if i % 3]
    assert query_meta(result)["phraseQueryInfo"] == {
        "scanAll": False, "beginOffset": 10, "endOffset": 10 + small_window, "endTime": T + 1000,
    }  # fmt: skip


def test_reverse_counts_candidates_from_the_newest(index: LogstoreIndex) -> None:
    result = index.get_logs(PHRASE, T, T + 1000, line=5, reverse=True)
    assert numbers_of(result.rows) == [299, 298, 296, 295, 293]
    assert query_meta(result)["phraseQueryInfo"]["endOffset"] == 7


def test_edges(index: LogstoreIndex) -> None:
    past = index.get_logs(PHRASE, T, T + 1000, line=100, offset=COUNT + 5)
    assert past.rows == [] and query_meta(past)["phraseQueryInfo"]["scanAll"] is True
    none = index.get_logs(PHRASE, T, T + 1000, line=0, offset=3)
    assert none.rows == [] and query_meta(none)["phraseQueryInfo"]["endOffset"] == 3
    plain = index.get_logs('"alpha beta"', T, T + 1000, line=1)
    assert query_meta(plain)["mode"] == 0 and "phraseQueryInfo" not in query_meta(plain)


def test_phrase_with_other_conditions(index: LogstoreIndex) -> None:
    result = index.get_logs(f"{PHRASE} and n < 20", T, T + 1000, line=100)
    assert numbers_of(result.rows) == [i for i in HITS if i < 20]
    assert query_meta(result)["phraseQueryInfo"] == {
        "scanAll": True,
        "beginOffset": 0,
        "endOffset": 20,
        "endTime": T + 1000,
    }


# -- the SDK, against the emulator -------------------------------------------------------------


@pytest.fixture
def phrase_store(client: LogClient, project: str) -> tuple[str, str]:
    client.create_logstore(project, "phrases", shard_count=2)
    client.create_index(project, "phrases", {"line": {"token": [" "]}, "keys": {"n": {"type": "long"}}})
    items = [LogItem(T + i, [("n", str(i)), ("msg", text(i))]) for i in range(COUNT)]
    client.put_logs(PutLogsRequest(project, "phrases", "", "src", items))
    return project, "phrases"


def numbers(answer: GetLogsResponse) -> list[int]:
    return [int(log.get_contents()["n"]) for log in answer.get_logs()]


@pytest.mark.parametrize(("window", "v1"), [(None, False), (37, False), (37, True)])
def test_get_log_all_v2_returns_every_hit_once(
    client: LogClient,
    phrase_store: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    window: Optional[int],
    v1: bool,
) -> None:
    if window:
        monkeypatch.setattr(phrase_module, "PHRASE_WINDOW", window)
    project, logstore = phrase_store
    pages = list(client.get_log_all_v2(project, logstore, T, T + 1000, query=PHRASE, v1=v1))
    assert [n for page in pages for n in numbers(page)] == HITS
    assert all(page.get_query_mode() is GetLogsResponse.QueryMode.PHRASE for page in pages)
    assert pages[-1].get_scan_all() and not any(page.get_scan_all() for page in pages[:-1])
    if window:
        assert (pages[1].get_begin_offset(), pages[1].get_end_offset()) == (window, 2 * window)
    backwards = list(client.get_log_all_v2(project, logstore, T, T + 1000, query=PHRASE, reverse=True, v1=v1))
    assert [n for page in backwards for n in numbers(page)] == HITS[::-1]


def test_header_form_carries_phrase_info_as_text(client: LogClient, phrase_store: tuple[str, str]) -> None:
    project, logstore = phrase_store
    page = client.get_log(project, logstore, T, T + 1000, query=PHRASE, v1=True)
    info = json.loads(page.get_header("x-log-query-info"))
    assert info["mode"] == 1
    assert info["phraseQueryInfo"] == {
        "scanAll": "false",
        "beginOffset": "0",
        "endOffset": "150",
        "endTime": str(T + 1000),
    }


def test_get_log_pages_phrases_by_end_offset(client: LogClient, phrase_store: tuple[str, str]) -> None:
    project, logstore = phrase_store
    everything = client.get_log(project, logstore, T, T + 1000, query=PHRASE, size=-1)
    assert numbers(everything) == HITS and everything.get_count() == len(HITS)
    some = client.get_log(project, logstore, T, T + 1000, query=PHRASE, size=150)
    assert numbers(some) == HITS[:150]
    pages = list(client.get_log_all(project, logstore, T, T + 1000, query=PHRASE))
    assert [n for page in pages for n in numbers(page)] == HITS


def test_get_log_all_v2_plain_search_still_pages_by_count(client: LogClient, phrase_store: tuple[str, str]) -> None:
    project, logstore = phrase_store
    pages = list(client.get_log_all_v2(project, logstore, T, T + 1000, query='"alpha beta"'))
    assert [p.get_count() for p in pages] == [100, 100, 100]


# -- the SDK's rule, on crafted answers (scan mode is not emulated) ------------------------------


def answer(mode: int, count: int, info: Optional[dict[str, Any]] = None) -> GetLogsResponse:
    meta: dict[str, Any] = {"mode": mode, "count": count, "progress": "Complete"}
    if info is not None:
        meta["phraseQueryInfo"] = info
    return GetLogsResponse({"meta": meta, "data": [{"__time__": "1"}] * count}, {})


def test_next_offset_rules() -> None:
    info = {"scanAll": False, "beginOffset": 40, "endOffset": 90}
    assert _next_offset(answer(0, 100), 200) == 300
    assert _next_offset(answer(0, 0), 200) is None
    assert _next_offset(answer(3, 7), 0) == 7  # scan SQL pages like a plain search
    assert _next_offset(answer(1, 20, info), 40) == 90
    assert _next_offset(answer(2, 20, info), 40) == 90
    assert _next_offset(answer(2, 20, info), 90, forward=False) == 40
    assert _next_offset(answer(1, 0, info), 40) == 90  # an empty window is not the end
    assert _next_offset(answer(1, 5, {**info, "scanAll": True}), 40) is None
    assert _next_offset(answer(1, 5, {**info, "endOffset": 40}), 40) is None  # no progress: stop
    assert _next_offset(answer(1, 5), 40) == 45  # no phraseQueryInfo: fall back to the count


def test_scan_mode_pages_follow_the_service(monkeypatch: pytest.MonkeyPatch) -> None:
    client = LogClient("127.0.0.1:1", "id", "secret")
    pages = {
        0: answer(2, 2, {"scanAll": False, "beginOffset": 0, "endOffset": 500}),
        500: answer(2, 0, {"scanAll": False, "beginOffset": 500, "endOffset": 1000}),
        1000: answer(2, 1, {"scanAll": True, "beginOffset": 1000, "endOffset": 1200}),
    }
    asked: list[tuple[int, bool, bool]] = []

    def fake_get_logs(request: Any, **_: Any) -> GetLogsResponse:
        asked.append((request.get_offset(), request.get_scan(), request.get_forward()))
        return pages[request.get_offset()]

    monkeypatch.setattr(client, "get_logs", fake_get_logs)
    got = list(client.get_log_all_v2("p", "l", T, T + 10, query="* | where a = 'b'", scan=True))
    assert [p.get_count() for p in got] == [2, 1]  # the empty middle page is read, not yielded
    assert asked == [(0, True, True), (500, True, True), (1000, True, True)]
