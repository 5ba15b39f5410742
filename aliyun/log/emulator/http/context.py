"""What a handler receives (:class:`Context`) and returns (:class:`Reply`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from ..errors import bad_request

if TYPE_CHECKING:
    from ..service import EmulatorService
    from ..service.paging import PageRequest

__all__ = ["MAX_JSON_DEPTH", "Context", "Reply", "parse_json"]


@dataclass
class Context:
    """One decoded request."""

    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]  # lowercase names
    body: bytes
    project: Optional[str]
    segments: dict[str, str]
    service: EmulatorService
    remote_addr: str = ""

    def param(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """A query parameter (the last value when repeated)."""
        return self.params.get(name, default)

    def page_request(self) -> PageRequest:
        """The ``offset``/``size`` of a list call."""
        # Imported here: the admin client imports this module without the emulator's extras.
        from ..service.paging import PageRequest

        return PageRequest.parse(self.params.get("offset"), self.params.get("size"))

    def header(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """A request header, any case."""
        return self.headers.get(name.lower(), default)

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean query parameter (``True``/``true``/``False``/``false``, as clients send them)."""
        value = self.params.get(name)
        if value is None or value == "":
            return default
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise bad_request("ParameterInvalid", f"{name} must be true or false, got {value!r}")

    def json(self, code: str = "ParameterInvalid") -> Any:
        """The body as JSON (an SLS error when it is not)."""
        return parse_json(self.body, code)


#: deepest nesting of arrays and objects a JSON body may have; SLS documents are a few levels
#: deep, and a limit keeps hostile bodies (``[[[[...``) away from recursive code
MAX_JSON_DEPTH = 64


def parse_json(raw: bytes, code: str = "ParameterInvalid") -> Any:
    """Parse a JSON request body: the one reader of every JSON API.

    :raises SLSError: ``code`` (400) for an empty body, invalid UTF-8 or JSON, or nesting deeper
        than :data:`MAX_JSON_DEPTH`.
    """
    if not raw:
        raise bad_request(code, "request body is empty")
    try:
        value = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise bad_request(code, f"body is nested deeper than {MAX_JSON_DEPTH} levels") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise bad_request(code, f"body is not valid JSON: {str(exc)[:200]}") from None
    if _depth(value) > MAX_JSON_DEPTH:
        raise bad_request(code, f"body is nested deeper than {MAX_JSON_DEPTH} levels")
    return value


def _depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value, without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


@dataclass
class Reply:
    """A success answer (errors are raised as ``SLSError``)."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    @classmethod
    def json(cls, value: Any, headers: Optional[dict[str, str]] = None) -> Reply:
        """A JSON answer."""
        return cls(200, json.dumps(value, ensure_ascii=False).encode("utf-8"), headers or {})

    @classmethod
    def empty(cls) -> Reply:
        """An empty 200 answer."""
        return cls()
