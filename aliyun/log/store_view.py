"""Store views: one virtual store over several logstores or metricstores (possibly across
projects), queried as one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional

__all__ = ["StoreView", "StoreViewStore"]


class StoreViewStore:
    """One member of a store view: ``store_name`` in ``project_name``, optionally filtered by ``query``."""

    def __init__(self, project_name: str, store_name: str, query: Optional[str] = None) -> None:
        self.project_name = project_name
        self.store_name = store_name
        self.query = query

    def _to_json_dict(self) -> dict[str, Any]:
        value: dict[str, Any] = {"project": self.project_name, "storeName": self.store_name}
        if self.query is not None:
            value["query"] = self.query
        return value

    @classmethod
    def _from_json_dict(cls, json_data: dict[str, Any]) -> StoreViewStore:
        return cls(json_data.get("project", ""), json_data.get("storeName", ""), json_data.get("query"))

    def __repr__(self) -> str:
        return f"StoreViewStore({self.project_name!r}, {self.store_name!r}, query={self.query!r})"


class StoreView:
    """A store view ``name`` of ``store_type`` (``logstore`` or ``metricstore``) over ``stores``."""

    def __init__(self, name: str, store_type: str, stores: Sequence[StoreViewStore] = ()) -> None:
        self.name = name
        self.store_type = store_type
        self.stores: list[StoreViewStore] = list(stores or [])

    def _to_json_dict(self) -> dict[str, Any]:
        return {"name": self.name, "storeType": self.store_type, "stores": [s._to_json_dict() for s in self.stores]}

    @classmethod
    def _from_json_dict(cls, json_data: dict[str, Any]) -> StoreView:
        stores = [StoreViewStore._from_json_dict(item) for item in json_data.get("stores") or []]
        return cls(json_data.get("name", ""), json_data.get("storeType", ""), stores)

    def __repr__(self) -> str:
        return f"StoreView({self.name!r}, {self.store_type!r}, {self.stores!r})"
