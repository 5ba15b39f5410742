"""JMESPath filters, imported only when a script uses one (``pip install 'aliyun-log-python-sdk[etl]'``)."""

from __future__ import annotations

from typing import Any

from ..exceptions import SettingError


def compile_jmes(expression: str) -> Any:
    """The compiled ``expression``; ``SettingError`` when jmespath is missing or it is invalid."""
    try:
        import jmespath
        from jmespath.exceptions import JMESPathError
    except ImportError as exc:  # an optional dependency
        raise SettingError(
            exc, expression, "a jmes filter needs jmespath: pip install 'aliyun-log-python-sdk[etl]'"
        ) from exc
    try:
        return jmespath.compile(expression)
    except JMESPathError as exc:
        raise SettingError(exc, expression, "invalid jmes filter") from exc
