"""An Elasticsearch mapping as a logstore index.

Every mapped field becomes a field index: numbers as ``long``/``double``, text, keywords, dates,
booleans, IPs and geo values as ``text``, ranges and objects as ``json`` with their sub-keys.
Every key is a SQL column (``doc_value``), plus ``_id``; the full-text index splits on the
usual delimiters. Field names differing only in case are indexed once (SLS keys ignore case);
field types SLS has no counterpart for (``binary``, ``nested`` arrays...) are left out.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Callable, Optional

from ..errors import BadParameters
from ..index_config import IndexConfig, IndexJsonKeyConfig, IndexKeyConfig, IndexLineConfig

__all__ = ["AliyunLogFieldType", "DocRangeComparator", "MappingIndexConverter"]


class AliyunLogFieldType:
    """Index types of SLS keys."""

    TEXT = "text"
    LONG = "long"
    DOUBLE = "double"
    JSON = "json"


class DocRangeComparator:
    """The bounds of an Elasticsearch range value (its JSON sub-keys)."""

    GT = "gt"
    LT = "lt"
    GTE = "gte"
    LTE = "lte"


# ES field type -> (SLS type, split into words?, Chinese segmentation?)
_SCALARS: dict[str, tuple[str, bool, bool]] = {
    "text": (AliyunLogFieldType.TEXT, True, True),
    "keyword": (AliyunLogFieldType.TEXT, False, True),
    "date": (AliyunLogFieldType.TEXT, True, False),
    "boolean": (AliyunLogFieldType.TEXT, False, False),
    "ip": (AliyunLogFieldType.TEXT, False, False),
    "ip_range": (AliyunLogFieldType.TEXT, False, False),
    "geo_point": (AliyunLogFieldType.TEXT, True, False),
    "geo_shape": (AliyunLogFieldType.TEXT, True, False),
    **dict.fromkeys(("long", "integer", "short", "byte"), (AliyunLogFieldType.LONG, False, False)),
    **dict.fromkeys(("double", "float", "half_float", "scaled_float"), (AliyunLogFieldType.DOUBLE, False, False)),
}
# ES range type -> SLS type of its bounds
_RANGES = {
    "integer_range": AliyunLogFieldType.LONG,
    "long_range": AliyunLogFieldType.LONG,
    "float_range": AliyunLogFieldType.DOUBLE,
    "double_range": AliyunLogFieldType.DOUBLE,
    "date_range": AliyunLogFieldType.TEXT,
}


class MappingIndexConverter:
    """Builds :class:`~aliyun.log.IndexConfig` objects from Elasticsearch mappings."""

    DEFAULT_TOKEN_LIST = [
        ",", " ", "'", '"', ";", "=", "(", ")", "[", "]", "{", "}", "?", "@", "&", "<", ">", "/", ":", "\\n", "\\t",
        "\\r",
    ]  # fmt: skip

    @classmethod
    def to_index_config(cls, mapping: Optional[Mapping[str, Any]]) -> Optional[IndexConfig]:
        """The index of one mapping (``{"properties": {...}}``); ``None`` for an empty mapping."""
        if not mapping:
            return None
        line = IndexLineConfig(token_list=cls.DEFAULT_TOKEN_LIST, chinese=True)
        config = IndexConfig(line_config=line, key_config_list=cls.to_key_config_list(mapping.get("properties")))
        config.docvalue_max_text_len = 16384
        return config

    @classmethod
    def to_key_config_list(cls, properties: Optional[Mapping[str, Any]]) -> dict[str, IndexKeyConfig]:
        """Field indexes of a mapping's ``properties`` (plus ``_id``)."""
        keys = {"_id": IndexKeyConfig(index_type=AliyunLogFieldType.TEXT, doc_value=True)}
        seen = {"_id"}
        for name, desc in (properties or {}).items():
            if name.lower() in seen:
                continue
            key = cls._key_of(name, desc)
            if key is not None:
                seen.add(name.lower())
                keys[name] = key
        return keys

    @classmethod
    def _scalar(cls, es_type: str) -> Optional[IndexKeyConfig]:
        if es_type in _SCALARS:
            sls_type, words, chinese = _SCALARS[es_type]
            return IndexKeyConfig(
                token_list=cls.DEFAULT_TOKEN_LIST if words else None,
                index_type=sls_type,
                doc_value=True,
                chinese=chinese or None,
            )
        if es_type in _RANGES:
            bounds = IndexJsonKeyConfig()
            for bound in (DocRangeComparator.GT, DocRangeComparator.LT, DocRangeComparator.GTE, DocRangeComparator.LTE):
                bounds.add_key(key_name=bound, key_type=_RANGES[es_type], doc_value=True)
            return IndexKeyConfig(index_type=AliyunLogFieldType.JSON, json_key_config=bounds)
        return None

    @classmethod
    def _key_of(cls, name: str, desc: Any) -> Optional[IndexKeyConfig]:
        if not isinstance(desc, Mapping):
            raise BadParameters("BadParameters", f"mapping of field {name!r} is not an object: {desc!r}")
        if "type" in desc and desc["type"] != "object":
            return cls._scalar(str(desc["type"]))
        if "properties" in desc:
            return cls.handle_properties(desc["properties"])
        raise BadParameters("BadParameters", f"mapping of field {name!r} has neither type nor properties")

    @classmethod
    def handle_properties(cls, properties: Mapping[str, Any]) -> IndexKeyConfig:
        """A ``json`` key for an object field, its leaves as sub-keys."""
        sub_keys = IndexJsonKeyConfig()
        for path, key in cls.parse_properties(None, properties).items():
            sub_keys.add_key(key_name=path, key_type=key.index_type, doc_value=key.doc_value)
        return IndexKeyConfig(index_type=AliyunLogFieldType.JSON, json_key_config=sub_keys, doc_value=True)

    @classmethod
    def parse_properties(cls, prefix: Optional[str], properties: Mapping[str, Any]) -> dict[str, IndexKeyConfig]:
        """The leaves of nested ``properties`` by dotted path (scalar types only)."""
        leaves: dict[str, IndexKeyConfig] = {}
        for name, desc in properties.items():
            path = f"{prefix}.{name}" if prefix else name
            if isinstance(desc, Mapping) and "properties" in desc:
                leaves.update(cls.parse_properties(path, desc["properties"]))
                continue
            key = cls._key_of(path, desc)
            if key is not None and key.index_type != AliyunLogFieldType.JSON:
                leaves[path] = key
        return leaves


#: the builder of each supported Elasticsearch field type
field_type_handlers: dict[str, Callable[[], Optional[IndexKeyConfig]]] = {
    es_type: functools.partial(MappingIndexConverter._scalar, es_type) for es_type in (*_SCALARS, *_RANGES)
}
