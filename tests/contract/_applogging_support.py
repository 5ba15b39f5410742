"""Shared pieces of the application-logging tests: fault-injecting transports and a stored-log reader."""

from __future__ import annotations

import itertools
import json
import threading
from collections import Counter
from typing import Optional

from aliyun.log import LogClient
from aliyun.log._transport import HttpRequest, HttpResponse, Transport

_names = itertools.count()


def fresh_logstore(client: LogClient, project: str, shards: int = 2) -> str:
    name = f"app-{next(_names)}"
    client.create_logstore(project, name, ttl=7, shard_count=shards)
    return name


def stored(client: LogClient, project: str, logstore: str) -> list[dict[str, str]]:
    """Every log stored in the logstore (all shards, from the beginning)."""
    logs: list[dict[str, str]] = []
    for shard in client.list_shards(project, logstore).get_shards_info():
        for batch in client.pull_log(project, logstore, shard["shardID"], "begin", "end"):
            logs.extend(batch.get_flatten_logs_json())
    return logs


def counts(logs: list[dict[str, str]], key: str) -> Counter[str]:
    return Counter(log[key] for log in logs if key in log)


def is_put(request: HttpRequest) -> bool:
    return request.method == "POST" and "/shards/" in request.target


class FaultTransport:
    """Answers the first ``failures`` PutLogs calls itself with an SLS error (the server never sees them)."""

    def __init__(self, inner: Transport, failures: list[tuple[int, str]]) -> None:
        self.inner = inner
        self.failures = list(failures)
        self.injected = 0
        self.lock = threading.Lock()

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        if is_put(request):
            with self.lock:
                fault: Optional[tuple[int, str]] = self.failures.pop(0) if self.failures else None
                if fault is not None:
                    self.injected += 1
            if fault is not None:
                status, code = fault
                body = json.dumps({"errorCode": code, "errorMessage": "injected", "requestId": "fault"}).encode()
                return HttpResponse(status, {"x-log-requestid": "fault", "Content-Type": "application/json"}, body)
        return self.inner.send(request, timeout)

    def close(self) -> None:
        self.inner.close()


class StallTransport:
    """Holds every PutLogs call until ``release`` is set (a stalled server)."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.release = threading.Event()
        self.stalled = threading.Event()

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        if is_put(request):
            self.stalled.set()
            self.release.wait(60)
        return self.inner.send(request, timeout)

    def close(self) -> None:
        self.inner.close()
