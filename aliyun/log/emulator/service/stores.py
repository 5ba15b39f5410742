"""Store rules beyond document storage: the namespace external stores share with logstores,
store view members, substores on metric stores, and the per-logstore settings (metering mode,
multimodal configuration, substore storage TTL) and per-project SQL instance.

Builds on :class:`~.documents.DocumentService` for the families of :mod:`.families_stores`.
Settings are meta-store documents in the logstore's scope (``<project>/<logstore>``), so they
go with the logstore; the SQL instance is one document in the project's scope. The wire facts
are in docs/projects-logstores.md "Metric stores and logstore settings" and docs/resources.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional

from ..._ops.metrics import METRICS
from ..errors import SLSError, bad_request, not_found
from .documents import DocumentService
from .families_stores import EXTERNAL_STORE, STORE_VIEW, STORE_VIEW_TYPES, SUBSTORE
from .resource_store import MetaDocs
from .state import EmulatorState, LogstoreState

if TYPE_CHECKING:
    from .index import IndexService

__all__ = ["StoreRules", "is_metric_store"]

METERING_MODES = ("ChargeByFunction", "ChargeByDataIngest")
#: the metering mode of a logstore that has never set one
DEFAULT_METERING_MODE = "ChargeByFunction"
SWITCHES = ("Enabled", "Disabled")
SETTING_KIND = "logstore_setting"
SQL_INSTANCE_KIND = "sql_instance"
MAX_CU = 1000
#: substore key type -> index key type of the index a metric store gets
_INDEX_TYPES = {"text": "text", "labels": "text", "long": "long", "double": "double"}


def is_metric_store(logstore: LogstoreState) -> bool:
    """Whether a logstore was created as a metric store."""
    return logstore.config.get("telemetryType") == METRICS


class StoreRules:
    """The store calls' rules, over one emulator's state and document services."""

    def __init__(
        self,
        state: EmulatorState,
        documents: Mapping[str, DocumentService],
        indexes: Optional[IndexService] = None,
    ) -> None:
        self.state = state
        self.indexes = indexes
        self.external = documents[EXTERNAL_STORE.kind]
        self.views = documents[STORE_VIEW.kind]
        self.substores = documents[SUBSTORE.kind]
        self.settings = MetaDocs(state, SETTING_KIND)
        self.sql = MetaDocs(state, SQL_INSTANCE_KIND)

    # -- external stores ----------------------------------------------------------------------

    def create_external_store(self, project: Optional[str], body: Any) -> None:
        """Store an external store; its name must not be a logstore's either."""
        doc = self.external.checked(body)
        with self.state.lock:
            owner = self.state.project(project)
            name = doc[EXTERNAL_STORE.name_field]
            if name in owner.logstores:
                raise SLSError("LogStoreAlreadyExist", f"a logstore named {name} exists", 400)
            self.external.create(project, doc)

    # -- store views --------------------------------------------------------------------------

    def _check_members(self, project: Optional[str], body: Any) -> dict[str, Any]:
        doc = self.views.checked(body)
        admitted = STORE_VIEW_TYPES[doc["storeType"]]
        owner = self.state.project(project).name
        if doc["storeType"] == "metricstore" and doc["stores"][0]["project"] != owner:
            raise bad_request("ParameterInvalid", f"the first metric store of a view must be in project {owner}")
        for store in doc["stores"]:
            try:
                member = self.state.logstore(str(store["project"]), str(store["storeName"]))
            except SLSError as exc:
                where = f"{store['project']}/{store['storeName']}"
                raise SLSError(exc.code, f"store view member {where}: {exc.message}", exc.status) from None
            if str(member.config.get("telemetryType", "")) not in admitted:
                raise bad_request(
                    "ParameterInvalid",
                    f"{member.project}/{member.name} is not a {doc['storeType']} and cannot join this view",
                )
        return doc

    def create_store_view(self, project: Optional[str], body: Any) -> None:
        """Store a view whose member stores exist and are of its type."""
        with self.state.lock:
            self.views.create(project, self._check_members(project, body))

    def update_store_view(self, project: Optional[str], name: str, body: Any) -> None:
        """Replace a view (same member rules)."""
        with self.state.lock:
            self.views.update(project, name, self._check_members(project, body))

    # -- substores ----------------------------------------------------------------------------

    def metric_store(self, project: Optional[str], name: str) -> LogstoreState:
        """A logstore that must be a metric store (``ParameterInvalid`` otherwise)."""
        logstore = self.state.logstore(project or "", name)
        if not is_metric_store(logstore):
            raise bad_request("ParameterInvalid", f"logstore {name} is not a metric store (telemetryType Metrics)")
        return logstore

    def create_substore(self, project: Optional[str], logstore: str, body: Any) -> None:
        """Store a substore of a metric store, and index its keys if the store has no index yet.

        SLS answers SQL over a metric store without an index being created: its columns are
        the substore's keys. The emulator gives the store an index of those keys (all of them
        analytic) when its first substore is created, so queries work the same way.
        """
        with self.state.lock:
            self.metric_store(project, logstore)
            doc = self.substores.create(project, body, logstore)
            if self.indexes is not None and self.indexes.engine(project, logstore) is None:
                keys = {key["name"]: {"type": _INDEX_TYPES[key["type"]], "doc_value": True} for key in doc["keys"]}
                self.indexes.create(project, logstore, {"keys": keys})

    def update_substore(self, project: Optional[str], logstore: str, name: str) -> None:
        """SLS does not change a substore once created: 501 ``NotImplemented`` (after the usual checks)."""
        self.substores.get(project, name, logstore)
        raise SLSError("NotImplemented", "updating a substore is not supported; change its TTL instead", 501)

    def substore_ttl(self, project: Optional[str], logstore: str) -> dict[str, Any]:
        """The storage TTL of a metric store's substores (the logstore's TTL until one is set)."""
        owner = self.metric_store(project, logstore)
        found = self.settings.get(self.state.logstore_scope(owner), "substore_ttl")
        return {"ttl": int(found["ttl"]) if found else int(owner.config.get("ttl", 30))}

    def update_substore_ttl(self, project: Optional[str], logstore: str, ttl: Optional[str]) -> None:
        """Set the storage TTL of every substore (days, 1..3650)."""
        try:
            days = int(ttl or "")
        except ValueError:
            raise bad_request("ParameterInvalid", f"ttl must be an integer, got {ttl!r}") from None
        if not 1 <= days <= 3650:
            raise bad_request("ParameterInvalid", f"ttl must be 1..3650, got {days}")
        with self.state.lock:
            owner = self.metric_store(project, logstore)
            scope = self.state.logstore_scope(owner)
            self.settings.put(scope, "substore_ttl", {"ttl": days})
            for name in list(self.substores.docs.all(scope)):
                self.substores.change(project, name, {"ttl": days}, logstore)

    # -- metering mode and multimodal configuration ------------------------------------------

    def _setting(self, logstore: LogstoreState, name: str, default: dict[str, Any]) -> dict[str, Any]:
        found = self.settings.get(self.state.logstore_scope(logstore), name)
        return dict(found) if found else dict(default)

    def metering_mode(self, project: Optional[str], logstore: str, *, metric: bool = False) -> dict[str, Any]:
        """``{"meteringMode": ...}`` of a logstore (or, with ``metric``, of a metric store)."""
        owner = self.metric_store(project, logstore) if metric else self.state.logstore(project or "", logstore)
        return self._setting(owner, "meteringmode", {"meteringMode": DEFAULT_METERING_MODE})

    def update_metering_mode(self, project: Optional[str], logstore: str, body: Any, *, metric: bool = False) -> None:
        """Switch between ``ChargeByFunction`` and ``ChargeByDataIngest``."""
        mode = body.get("meteringMode") if isinstance(body, dict) else None
        if mode not in METERING_MODES:
            raise bad_request("ParameterInvalid", f"meteringMode must be one of {METERING_MODES}, got {mode!r}")
        with self.state.lock:
            owner = self.metric_store(project, logstore) if metric else self.state.logstore(project or "", logstore)
            self.settings.put(self.state.logstore_scope(owner), "meteringmode", {"meteringMode": mode})

    def multimodal(self, project: Optional[str], logstore: str) -> dict[str, Any]:
        """``{"status": ..., ["anonymousWrite": ...]}``; ``Disabled`` until set."""
        owner = self.state.logstore(project or "", logstore)
        return self._setting(owner, "multimodal", {"status": "Disabled"})

    def put_multimodal(self, project: Optional[str], logstore: str, body: Any) -> None:
        """Set the multimodal status (and optionally anonymous writes), each ``Enabled``/``Disabled``."""
        if not isinstance(body, dict) or body.get("status") not in SWITCHES:
            raise bad_request("ParameterInvalid", f"status must be one of {SWITCHES}")
        doc = {"status": body["status"]}
        if body.get("anonymousWrite") is not None:
            if body["anonymousWrite"] not in SWITCHES:
                raise bad_request("ParameterInvalid", f"anonymousWrite must be one of {SWITCHES}")
            doc["anonymousWrite"] = body["anonymousWrite"]
        with self.state.lock:
            owner = self.state.logstore(project or "", logstore)
            self.settings.put(self.state.logstore_scope(owner), "multimodal", doc)

    # -- SQL instance -------------------------------------------------------------------------

    @staticmethod
    def _instance_settings(body: Any) -> tuple[int, bool]:
        if not isinstance(body, dict):
            raise bad_request("ParameterInvalid", "body must be a JSON object")
        cu, default = body.get("cu"), body.get("useAsDefault", False)
        if isinstance(cu, bool) or not isinstance(cu, int) or not 1 <= cu <= MAX_CU:
            raise bad_request("ParameterInvalid", f"cu must be an integer 1..{MAX_CU}, got {cu!r}")
        if not isinstance(default, bool):
            raise bad_request("ParameterInvalid", f"useAsDefault must be true or false, got {default!r}")
        return cu, default

    def create_sql_instance(self, project: Optional[str], body: Any) -> None:
        """Give the project a dedicated SQL instance of ``cu`` compute units."""
        cu, default = self._instance_settings(body)
        with self.state.lock:
            name = self.state.project(project).name
            if self.sql.get(name, name) is not None:
                raise SLSError("SqlInstanceAlreadyExist", f"project {name} already has a SQL instance", 400)
            now = self.state.now()
            self.sql.put(
                name, name, {"name": name, "cu": cu, "useAsDefault": default, "createTime": now, "updateTime": now}
            )

    def update_sql_instance(self, project: Optional[str], body: Any) -> None:
        """Change the instance's compute units and default flag."""
        cu, default = self._instance_settings(body)
        with self.state.lock:
            name = self.state.project(project).name
            found = self.sql.get(name, name)
            if found is None:
                raise not_found("SqlInstanceNotExist", f"project {name} has no SQL instance")
            self.sql.put(name, name, {**found, "cu": cu, "useAsDefault": default, "updateTime": self.state.now()})

    def list_sql_instance(self, project: Optional[str]) -> list[dict[str, Any]]:
        """The project's SQL instances (none or one)."""
        name = self.state.project(project).name
        return list(self.sql.all(name).values())
