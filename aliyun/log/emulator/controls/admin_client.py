"""A small client of the admin HTTP API, for an emulator running in another process or container.

::

    admin = AdminClient("127.0.0.1:18900", "emulator-access-key-id", "emulator-access-key-secret")
    admin.advance_clock(3600)
    admin.inject_fault(api="PutLogs", error_code="ServerBusy", status=503, count=2)

Requests are signed (signature v1) with the emulator's access key, like any SLS request. Needs
only the SDK's core dependencies.
"""

from __future__ import annotations

import json
from typing import Any, Optional, Union
from urllib.parse import quote, urlencode

import requests

from ..._auth import Credentials, SignerV1
from .admin import ADMIN_PREFIX

__all__ = ["AdminClient", "AdminError"]


class AdminError(Exception):
    """The admin API answered an error: ``status``, ``code`` and ``message`` say which."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class AdminClient:
    """Calls the admin API of the emulator at ``endpoint``.

    :param endpoint: ``host:port`` (``http://`` assumed) or a full ``http(s)://host:port``.
    :param verify: for HTTPS, ``True`` (system CAs), ``False`` or a CA file (``server.ca_file``).
    :param timeout: seconds per request.
    """

    def __init__(
        self,
        endpoint: str,
        access_key_id: str,
        access_key_secret: str,
        *,
        verify: Union[bool, str] = True,
        timeout: float = 30.0,
    ) -> None:
        self.base = endpoint.rstrip("/") if "://" in endpoint else f"http://{endpoint.rstrip('/')}"
        self._credentials = Credentials(access_key_id, access_key_secret)
        self._verify = verify
        self._timeout = timeout
        self._session = requests.Session()
        self._session.trust_env = False  # a proxy from the environment must not see admin calls

    def call(
        self, method: str, path: str, body: Optional[dict[str, Any]] = None, params: Optional[dict[str, str]] = None
    ) -> Any:
        """One signed admin request; ``path`` is relative to the admin prefix (``/clock``)."""
        params = params or {}
        resource = ADMIN_PREFIX + path
        data = json.dumps(body).encode("utf-8") if body is not None else b""
        headers = {"x-log-apiversion": "0.6.0", "x-log-bodyrawsize": str(len(data))}
        if data:
            headers["Content-Type"] = "application/json"
        SignerV1().sign(method, resource, params, headers, data, self._credentials)
        url = self.base + quote(resource) + (f"?{urlencode(params)}" if params else "")
        answer = self._session.request(
            method, url, data=data or None, headers=headers, timeout=self._timeout, verify=self._verify
        )
        doc: Any = answer.json() if answer.content else {}
        if answer.status_code >= 400:
            raise AdminError(answer.status_code, str(doc.get("errorCode")), str(doc.get("errorMessage")))
        return doc

    # -- the routes, spelled out ------------------------------------------------------------

    def reset(self, project: Optional[str] = None) -> None:
        """Delete every project, or one."""
        self.call("POST", "/reset", {} if project is None else {"project": project})

    def clock(self) -> dict[str, Any]:
        """``{"now": <unix seconds>, "frozen": bool}``."""
        result: dict[str, Any] = self.call("GET", "/clock")
        return result

    def freeze_clock(self, at: Optional[float] = None) -> dict[str, Any]:
        """Stop time (at ``at``, default now)."""
        result: dict[str, Any] = self.call(
            "POST", "/clock", {"action": "freeze", **({} if at is None else {"time": at})}
        )
        return result

    def resume_clock(self) -> dict[str, Any]:
        """Let time tick again."""
        result: dict[str, Any] = self.call("POST", "/clock", {"action": "resume"})
        return result

    def set_clock(self, when: float) -> dict[str, Any]:
        """Jump to ``when``."""
        result: dict[str, Any] = self.call("POST", "/clock", {"action": "set", "time": when})
        return result

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        """Move time forward."""
        result: dict[str, Any] = self.call("POST", "/clock", {"action": "advance", "seconds": seconds})
        return result

    def reset_clock(self) -> dict[str, Any]:
        """Follow real time again."""
        result: dict[str, Any] = self.call("POST", "/clock", {"action": "reset"})
        return result

    def inject_fault(self, **fault: Any) -> dict[str, Any]:
        """Queue a fault (the fields of :class:`~aliyun.log.emulator.controls.faults.Fault`)."""
        result: dict[str, Any] = self.call("POST", "/faults", fault)
        return result

    def faults(self) -> list[dict[str, Any]]:
        """Pending faults."""
        result: list[dict[str, Any]] = self.call("GET", "/faults")["faults"]
        return result

    def clear_faults(self) -> None:
        """Drop every pending fault."""
        self.call("DELETE", "/faults")

    def requests(self, api: Optional[str] = None) -> dict[str, Any]:
        """``{"counts": {api: {outcome: n}}, "requests": [...]}`` (only ``api``'s requests when given)."""
        result: dict[str, Any] = self.call("GET", "/requests", params=None if api is None else {"api": api})
        return result

    def clear_requests(self) -> None:
        """Forget the request journal."""
        self.call("DELETE", "/requests")

    def shards(self, project: str, logstore: str) -> list[dict[str, Any]]:
        """Shards of a logstore with their stored log group and log counts."""
        result: list[dict[str, Any]] = self.call("GET", f"/projects/{project}/logstores/{logstore}/shards")["shards"]
        return result

    def log_groups(self, project: str, logstore: str, shard: int) -> list[dict[str, Any]]:
        """Stored log groups of one shard, decoded."""
        path = f"/projects/{project}/logstores/{logstore}/shards/{int(shard)}/loggroups"
        result: list[dict[str, Any]] = self.call("GET", path)["log_groups"]
        return result

    def consumer_groups(self, project: str, logstore: str) -> dict[str, Any]:
        """Consumer groups with members, their shards, and checkpoints."""
        path = f"/projects/{project}/logstores/{logstore}/consumergroups"
        result: dict[str, Any] = self.call("GET", path)["consumer_groups"]
        return result

    def close(self) -> None:
        """Close pooled connections."""
        self._session.close()
