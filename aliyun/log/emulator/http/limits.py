"""What waitress answers by itself (an oversize body, a malformed request line) in SLS form.

Waitress refuses a request whose ``Content-Length`` is over its limit before the application
sees it, with a plain-text 413, and closes the connection at once. A client that sends its whole
body before reading (requests, urllib3, the official SDK) then gets a connection reset instead of
an answer. Here such a body is read and dropped, up to :data:`MAX_DRAINED_BODY`, and the answer is
the SLS error JSON ``PostBodyTooLarge`` with the emulator's usual headers; the connection closes
only after that.
"""

from __future__ import annotations

from typing import Any

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.task import ErrorTask
from waitress.utilities import RequestEntityTooLarge

from .app import MAX_BODY, error_reply, render

__all__ = ["MAX_DRAINED_BODY", "SLSChannel"]

#: largest oversize body read (and dropped) so that its sender sees the error; beyond this the
#: connection is closed without reading, as a defence against endless uploads
MAX_DRAINED_BODY = 4 * MAX_BODY


class _DrainingParser(HTTPRequestParser):  # type: ignore[misc]
    """Reads past an oversize body instead of stopping at its headers."""

    _drain = 0  # bytes of a refused body still to read and drop
    _decided = False  # whether the oversize refusal was already handled
    expect_continue: bool = False  # waitress's own default, declared for the type checker

    def received(self, data: bytes) -> int:
        if self._drain:
            taken = min(self._drain, len(data))
            self._drain -= taken
            if not self._drain:
                self.completed = True
            return taken
        consumed: int = super().received(data)
        if isinstance(self.error, RequestEntityTooLarge) and not self.chunked and not self._decided:
            self._decided = True
            if self.expect_continue:
                # The client waits for "100 Continue" before sending the body: no body to
                # drain, and the final answer goes out at once instead of the 100.
                self.expect_continue = False
            elif 0 < self.content_length <= MAX_DRAINED_BODY:
                self._drain = self.content_length
                self.completed = False
        return consumed


class _SLSErrorTask(ErrorTask):  # type: ignore[misc]
    """Waitress's own refusals rendered as SLS error answers."""

    def execute(self) -> None:
        error: Any = self.request.error
        if isinstance(error, RequestEntityTooLarge):
            reply = error_reply(400, "PostBodyTooLarge", f"the body is over the {MAX_BODY} byte limit")
        elif error.code >= 500:
            reply = error_reply(500, "InternalServerError", "internal error of the emulator")
        else:
            reply = error_reply(400, "ParameterInvalid", f"malformed HTTP request: {error.reason}")
        status, headers, _ = render(reply)
        self.status = status
        self.response_headers.extend(headers)
        self.set_close_on_finish()
        self.content_length = len(reply.body)
        self.write(reply.body)


class SLSChannel(HTTPChannel):  # type: ignore[misc]
    """The waitress connection class of the emulator's server."""

    parser_class = _DrainingParser
    error_task_class = _SLSErrorTask
