"""The base of event transformations (callables taking one event)."""

from __future__ import annotations

from typing import Any

__all__ = ["transform_base"]


class transform_base:
    """A callable over events; its ``__name__`` names its class (parsers and logs read it)."""

    def __call__(self, event: Any) -> Any:
        raise NotImplementedError

    @property
    def __name__(self) -> str:
        return str(type(self))
