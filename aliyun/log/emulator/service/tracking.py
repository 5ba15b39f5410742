"""Web tracking: anonymous writes from browsers into logstores that allow them.

SLS accepts unsigned writes on ``/logstores/{name}/track`` only for a logstore whose
``enable_tracking`` setting is on. Each log gets the receive time as its time (the browser sends
none). A batch becomes one log group, stored exactly as a PutLogs group, so it can be pulled,
consumed and queried like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from ..._codec import encode_log_group
from ..._codec.errors import CodecError
from ..errors import SLSError, bad_request
from .data import DataService
from .state import EmulatorState

__all__ = ["MAX_TRACKED_LOGS", "TrackingService"]

#: most logs in one web tracking batch (what the PutLogs limit of the 0.6 API allows)
MAX_TRACKED_LOGS = 4096
#: query parameters of the GET form that are not log contents
_GET_CONTROL = frozenset(("APIVersion", "__topic__", "__source__"))


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise bad_request("PostBodyInvalid", f"{what} must be a string, got {type(value).__name__}")
    return value


class TrackingService:
    """Stores web tracking logs through the PutLogs path."""

    def __init__(self, state: EmulatorState, data: DataService) -> None:
        self.state = state
        self.data = data

    def _check_enabled(self, project: Optional[str], logstore_name: str) -> None:
        logstore = self.state.logstore(project or "", logstore_name)
        if not logstore.config.get("enable_tracking"):
            raise SLSError(
                "Unauthorized",
                f"web tracking is not enabled for logstore {logstore_name}; set enable_tracking to true",
                401,
            )

    def put_batch(self, project: Optional[str], logstore_name: str, body: Any, client_ip: str) -> None:
        """The POST form: ``{"__topic__", "__source__", "__logs__": [{...}], "__tags__": {...}}``."""
        self._check_enabled(project, logstore_name)
        if not isinstance(body, dict):
            raise bad_request("PostBodyInvalid", "the web tracking body must be a JSON object")
        logs = body.get("__logs__")
        if not isinstance(logs, list) or not logs:
            raise bad_request("PostBodyInvalid", "__logs__ must be a non-empty array of objects")
        if len(logs) > MAX_TRACKED_LOGS:
            raise bad_request("PostBodyTooLarge", f"{len(logs)} logs in one request, the limit is {MAX_TRACKED_LOGS}")
        contents = []
        for log in logs:
            if not isinstance(log, dict):
                raise bad_request("PostBodyInvalid", "each element of __logs__ must be a JSON object")
            contents.append([(_text(k, "a key"), _text(v, f"the value of {k!r}")) for k, v in log.items()])
        tags = body.get("__tags__")
        tags = {} if tags is None else tags
        if not isinstance(tags, dict):
            raise bad_request("PostBodyInvalid", "__tags__ must be a JSON object")
        topic = _text(body.get("__topic__", ""), "__topic__")
        source = _text(body.get("__source__") or client_ip, "__source__")
        tag_pairs = [(_text(k, "a tag key"), _text(v, f"the tag {k!r}")) for k, v in tags.items()]
        self._store(project, logstore_name, contents, topic, source, tag_pairs, client_ip)

    def put_one(self, project: Optional[str], logstore_name: str, params: Mapping[str, str], client_ip: str) -> None:
        """The GET form: one log whose contents are the query parameters."""
        self._check_enabled(project, logstore_name)
        contents = [(k, v) for k, v in params.items() if k not in _GET_CONTROL]
        if not contents:
            raise bad_request("PostBodyInvalid", "the web tracking request carries no log content")
        topic = params.get("__topic__", "")
        source = params.get("__source__") or client_ip
        self._store(project, logstore_name, [contents], topic, source, [], client_ip)

    def _store(
        self,
        project: Optional[str],
        logstore_name: str,
        logs: list[list[tuple[str, str]]],
        topic: str,
        source: str,
        tags: list[tuple[str, str]],
        client_ip: str,
    ) -> None:
        now = self.state.now()
        try:
            group = encode_log_group([(now, None, contents) for contents in logs], topic, source, tags)
        except CodecError as exc:
            raise bad_request("PostBodyInvalid", exc.message) from None
        self.data.put_logs(project, logstore_name, group, client_ip=client_ip)
