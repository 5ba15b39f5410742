"""Paging of phrase searches (``#"a b"``) the way SLS pages them.

SLS answers a phrase search in two steps: the non-phrase form of the statement picks candidate
logs, then at most :data:`PHRASE_WINDOW` candidates per request are checked for the phrase. So
a page may hold fewer than ``line`` logs while more remain, and the request ``offset`` counts
*candidates*, not hits. The answer's ``phraseQueryInfo`` tells where the page started
(``beginOffset``), where the next one starts (``endOffset``) and whether every candidate has
been looked at (``scanAll``); clients page with ``offset = endOffset`` until ``scanAll``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import duckdb

from aliyun.log.emulator.query.records import PhraseScan

#: candidates checked for the phrase per request (SLS doc: 10,000)
PHRASE_WINDOW = 10_000


@dataclass
class PhrasePage:
    """One page of a phrase search.

    :param rows: the selected columns of the hits, in page order.
    :param begin: candidate offset the page started at (the request's offset).
    :param end: candidate offset the next page starts at.
    :param scan_all: every candidate up to the last one has been checked.
    """

    rows: list[tuple[Any, ...]]
    begin: int
    end: int
    scan_all: bool

    def scan(self, end_time: int) -> PhraseScan:
        """Where this page stands (the GetLogs meta's ``phraseQueryInfo``)."""
        return PhraseScan(self.begin, self.end, self.scan_all, end_time)


def phrase_page(
    con: duckdb.DuckDBPyConnection,
    columns: str,
    candidates: str,
    hit: str,
    *,
    descending: bool,
    line: int,
    offset: int,
    window: Optional[int] = None,
) -> PhrasePage:
    """Read one page of a phrase search from the ``logs`` table.

    :param columns: the columns to return (comma-separated names of ``logs``).
    :param candidates: predicate of the non-phrase form (the time range included).
    :param hit: predicate of the phrase search itself.
    :param descending: newest first (``reverse``).
    :param line: most hits to return.
    :param offset: candidate position to start at.
    :param window: candidates checked at most (default :data:`PHRASE_WINDOW`, read per call).
    """
    window = PHRASE_WINDOW if window is None else window
    order = "DESC" if descending else "ASC"
    row = con.execute(f"SELECT count(*) FROM logs WHERE {candidates}").fetchone()
    total = int(row[0]) if row else 0
    stop = min(offset + window, total)
    fetched: list[tuple[Any, ...]] = []
    if line > 0 and offset < stop:
        fetched = con.execute(
            f"SELECT {columns}, __sls_pos FROM ("
            f"SELECT *, row_number() OVER (ORDER BY t {order}, ns {order}, seq {order}) - 1 AS __sls_pos, "
            f"({hit}) AS __sls_hit FROM logs WHERE {candidates}) "
            f"WHERE __sls_hit AND __sls_pos >= {offset} AND __sls_pos < {stop} ORDER BY __sls_pos LIMIT {line}"
        ).fetchall()
    if line <= 0:
        end = offset
    elif len(fetched) == line:
        end = int(fetched[-1][-1]) + 1
    else:
        end = max(stop, offset)
    return PhrasePage([r[:-1] for r in fetched], offset, end, end >= total)
