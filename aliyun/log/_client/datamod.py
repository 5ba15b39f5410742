"""Calls of ``LogClient`` that change stored logs, and asynchronous SQL (docs/changing-data.md).

* soft delete: ``delete_logs`` starts a task hiding the logs a search matches from every query,
  ``get_delete_logs_status`` / ``list_delete_logs_tasks`` report its progress;
* row-level changes on a logstore that allows them (``enableModify``): ``delete_logs_v2``,
  ``update_logs``, ``enable_logstore_modify``;
* asynchronous SQL: ``submit_async_sql``, ``get_async_sql`` (a page of the result),
  ``delete_async_sql``; the answers are protobuf (``AsyncSqlResponsePB``).

None of these changes what ``pull_logs`` and consumers read: the shard logs stay as written.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from .. import _ops as ops
from .._ops import check_label
from ..async_sql_response import AsyncSqlResponse
from ..delete_async_sql_request import DeleteAsyncSqlRequest
from ..deletelogsrequest import DeleteLogsRequest
from ..deletelogssresponse import DeleteLogsResponse
from ..deletelogsv2request import DeleteLogsV2Request
from ..deletelogsv2response import DeleteLogsV2Response
from ..get_async_sql_request import GetAsyncSqlRequest
from ..getdeletelogsstatusrequest import GetDeleteLogsStatusRequest
from ..getdeletelogsstatusresponse import GetDeleteLogsStatusResponse
from ..listdeletelogsstasksrequest import ListDeleteLogsTasksRequest
from ..listdeletelogsstasksresponse import ListDeleteLogsTasksResponse
from ..logresponse import LogResponse
from ..submit_async_sql_request import SubmitAsyncSqlRequest
from ..updatelogsrequest import UpdateLogsRequest
from ..updatelogsresponse import UpdateLogsResponse
from .core import ClientCore

__all__ = ["DataModMixin"]

#: how the asynchronous SQL answers are asked for: protobuf, lz4-compressed
_PROTOBUF_ANSWER = {"Accept": "application/x-protobuf", "Accept-Encoding": "lz4"}


def _present(**fields: Any) -> dict[str, Any]:
    """The body fields that are set (``None`` ones are not sent)."""
    return {key: value for key, value in fields.items() if value is not None}


def _update_data(log_item: Any) -> Any:
    """The ``data`` of an update from a ``LogItem`` (its contents) or a dict: JSON text."""
    if log_item is None:
        return None
    contents = getattr(log_item, "get_contents", None)
    if callable(contents):
        return json.dumps(dict(contents()))
    if isinstance(log_item, dict):
        return json.dumps(log_item)
    return log_item


class DataModMixin(ClientCore):
    """Deleting and updating stored logs, and asynchronous SQL."""

    # -- soft delete ----------------------------------------------------------------------

    def delete_logs(self, request: DeleteLogsRequest) -> DeleteLogsResponse:
        """Start a task hiding the logs that match a search from every query (soft delete).

        Once the task completes, ``get_logs``, histograms and SQL no longer see the logs of
        ``[fromTime, toTime)`` matching ``query`` (and ``topic``); ``pull_logs`` still returns
        them. Follow the task with :meth:`get_delete_logs_status`.

        :type request: DeleteLogsRequest
        :param request: project, logstore, fromTime, toTime, topic and query (a search
            statement, no SQL).
        :return: DeleteLogsResponse (``get_taskid()``)
        :raises LogException: an SLS error answer
        """
        body = _present(
            topic=request.get_topic(),
            **{"from": request.fromTime, "to": request.toTime},
            query=request.query,
        )
        body.update(accurate=True, type="logs")
        data, headers = self._call_json(
            ops.DELETE_LOGS_TASK, request.get_project(), body=body, logstore=request.get_logstore()
        )
        return DeleteLogsResponse(data, headers)

    def get_delete_logs_status(self, request: GetDeleteLogsStatusRequest) -> GetDeleteLogsStatusResponse:
        """The progress of a delete task (``get_process()``: percent; ``is_completed()``).

        :type request: GetDeleteLogsStatusRequest
        :param request: project, logstore and taskid.
        :return: GetDeleteLogsStatusResponse
        :raises LogException: an SLS error answer
        """
        task = request.get_taskid()
        data, headers = self._call_json(
            ops.GET_DELETE_LOGS_STATUS,
            request.get_project(),
            params={"taskId": task, "type": "deletelogtasks"},
            logstore=request.get_logstore(),
            task=task,
        )
        return GetDeleteLogsStatusResponse(data, headers)

    def list_delete_logs_tasks(self, request: ListDeleteLogsTasksRequest) -> ListDeleteLogsTasksResponse:
        """The delete tasks of a logstore, with their progress.

        :type request: ListDeleteLogsTasksRequest
        :param request: project and logstore.
        :return: ListDeleteLogsTasksResponse (``get_task_list()``)
        :raises LogException: an SLS error answer
        """
        data, headers = self._call_json(
            ops.LIST_DELETE_LOGS_TASKS,
            request.get_project(),
            params={"type": "deletelogtasks"},
            logstore=request.get_logstore(),
        )
        return ListDeleteLogsTasksResponse(data, headers)

    # -- row-level changes ----------------------------------------------------------------

    def delete_logs_v2(
        self,
        request: Optional[DeleteLogsV2Request] = None,
        project: Optional[str] = None,
        logstore: Optional[str] = None,
        from_time: Any = None,
        to_time: Any = None,
        query: Optional[str] = None,
        rowid: Optional[str] = None,
        row_id: Optional[str] = None,
    ) -> DeleteLogsV2Response:
        """Delete logs now: the row ``rowid`` (the ``__rowid__`` of a query result), or the
        logs of ``[from_time, to_time)`` matching ``query``. The logstore must allow changes
        (``enableModify``).

        :type request: DeleteLogsV2Request
        :param request: everything below in one object (the other arguments are then ignored).
        :type project: string
        :type logstore: string
        :type from_time: int/string
        :param from_time: start of the range (Unix seconds or a date string).
        :type to_time: int/string
        :param to_time: end of the range (exclusive).
        :type query: string
        :param query: a search statement (no SQL).
        :type rowid: string
        :param rowid: one row's id; it wins over ``query``.
        :type row_id: string
        :param row_id: the same as ``rowid`` (used when ``rowid`` is not given).
        :return: DeleteLogsV2Response (``get_affected_rows()``)
        :raises LogException: an SLS error answer
        """
        if request is None:
            request = DeleteLogsV2Request(
                project, logstore, from_time, to_time, query, rowid if rowid is not None else row_id
            )
        body = _present(
            **{"from": request.fromTime, "to": request.toTime},
            query=request.query,
            rowId=request.rowId,
        )
        data, headers = self._call_json(
            ops.DELETE_LOGS, request.get_project(), body=body, logstore=request.get_logstore()
        )
        return DeleteLogsV2Response(data, headers)

    def update_logs(
        self,
        request: Optional[UpdateLogsRequest] = None,
        project: Optional[str] = None,
        logstore: Optional[str] = None,
        from_time: Any = None,
        to_time: Any = None,
        query: Optional[str] = None,
        rowid: Optional[str] = None,
        row_id: Optional[str] = None,
        log_item: Any = None,
        update_mode: Optional[str] = None,
        data: Any = None,
    ) -> UpdateLogsResponse:
        """Change fields of stored logs: the row ``rowid``, or the logs of ``[from_time,
        to_time)`` matching ``query``. The logstore must allow changes (``enableModify``).

        :type request: UpdateLogsRequest
        :param request: everything below in one object (the other arguments are then ignored).
        :type project: string
        :type logstore: string
        :type from_time: int/string
        :type to_time: int/string
        :type query: string
        :param query: a search statement (no SQL).
        :type rowid: string
        :param rowid: one row's id (``__rowid__``); it wins over ``query``.
        :type row_id: string
        :param row_id: the same as ``rowid``.
        :type log_item: LogItem/dict
        :param log_item: the fields to set (used when ``data`` is not given).
        :type update_mode: string
        :param update_mode: ``partial`` (default: set these fields, keep the others) or
            ``full`` (the fields given replace all of the log's fields).
        :type data: string
        :param data: the fields to set as JSON text.
        :return: UpdateLogsResponse (``get_affected_rows()``)
        :raises LogException: an SLS error answer
        """
        if request is None:
            if data is None:
                data = _update_data(log_item)
            request = UpdateLogsRequest(
                project, logstore, from_time, to_time, query, rowid if rowid is not None else row_id, update_mode, data
            )
        body = _present(
            **{"from": request.fromTime, "to": request.toTime},
            query=request.query,
            rowId=request.rowId,
            updateMode=request.updateMode,
            data=request.data,
        )
        answer, headers = self._call_json(
            ops.UPDATE_LOGS, request.get_project(), body=body, logstore=request.get_logstore()
        )
        return UpdateLogsResponse(answer, headers)

    def enable_logstore_modify(self, project_name: str, logstore_name: str) -> LogResponse:
        """Allow ``delete_logs_v2`` and ``update_logs`` on an existing logstore (it cannot be undone).

        :type project_name: string
        :type logstore_name: string
        :return: LogResponse
        :raises LogException: an SLS error answer
        """
        data, headers = self._call_json(
            ops.ENABLE_LOGSTORE_MODIFY, project_name, body={"enabled": True}, logstore=logstore_name
        )
        return LogResponse(headers, data)

    # -- asynchronous SQL -----------------------------------------------------------------

    def submit_async_sql(self, request: SubmitAsyncSqlRequest) -> AsyncSqlResponse:
        """Start a SQL query in the background; the answer carries its id (``get_query_id()``).

        :type request: SubmitAsyncSqlRequest
        :param request: project, logstore, query (``search | SQL``), fromTime, toTime,
            power_sql, allow_incomplete, max_run_time.
        :return: AsyncSqlResponse
        :raises LogException: an SLS error answer
        """
        extensions: dict[str, Any] = {
            "powerSql": request.power_sql,
            "allowIncomplete": request.allow_incomplete,
        }
        if request.max_run_time is not None:
            extensions["maxRunTime"] = request.max_run_time
        body = {
            # the logstore travels in the body, not the path: checked here like a path label
            "logstore": check_label("logstore", request.get_logstore()),
            "query": request.query,
            "from": request.fromTime,
            "to": request.toTime,
            "extensions": extensions,
        }
        response = self._call(
            ops.SUBMIT_ASYNC_SQL,
            request.get_project(),
            body=json.dumps(body).encode("utf-8"),
            headers=_PROTOBUF_ANSWER,
            content_type="application/json",
        )
        return AsyncSqlResponse(dict(response.headers), response.body)

    def get_async_sql(self, request: GetAsyncSqlRequest) -> AsyncSqlResponse:
        """The state of an asynchronous query and, once ``FINISHED``, rows ``offset`` ..
        ``offset + line`` of its result (``get_rows()``, ``get_keys()``).

        :type request: GetAsyncSqlRequest
        :param request: project, query_id, offset, line.
        :return: AsyncSqlResponse
        :raises LogException: an SLS error answer
        """
        response = self._call(
            ops.GET_ASYNC_SQL,
            request.get_project(),
            params={"offset": request.offset, "line": request.line},
            headers=_PROTOBUF_ANSWER,
            query_id=request.get_query_id(),
        )
        return AsyncSqlResponse(dict(response.headers), response.body)

    def delete_async_sql(self, request: DeleteAsyncSqlRequest) -> AsyncSqlResponse:
        """Cancel an asynchronous query (if still running) and drop its result.

        :type request: DeleteAsyncSqlRequest
        :param request: project and query_id.
        :return: AsyncSqlResponse
        :raises LogException: an SLS error answer
        """
        response = self._call(
            ops.DELETE_ASYNC_SQL, request.get_project(), headers=_PROTOBUF_ANSWER, query_id=request.get_query_id()
        )
        return AsyncSqlResponse(dict(response.headers), response.body)
