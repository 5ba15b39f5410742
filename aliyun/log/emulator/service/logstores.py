"""Logstore rules: create, read, update, delete, list."""

from __future__ import annotations

from typing import Any, Optional

from ..errors import SLSError, bad_request
from .names import check_logstore_name
from .paging import Page, PageRequest, page
from .shards import initial_shards
from .state import EmulatorState, LogstoreState, damaged_error

__all__ = ["LogstoreService"]

MAX_SHARDS = 256
# Keys kept from a create/update body, with their types; anything else is ignored (the
# service tolerates unknown keys from newer clients).
_BOOL_KEYS = ("enable_tracking", "autoSplit", "appendMeta", "enableModify")
_INT_KEYS = ("maxSplitShard", "hot_ttl", "infrequentAccessTTL")
_STR_KEYS = ("telemetryType", "mode")


def _int(body: dict[str, Any], key: str, default: Optional[int] = None) -> int:
    value = body.get(key, default)
    if isinstance(value, bool) or value is None:
        raise bad_request("LogStoreInfoInvalid", f"{key} must be an integer")
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise bad_request("LogStoreInfoInvalid", f"{key} must be an integer, got {value!r}") from None


def _settings(body: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    config = dict(base)
    ttl = _int(body, "ttl", base.get("ttl", 30))
    if not 1 <= ttl <= 3650:
        raise bad_request("LogStoreInfoInvalid", f"ttl must be 1..3650, got {ttl}")
    config["ttl"] = ttl
    for key in _BOOL_KEYS:
        if key in body:
            config[key] = bool(body[key]) if not isinstance(body[key], str) else body[key].lower() == "true"
    for key in _INT_KEYS:
        if key in body:
            config[key] = _int(body, key)
    for key in _STR_KEYS:
        if key in body and body[key] is not None:
            config[key] = str(body[key])
    if "encrypt_conf" in body:
        config["encrypt_conf"] = body["encrypt_conf"]
    return config


class LogstoreService:
    """Logstores of one emulator."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def create(self, project_name: Optional[str], body: Any) -> None:
        """Create a logstore with its initial shards."""
        if not isinstance(body, dict):
            raise bad_request("LogStoreInfoInvalid", "body must be a JSON object")
        name = check_logstore_name(body.get("logstoreName"))
        shard_count = _int(body, "shardCount", 2)
        if not 1 <= shard_count <= MAX_SHARDS:
            raise bad_request("LogStoreInfoInvalid", f"shardCount must be 1..{MAX_SHARDS}, got {shard_count}")
        with self.state.lock:
            project = self.state.project(project_name)
            # external stores share the namespace (docs/resources.md "External stores")
            if name in project.logstores or self.state.meta.get("externalstore", project.name, name) is not None:
                raise SLSError("LogStoreAlreadyExist", f"logstore {name} already exists", 400)
            now = self.state.now()
            defaults: dict[str, Any] = {
                "logstoreName": name,
                "ttl": 30,
                "enable_tracking": False,
                "autoSplit": True,
                "maxSplitShard": 64,
                "appendMeta": False,
                "telemetryType": "",
                "hot_ttl": -1,
                "createTime": now,
                "lastModifyTime": now,
            }
            config = _settings(body, defaults)
            if name in project.damaged:
                raise damaged_error("logstore", f"{project.name}/{name}", project.damaged[name])
            logstore = LogstoreState(project.name, name, config)
            with self.state.faults.guard("CreateLogStore"):
                try:
                    for shard in initial_shards(shard_count, now):
                        self.state.open_shard_log(project.name, name, shard, fresh=True)
                        logstore.shards[shard.shard_id] = shard
                    self.state.save_logstore(logstore)  # persisted first: a failure changes nothing
                except BaseException:
                    for shard in logstore.shards.values():
                        if shard.log is not None:
                            shard.log.destroy()
                    raise
            project.logstores[name] = logstore
            self.state.run_logstore_hooks(logstore)

    def get(self, project_name: Optional[str], name: str) -> dict[str, Any]:
        """A logstore's settings as the REST API shows them."""
        logstore = self.state.logstore(project_name or "", name)
        with logstore.lock:
            view = dict(logstore.config)
            view["shardCount"] = len(logstore.readwrite_shards())
        return view

    def update(self, project_name: Optional[str], name: str, body: Any) -> None:
        """Change settings; the shard count cannot change here."""
        if not isinstance(body, dict):
            raise bad_request("LogStoreInfoInvalid", "body must be a JSON object")
        if body.get("logstoreName", name) != name:
            raise bad_request("LogStoreInfoInvalid", "logstoreName in the body differs from the URL")
        with self.state.lock:
            logstore = self.state.logstore(project_name or "", name)
            with logstore.lock:
                if "shardCount" in body and _int(body, "shardCount") != len(logstore.readwrite_shards()):
                    raise bad_request(
                        "ParameterInvalid",
                        "shardCount cannot be changed by UpdateLogStore; split or merge shards",
                    )
                config = _settings(body, logstore.config)
                config["lastModifyTime"] = self.state.now()
                with self.state.faults.guard("UpdateLogStore"):
                    self.state.meta.put(
                        "logstore", logstore.project, name, self.state.logstore_doc(config, logstore.shards)
                    )
                logstore.config = config

    def delete(self, project_name: Optional[str], name: str) -> None:
        """Delete a logstore and its data."""
        with self.state.lock:
            project = self.state.project(project_name)
            if name in project.damaged and name not in project.logstores:
                # What is left of a logstore whose definition could not be read: remove it.
                with self.state.faults.guard("DeleteLogStore"):
                    self.state.meta.write(
                        [("delete", "logstore", project.name, name), ("delete_scope", f"{project.name}/{name}")]
                    )
                del project.damaged[name]
                self.state.drop_logstore_folders(project.name, name)
                return
            logstore = project.logstore(name)
            with logstore.lock:
                with self.state.faults.guard("DeleteLogStore"):
                    self.state.drop_logstore_data(logstore)
                del project.logstores[name]

    def list_names(self, project_name: Optional[str], name_filter: str, paging: PageRequest) -> Page[str]:
        """One page of logstore names containing ``name_filter``."""
        project = self.state.project(project_name)
        with self.state.lock:
            names = sorted(n for n in project.logstores if name_filter in n)
        return page(names, paging)

    def all(self) -> list[LogstoreState]:
        """Every logstore of every project."""
        with self.state.lock:
            return [ls for p in self.state.projects.values() for ls in p.logstores.values()]
