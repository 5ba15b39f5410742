"""HTTP handlers of web tracking, and the CORS headers of its path.

Browsers write to ``/logstores/{name}/track`` from pages on other origins, so these answers (and
only these) carry CORS headers, including the answer to the ``OPTIONS`` preflight a browser sends
before a POST with custom headers. The operations are unsigned in the operation table; whether a
logstore accepts them is a service rule (``enable_tracking``).
"""

from __future__ import annotations

from collections.abc import Mapping

from .context import Context, Reply, parse_json
from .encoding import request_body

__all__ = ["CORS_OPERATIONS", "ROUTES", "cors_headers"]

#: request headers the web tracking libraries send with a POST
_ALLOWED_HEADERS = "Content-Type, x-log-apiversion, x-log-bodyrawsize, x-log-compresstype"


def cors_headers(request_headers: Mapping[str, str]) -> dict[str, str]:
    """CORS answer headers for a web tracking request (``request_headers`` in lowercase).

    Any origin may write (that is what enabling web tracking means); a preflight is granted the
    headers it asks for, so libraries that add their own still pass.
    """
    asked = request_headers.get("access-control-request-headers", "").strip()
    return {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": asked or _ALLOWED_HEADERS,
        "Access-Control-Expose-Headers": "x-log-requestid",
        "Access-Control-Max-Age": "86400",
    }


def put_webtracking(ctx: Context) -> Reply:
    # A batch may come lz4-compressed, declared as for PutLogs.
    raw = request_body(ctx.body, ctx.header("x-log-compresstype"), ctx.header("x-log-bodyrawsize"))
    body = parse_json(raw, "PostBodyInvalid")
    ctx.service.tracking.put_batch(ctx.project, ctx.segments["logstore"], body, ctx.remote_addr)
    return Reply.empty()


def get_webtracking(ctx: Context) -> Reply:
    ctx.service.tracking.put_one(ctx.project, ctx.segments["logstore"], ctx.params, ctx.remote_addr)
    return Reply.empty()


def preflight(ctx: Context) -> Reply:
    return Reply.empty()


ROUTES = {
    "PutWebtracking": put_webtracking,
    "GetWebtracking": get_webtracking,
    "WebtrackingPreflight": preflight,
}

#: operations whose answers carry CORS headers
CORS_OPERATIONS = frozenset(ROUTES)
