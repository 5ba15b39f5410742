"""Context of a log: ``__pack_meta__`` in GetLogs rows (``| with_pack_meta``) and GetContextLogs.

A producer (Logtail, the producer libraries, or a client by hand) tags every log group with
``__pack_id__ = <context prefix>-<group number>``, both upper-case hex; groups with the same
prefix form one context (one source file, one producer), numbered in the order they were sent.
The context of a log is that sequence of groups, each group's logs in their order.

``__pack_meta__`` locates one log for GetContextLogs. SLS writes it as
``<shard>|<cursor>|<pack_num>|<offset>``; the emulator fills it as
``<shard>|<Base64 of the log's row number in the index>|<logs in the group>|<position in the
group>`` [emu]: the second field is not a PullLogs cursor, callers treat the whole value as
opaque.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from typing import Any, Optional

import duckdb

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.query.store import tag_pattern
from aliyun.log.emulator.query.textmatch import re_char, sql_str

PACK_ID_TAG = "__pack_id__"
#: GetContextLogs looks this far (seconds) before and after the start log (SLS doc: one day).
CONTEXT_SPAN = 86_400
MAX_CONTEXT_LINES = 100
_WITH_PACK_META = re.compile(r"\|\s*with_pack_meta\s*$", re.I)
_PACK_ID = re.compile(r"^([0-9A-Fa-f]+)-([0-9A-Fa-f]+)$")
#: SQL of a log's pack id (``''`` without one)
_PID_PATTERN = "(?:^|\x1e)" + PACK_ID_TAG + "\x1d([^\x1e]*)"
PID_SQL = f"regexp_extract(tags, {sql_str(_PID_PATTERN)}, 1)"


def strip_with_pack_meta(query: str) -> tuple[str, bool]:
    """``query`` without a trailing ``| with_pack_meta``, and whether it had one."""
    found = _WITH_PACK_META.search(query)
    if found is None:
        return query, False
    return query[: found.start()], True


def invalid_pack() -> SLSError:
    """SLS's answer to a pack id or pack meta that does not name a log."""
    return SLSError("InvalidParameter", "Invalid pack meta/id.")


def _pid_filter(pack_ids: Sequence[str]) -> str:
    alternatives = "|".join("".join(re_char(c) for c in pid) for pid in sorted(set(pack_ids)))
    return f"regexp_matches(tags, {sql_str(tag_pattern(PACK_ID_TAG, '(?:' + alternatives + ')'))})"


def _pack_meta(shard: int, seq: int, pack_num: int, offset: int) -> str:
    cursor = base64.b64encode(str(seq).encode("ascii")).decode("ascii")
    return f"{shard}|{cursor}|{pack_num}|{offset}"


def pack_metas(con: duckdb.DuckDBPyConnection, logs: Sequence[tuple[int, int, str]]) -> list[Optional[str]]:
    """``__pack_meta__`` of each ``(seq, shard, pack_id)``; None for a log without a pack id."""
    wanted = [pid for _, _, pid in logs if pid]
    if not wanted:
        return [None] * len(logs)
    positions = {
        int(seq): (int(num), int(pos))
        for seq, num, pos in con.execute(
            f"SELECT seq, count(*) OVER (PARTITION BY pid), row_number() OVER (PARTITION BY pid ORDER BY seq) - 1 "
            f"FROM (SELECT seq, {PID_SQL} AS pid FROM logs WHERE {_pid_filter(wanted)})"
        ).fetchall()
    }
    out: list[Optional[str]] = []
    for seq, shard, pid in logs:
        found = positions.get(seq) if pid else None
        out.append(_pack_meta(shard, seq, *found) if found else None)
    return out


def parse_pack_meta(pack_meta: str) -> tuple[int, int]:
    """``(shard, row number)`` named by a ``__pack_meta__`` value."""
    parts = pack_meta.split("|")
    if len(parts) != 4:
        raise invalid_pack()
    try:
        shard = int(parts[0])
        seq = int(base64.b64decode(parts[1], validate=True).decode("ascii"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid_pack() from None
    return shard, seq


def check_lines(back_lines: int, forward_lines: int) -> None:
    """Validate the GetContextLogs line counts (each 0..100, not both 0)."""
    for value in (back_lines, forward_lines):
        if not 0 <= value <= MAX_CONTEXT_LINES:
            raise SLSError("InvalidParameter", f"back_lines and forward_lines must be in [0, {MAX_CONTEXT_LINES}]")
    if back_lines == 0 and forward_lines == 0:
        raise SLSError("InvalidParameter", "back_lines or forward_lines must be postive")


def context_rows(
    con: duckdb.DuckDBPyConnection,
    columns: str,
    pack_id: str,
    pack_meta: str,
    back_lines: int,
    forward_lines: int,
) -> tuple[list[tuple[Any, ...]], int]:
    """The logs around the one named by ``pack_id``/``pack_meta``, in context order.

    :param columns: columns of ``logs`` to return; each row gets ``seq``, ``shard``, the pack
        id, the group size and the position in the group appended.
    :returns: the rows and the index of the start log among them.
    """
    check_lines(back_lines, forward_lines)
    match = _PACK_ID.match(pack_id or "")
    if match is None:
        raise invalid_pack()
    shard, seq = parse_pack_meta(pack_meta or "")
    anchor = con.execute(f"SELECT t, shard, {PID_SQL} FROM logs WHERE seq = {seq}").fetchone()
    if anchor is None or int(anchor[1]) != shard or str(anchor[2]).upper() != pack_id.upper():
        raise invalid_pack()
    start = int(anchor[0])
    prefix = "".join(re_char(c) for c in match.group(1))
    same_context = f"regexp_matches(tags, {sql_str(tag_pattern(PACK_ID_TAG, prefix + '-[0-9A-Fa-f]+'))}, 'i')"
    group_no = "lpad(upper(split_part(pid, '-', -1)), 32, '0')"
    rows = con.execute(
        f"WITH c AS (SELECT *, {PID_SQL} AS pid FROM logs "
        f"WHERE t >= {start - CONTEXT_SPAN} AND t <= {start + CONTEXT_SPAN} AND {same_context}), "
        f"o AS (SELECT *, row_number() OVER (ORDER BY {group_no}, seq) AS __sls_rn, "
        f"count(*) OVER (PARTITION BY pid) AS __sls_num, "
        f"row_number() OVER (PARTITION BY pid ORDER BY seq) - 1 AS __sls_off FROM c), "
        f"a AS (SELECT __sls_rn AS at FROM o WHERE seq = {seq}) "
        f"SELECT {columns}, seq, shard, pid, __sls_num, __sls_off, __sls_rn - a.at FROM o, a "
        f"WHERE __sls_rn BETWEEN a.at - {back_lines} AND a.at + {forward_lines} ORDER BY __sls_rn"
    ).fetchall()
    index = next((i for i, r in enumerate(rows) if r[-1] == 0), -1)
    if index < 0:
        raise invalid_pack()
    return [r[:-1] for r in rows], index


def context_meta(seq: int, shard: int, pack_num: int, offset: int) -> str:
    """``__pack_meta__`` of a context row."""
    return _pack_meta(shard, seq, pack_num, offset)
