"""``ListTopicsRequest``: the topics of a logstore, a page at a time."""

from __future__ import annotations

from typing import Optional

from .logrequest import LogRequest

__all__ = ["ListTopicsRequest"]


class ListTopicsRequest(LogRequest):
    """What ``client.list_topics(request)`` lists.

    :param project: project name.
    :param logstore: logstore name.
    :param token: where to continue: the ``get_next_token()`` of the previous page (``None``:
        from the start).
    :param line: topics per page (``None``: the service default).
    """

    def __init__(
        self,
        project: Optional[str] = None,
        logstore: Optional[str] = None,
        token: Optional[str] = None,
        line: Optional[int] = None,
    ) -> None:
        super().__init__(project)
        self.logstore = logstore
        self.token = token
        self.line = line

    def get_logstore(self) -> Optional[str]:
        """The logstore name."""
        return self.logstore

    def set_logstore(self, logstore: str) -> None:
        """Set the logstore name."""
        self.logstore = logstore

    def get_token(self) -> Optional[str]:
        """Where the page starts."""
        return self.token

    def set_token(self, token: str) -> None:
        """Set where the page starts."""
        self.token = token

    def get_line(self) -> Optional[int]:
        """Topics per page."""
        return self.line

    def set_line(self, line: int) -> None:
        """Set the topics per page."""
        self.line = line
