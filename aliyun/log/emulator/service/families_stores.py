"""Resource-document families of the store calls: external stores, Logtail pipeline configs,
store views and substores (what a declaration means: :mod:`.documents`).

The rules that need more than the document itself (an external store's name is also taken by
a logstore of that name, a store view's members must exist, substores live on metric stores)
are in :mod:`.stores`. The wire facts are in docs/resources.md and docs/projects-logstores.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import bad_request
from .documents import DocumentFamily

__all__ = ["EXTERNAL_STORE", "PIPELINE_CONFIG", "STORES_FAMILIES", "STORE_VIEW", "SUBSTORE"]

#: the parameters each external store type needs; the rest of ``parameter`` is kept as sent
_EXTERNAL_PARAMETERS = {
    "rds-vpc": ("host", "port", "db", "table", "username"),
    "postgresql": ("host", "port", "db", "table", "username"),
    "oss": ("endpoint", "bucket", "objects", "columns"),
    "csv": ("externalStoreCsv", "columns"),
}


def _check_columns(columns: Any) -> None:
    if not isinstance(columns, list) or not columns:
        raise bad_request("ParameterInvalid", "columns must be a non-empty list of {name, type}")
    for column in columns:
        if not isinstance(column, dict) or not column.get("name") or not column.get("type"):
            raise bad_request("ParameterInvalid", f"a column needs a name and a type, got {column!r}")


def _check_external_store(doc: dict[str, Any]) -> None:
    store_type = doc.get("storeType")
    if store_type not in _EXTERNAL_PARAMETERS:
        raise bad_request("ParameterInvalid", f"storeType must be one of {sorted(_EXTERNAL_PARAMETERS)}")
    parameter = doc.get("parameter")
    if not isinstance(parameter, dict):
        raise bad_request("ParameterInvalid", "parameter must be a JSON object")
    for key in _EXTERNAL_PARAMETERS[store_type]:
        if parameter.get(key) in (None, "", []):
            raise bad_request("ParameterInvalid", f"a {store_type} external store needs parameter.{key}")
    if "columns" in parameter:
        _check_columns(parameter["columns"])


EXTERNAL_STORE = DocumentFamily(
    kind="externalstore",
    name_field="externalStoreName",
    not_exist="ExternalStoreNotExist",
    # external stores share the logstore namespace, and SLS answers a taken name as it does
    # for logstores
    already_exist="LogStoreAlreadyExist",
    list_key="externalstores",
    filters={"externalStoreName": "externalStoreName"},
    required=("storeType",),
    validate=_check_external_store,
)


def _plugins(doc: Mapping[str, Any], key: str) -> list[Any]:
    value = doc.get(key)
    return value if isinstance(value, list) else []


def _check_pipeline_config(doc: dict[str, Any]) -> None:
    for key in ("inputs", "flushers", "processors", "aggregators"):
        if key not in doc or doc[key] is None:
            continue
        plugins = doc[key]
        if not isinstance(plugins, list) or not all(isinstance(p, dict) and p.get("Type") for p in plugins):
            raise bad_request("ParameterInvalid", f"{key} must be a list of plugins, each with a Type")
    for key in ("inputs", "flushers"):
        if not _plugins(doc, key):
            raise bad_request("ParameterInvalid", f"a pipeline config needs at least one plugin in {key}")
    if "global" in doc and not isinstance(doc["global"], (dict, type(None))):
        raise bad_request("ParameterInvalid", "global must be a JSON object")


def _pipeline_logstores(doc: Mapping[str, Any]) -> list[str]:
    """The logstores a pipeline config writes to (its ``flusher_sls`` plugins)."""
    return [
        str(flusher.get("Logstore", ""))
        for flusher in _plugins(doc, "flushers")
        if isinstance(flusher, dict) and flusher.get("Type") == "flusher_sls"
    ]


PIPELINE_CONFIG = DocumentFamily(
    kind="pipelineconfig",
    name_field="configName",
    not_exist="ConfigNotExist",
    already_exist="ConfigAlreadyExist",
    list_key="configs",
    filters={"configName": "configName"},
    derived_filters={"logstoreName": _pipeline_logstores},
    validate=_check_pipeline_config,
)

#: store view types, and the logstore telemetry type each admits as a member
STORE_VIEW_TYPES = {"logstore": ("", "None"), "metricstore": ("Metrics",)}
MAX_STORE_VIEW_MEMBERS = 50


def _check_store_view(doc: dict[str, Any]) -> None:
    if doc.get("storeType") not in STORE_VIEW_TYPES:
        raise bad_request("ParameterInvalid", f"storeType must be one of {sorted(STORE_VIEW_TYPES)}")
    stores = doc.get("stores")
    if not isinstance(stores, list) or not stores:
        raise bad_request("ParameterInvalid", "a store view needs a non-empty list of stores")
    if len(stores) > MAX_STORE_VIEW_MEMBERS:
        raise bad_request("ParameterInvalid", f"a store view has at most {MAX_STORE_VIEW_MEMBERS} stores")
    seen = set()
    for store in stores:
        if not isinstance(store, dict) or not store.get("project") or not store.get("storeName"):
            raise bad_request("ParameterInvalid", f"each store needs a project and a storeName, got {store!r}")
        if not isinstance(store.get("query", ""), str):
            raise bad_request("ParameterInvalid", "a store's query must be a string")
        member = (store["project"], store["storeName"])
        if member in seen:
            raise bad_request("ParameterInvalid", f"store {member[0]}/{member[1]} is listed twice")
        seen.add(member)


STORE_VIEW = DocumentFamily(
    kind="storeview",
    name_field="name",
    not_exist="StoreViewNotExist",
    already_exist="StoreViewAlreadyExist",
    list_key="storeviews",
    exact_filters={"storeType": "storeType"},
    required=("storeType",),
    validate=_check_store_view,
)

#: key types of a substore (the Prometheus schema uses all four)
SUBSTORE_KEY_TYPES = ("text", "long", "double", "labels")


def _whole(doc: Mapping[str, Any], key: str) -> int:
    value = doc.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request("ParameterInvalid", f"{key} must be an integer, got {value!r}")
    return value


def _check_substore(doc: dict[str, Any]) -> None:
    keys = doc.get("keys")
    if not isinstance(keys, list) or not keys:
        raise bad_request("ParameterInvalid", "a substore needs a non-empty list of keys")
    names = set()
    for key in keys:
        if not isinstance(key, dict) or not isinstance(key.get("name"), str) or not key["name"]:
            raise bad_request("ParameterInvalid", f"a key needs a name, got {key!r}")
        if key.get("type") not in SUBSTORE_KEY_TYPES:
            raise bad_request("ParameterInvalid", f"key {key['name']}: type must be one of {SUBSTORE_KEY_TYPES}")
        if key["name"] in names:
            raise bad_request("ParameterInvalid", f"key {key['name']} is listed twice")
        names.add(key["name"])
    ttl = _whole(doc, "ttl")
    if not 1 <= ttl <= 3650:
        raise bad_request("ParameterInvalid", f"ttl must be 1..3650, got {ttl}")
    sorted_keys = _whole(doc, "sortedKeyCount")
    if not 1 <= sorted_keys <= len(keys):
        raise bad_request("ParameterInvalid", f"sortedKeyCount must be 1..{len(keys)}, got {sorted_keys}")
    time_index = _whole(doc, "timeIndex")
    # the time key follows the sorted keys and holds integers (nanoseconds in the Prometheus schema)
    if not sorted_keys <= time_index < len(keys) or keys[time_index]["type"] != "long":
        raise bad_request(
            "ParameterInvalid", f"timeIndex {time_index} must name a long key after the {sorted_keys} sorted keys"
        )


SUBSTORE = DocumentFamily(
    kind="substore",
    name_field="name",
    not_exist="SubStoreNotExist",
    already_exist="SubStoreAlreadyExist",
    list_key="substores",
    logstore_level=True,
    validate=_check_substore,
)

#: every family of this module, by meta-store kind
STORES_FAMILIES: dict[str, DocumentFamily] = {
    family.kind: family for family in (EXTERNAL_STORE, PIPELINE_CONFIG, STORE_VIEW, SUBSTORE)
}
