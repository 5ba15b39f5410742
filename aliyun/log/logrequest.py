"""Base class of the request objects (``project`` is the only field they all share)."""

from __future__ import annotations

from typing import Optional

__all__ = ["LogRequest"]


class LogRequest:
    """A request object naming its project."""

    def __init__(self, project: Optional[str] = None) -> None:
        self.project = project

    def get_project(self) -> Optional[str]:
        """The project name."""
        return self.project

    def set_project(self, project: str) -> None:
        """Set the project name."""
        self.project = project
