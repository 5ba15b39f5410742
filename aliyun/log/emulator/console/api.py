"""The console's JSON endpoint: read-only questions answered through the public SLS API.

Every answer is computed with an :class:`aliyun.log.LogClient` signed with the emulator's own
credentials, so the console shows exactly what any client would see; there is no second path to
the data. Only reads are offered: the console writes nothing. An SLS error comes back as SLS
sends it (``errorCode``, ``errorMessage``, the request id and the HTTP status).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Callable, Optional

from ...gethistogramsrequest import GetHistogramsRequest
from ...logclient import LogClient
from ...logexception import LogException

__all__ = ["ConsoleAPI", "ConsoleError"]

logger = logging.getLogger(__name__)

#: rows one search page may ask for (the GetLogs limit)
MAX_LINE = 100
#: projects or logstores listed at once
MAX_LIST = 500
#: log groups counted behind a checkpoint (one PullLogs call; more shows as "at least")
MAX_BEHIND = 1000


class ConsoleError(Exception):
    """An answer that is an error: ``status`` and the SLS error JSON."""

    def __init__(self, status: int, code: str, message: str, request_id: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id

    def to_json(self) -> dict[str, Any]:
        """The error as SLS renders it, plus the request id of the failed call."""
        return {"errorCode": self.code, "errorMessage": self.message, "requestId": self.request_id}


def _text(params: Mapping[str, str], name: str, default: Optional[str] = None) -> str:
    value = params.get(name, default)
    if value is None or value == "":
        raise ConsoleError(400, "ParameterInvalid", f"parameter {name} is required")
    return value


def _int(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConsoleError(400, "ParameterInvalid", f"parameter {name} must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise ConsoleError(400, "ParameterInvalid", f"parameter {name} must be {low}..{high}, got {value}")
    return value


class ConsoleAPI:
    """Named read-only actions over a :class:`LogClient` (``call(action, params)`` → JSON value).

    :param client: a client of the emulator, signed with its credentials (the console uses an
        in-process one: the same requests and checks as over HTTP, without a socket).
    """

    def __init__(self, client: LogClient) -> None:
        self.client = client
        self._actions: dict[str, Callable[[Mapping[str, str]], Any]] = {
            "projects": self.projects,
            "logstores": self.logstores,
            "logstore": self.logstore,
            "histograms": self.histograms,
            "logs": self.logs,
            "consumergroups": self.consumer_groups,
        }

    def call(self, action: str, params: Mapping[str, str]) -> Any:
        """Run ``action`` with the query parameters ``params``.

        :raises ConsoleError: an unknown action, a bad parameter, or the SLS error of a call.
        """
        handler = self._actions.get(action)
        if handler is None:
            raise ConsoleError(404, "InvalidRequestURI", f"the console has no action {action!r}")
        try:
            return handler(params)
        except LogException as error:
            status = error.get_resp_status() or 400
            raise ConsoleError(
                status if status >= 400 else 500,
                error.get_error_code(),
                error.get_error_message(),
                error.get_request_id(),
            ) from None

    # -- resources ----------------------------------------------------------------------------

    def projects(self, params: Mapping[str, str]) -> dict[str, Any]:
        """ListProject: ``{"total", "projects": [{projectName, description, createTime, ...}]}``."""
        offset = _int(params, "offset", 0, 0, 10**9)
        size = _int(params, "size", MAX_LIST, 1, MAX_LIST)
        body = self.client.list_project(offset=offset, size=size).get_body()
        return {"total": body.get("total", 0), "projects": body.get("projects", [])}

    def logstores(self, params: Mapping[str, str]) -> dict[str, Any]:
        """ListLogStores of a project: ``{"total", "logstores": [names]}``."""
        project = _text(params, "project")
        offset = _int(params, "offset", 0, 0, 10**9)
        size = _int(params, "size", MAX_LIST, 1, MAX_LIST)
        body = self.client.list_logstore(project, offset=offset, size=size).get_body()
        return {"total": body.get("total", 0), "logstores": body.get("logstores", [])}

    def logstore(self, params: Mapping[str, str]) -> dict[str, Any]:
        """GetLogStore, ListShards and GetIndex of one logstore (``index`` is null without one)."""
        project, logstore = _text(params, "project"), _text(params, "logstore")
        detail = self.client.get_logstore(project, logstore).get_body()
        shards = self.client.list_shards(project, logstore).get_body()
        try:
            index: Any = self.client.get_index_config(project, logstore).get_body()
        except LogException as error:
            if error.get_error_code() != "IndexConfigNotExist":
                raise
            index = None
        return {"logstore": detail, "shards": shards, "index": index}

    # -- search -------------------------------------------------------------------------------

    def histograms(self, params: Mapping[str, str]) -> dict[str, Any]:
        """GetHistograms of a search statement: ``{"total", "complete", "buckets": [...]}``."""
        project, logstore = _text(params, "project"), _text(params, "logstore")
        request = GetHistogramsRequest(
            project,
            logstore,
            _int(params, "from", 0, 0, 2**40),
            _int(params, "to", 0, 0, 2**40),
            params.get("topic") or None,
            params.get("query") or "",
        )
        answer = self.client.get_histograms(request, incomplete_attempts=1)
        return {
            "total": answer.get_total_count(),
            "complete": answer.is_completed(),
            "buckets": answer.get_body(),
        }

    def logs(self, params: Mapping[str, str]) -> dict[str, Any]:
        """GetLogs (a search page, newest first unless ``reverse=false``, or a SQL answer).

        ``{"meta": {...}, "rows": [...]}`` with the rows as the API returns them.
        """
        project, logstore = _text(params, "project"), _text(params, "logstore")
        answer = self.client.get_log(
            project,
            logstore,
            _int(params, "from", 0, 0, 2**40),
            _int(params, "to", 0, 0, 2**40),
            topic=params.get("topic") or None,
            query=params.get("query") or "",
            reverse=params.get("reverse", "true") != "false",
            offset=_int(params, "offset", 0, 0, 10**9),
            size=_int(params, "line", 20, 0, MAX_LINE),
            incomplete_attempts=1,
        )
        body = answer.get_body()
        return {"meta": body.get("meta") or {}, "rows": body.get("data") or []}

    # -- consumer groups ----------------------------------------------------------------------

    def consumer_groups(self, params: Mapping[str, str]) -> dict[str, Any]:
        """Each consumer group of a logstore with its checkpoint and lag per shard.

        The API tells who holds a shard only through the checkpoint (the consumer that wrote it
        last), so ``members`` are those consumers. Lag is measured on the shard's data: the
        receive time of the newest log group minus that of the group at the checkpoint, and the
        log groups between the checkpoint and the end (counted up to ``MAX_BEHIND``; both 0 when the
        checkpoint is the end cursor, null when there is no checkpoint yet).
        """
        project, logstore = _text(params, "project"), _text(params, "logstore")
        groups = self.client.list_consumer_group(project, logstore).get_consumer_groups()
        shard_ids = [int(s["shardID"]) for s in self.client.list_shards(project, logstore).get_shards_info()]
        out = []
        for group in groups:
            name = group.get_consumer_group_name()
            points = self.client.get_check_point(project, logstore, name).get_consumer_group_check_points()
            by_shard = {int(p.get("shard", -1)): p for p in points}
            shards = [self._shard_lag(project, logstore, shard, by_shard.get(shard)) for shard in shard_ids]
            members = sorted({s["consumer"] for s in shards if s["consumer"]})
            out.append(
                {
                    "name": name,
                    "timeout": group.get_timeout(),
                    "inOrder": group.is_in_order(),
                    "members": [
                        {"consumer": m, "shards": [s["shard"] for s in shards if s["consumer"] == m]} for m in members
                    ],
                    "shards": shards,
                }
            )
        return {"groups": out}

    def _shard_lag(self, project: str, logstore: str, shard: int, point: Optional[Mapping[str, Any]]) -> dict[str, Any]:
        checkpoint = str((point or {}).get("checkpoint") or "")
        row: dict[str, Any] = {
            "shard": shard,
            "checkpoint": checkpoint,
            "consumer": str((point or {}).get("consumer") or ""),
            "updateTime": (point or {}).get("updateTime"),
            "lagSeconds": None,
            "groupsBehind": None,
            "caughtUp": False,
        }
        if not checkpoint:
            return row
        end = self.client.get_end_cursor(project, logstore, shard).get_cursor()
        if checkpoint == end:
            row.update(lagSeconds=0, groupsBehind=0, caughtUp=True)
            return row
        newest = self.client.get_previous_cursor_time(project, logstore, shard, end).get_cursor_time()
        at_checkpoint = self.client.get_cursor_time(project, logstore, shard, checkpoint).get_cursor_time()
        row["lagSeconds"] = max(0, int(newest) - int(at_checkpoint))
        pulled = self.client.pull_logs(project, logstore, shard, checkpoint, count=MAX_BEHIND, end_cursor=end)
        row["groupsBehind"] = pulled.get_loggroup_count()
        return row
