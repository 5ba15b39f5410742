"""Logger adapters that prefix every message with who logs it: ``[project/logstore/group/consumer]``.

The official consumer modules each expose one (``ConsumerClientLoggerAdapter``,
``HeartBeatLoggerAdapter``, ...), built as ``Adapter(logger, {"<role>": obj})``; they differ only in
the ``extra`` key they read and the path to the names, so each is a subclass of
:class:`IdentityLoggerAdapter` naming the two.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping, Sequence
from typing import Any, ClassVar

__all__ = ["IdentityLoggerAdapter", "client_identity"]


def client_identity(client: Any) -> list[object]:
    """Project, logstore, group and consumer of a consumer client."""
    return [client.mproject, client.mlogstore, client.mconsumer_group, client.mconsumer]


class IdentityLoggerAdapter(logging.LoggerAdapter):  # type: ignore[type-arg]
    """Puts ``[a/b/c]`` (from :meth:`identity` of ``extra[role]``) before each message."""

    #: the ``extra`` key holding the object that logs
    role: ClassVar[str] = ""

    def identity(self, subject: Any) -> Sequence[object]:
        """The parts of the prefix."""
        raise NotImplementedError

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        extra = self.extra or {}
        subject = extra.get(self.role)
        if subject is None:
            return msg, kwargs
        return "[{}]{}".format("/".join(str(part) for part in self.identity(subject)), msg), kwargs
