"""Generic answers of the resource families handled uniformly (create/get/update/delete/list
of a named entity such as a dashboard, a saved search or an alert)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from .logresponse import LogResponse, json_or_empty

__all__ = [
    "CreateEntityResponse",
    "DeleteEntityResponse",
    "GetEntityResponse",
    "ListEntityResponse",
    "UpdateEntityResponse",
]


class CreateEntityResponse(LogResponse):
    """Answer of a create."""


class UpdateEntityResponse(LogResponse):
    """Answer of an update."""


class DeleteEntityResponse(LogResponse):
    """Answer of a delete."""


class GetEntityResponse(LogResponse):
    """One entity: its JSON document is the body."""

    def get_entity(self) -> Any:
        """The entity's JSON document."""
        return self.body

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("entity", self.body)]


def _guess_items_key(body: Mapping[str, Any]) -> str:
    """The array's key in a list answer: the first key besides count/total ending in ``s``
    (``dashboards``, ``savedsearches``), else the last other key."""
    others = [key for key in body if key not in ("count", "total")]
    for key in others:
        if key.endswith("s"):
            return key
    return others[-1] if others else ""


class ListEntityResponse(LogResponse):
    """One page of entities; ``get_<resource_name>()`` is an alias of :meth:`get_entities`.

    :param resource_name: the array's key (guessed from the body when ``None``).
    :param entities_key: read the array from this key instead of ``resource_name``.
    """

    def __init__(
        self,
        header: Mapping[str, Any],
        resp: Any,
        resource_name: Optional[str] = None,
        entities_key: Optional[str] = None,
    ) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.count = int(body.get("count", 0))
        self._total = int(body.get("total", 0))
        self.resource_name = resource_name or _guess_items_key(body)
        self.entities: list[Any] = list(body.get(entities_key or self.resource_name) or [])
        if self.resource_name:
            setattr(self, f"get_{self.resource_name}", self.get_entities)

    def get_entities(self) -> list[Any]:
        """The entities of this page."""
        return self.entities

    def get_count(self) -> int:
        """Entities in this page."""
        return self.count

    def get_total(self) -> int:
        """Entities in all pages."""
        return self._total

    @property
    def total(self) -> int:
        """Same as :meth:`get_total`."""
        return self._total

    def merge(self, response: ListEntityResponse) -> ListEntityResponse:
        """Append the next page (its total wins).

        :raises ValueError: ``response`` is not a :class:`ListEntityResponse`.
        """
        if not isinstance(response, ListEntityResponse):
            raise ValueError(f"passed response is not a ListEntityResponse: {type(response)}")
        self.count += response.get_count()
        self._total = response.get_total()
        self.entities.extend(response.get_entities())
        self.body = {"count": self.count, "total": self._total, self.resource_name: self.entities}
        return self

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("count", self.count), ("total", self._total), (self.resource_name, self.entities)]
