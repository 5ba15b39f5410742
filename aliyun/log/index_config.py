"""Index configuration of a logstore: which text is searchable and which keys are SQL columns.

The classes map one-to-one onto the index JSON of the REST API (``line``, ``keys``,
``all_keys`` ...). ``from_json`` reads that JSON (a ``GetIndex`` answer, or a dict written by
hand as in the README) and ``to_json`` writes it back. Keys this SDK does not know (``storage``,
``index_mode``, newer service options) are kept and written back unchanged, so reading an index
and updating it never loses settings. ``ttl`` (an old top-level field) is read but not sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Optional

__all__ = ["IndexConfig", "IndexJsonKeyConfig", "IndexKeyConfig", "IndexLineConfig"]

# Keys each class reads into attributes; anything else in the JSON is kept verbatim.
_LINE_KEYS = frozenset(
    ("token", "caseSensitive", "include_keys", "exclude_keys", "chn", "auto_key_detect", "auto_key_count_limit",
     "auto_text_keys")
)  # fmt: skip
_KEY_KEYS = frozenset(
    ("type", "token", "caseSensitive", "doc_value", "alias", "chn", "embedding", "vector_index", "index_all",
     "max_depth", "json_keys")
)  # fmt: skip
_CONFIG_KEYS = frozenset(
    ("line", "keys", "all_keys", "ttl", "lastModifyTime", "log_reduce", "log_reduce_white_list",
     "log_reduce_black_list", "max_text_len", "scan_index")
)  # fmt: skip


def _unknown(json_value: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in json_value.items() if k not in known}


class IndexLineConfig:
    """Full-text index: how every text value is split into searchable words.

    :param token_list: delimiter characters (``[",", " ", ";", ...]``).
    :param case_sensitive: match words with their case.
    :param include_keys: only these keys are full-text indexed (exclusive with ``exclude_keys``).
    :param exclude_keys: every key but these is full-text indexed.
    :param chinese: also split Chinese text into words.
    :param auto_key_detect: let the service add key indexes for keys it sees.
    :param auto_key_count_limit: at most this many detected keys (with ``auto_key_detect``).
    :param auto_text_keys: keys the detection treats as text.
    """

    def __init__(
        self,
        token_list: Optional[Sequence[str]] = None,
        case_sensitive: bool = False,
        include_keys: Optional[Sequence[str]] = None,
        exclude_keys: Optional[Sequence[str]] = None,
        chinese: Optional[bool] = None,
        auto_key_detect: bool = False,
        auto_key_count_limit: Optional[int] = None,
        auto_text_keys: Optional[Sequence[str]] = None,
    ) -> None:
        self.token_list: list[str] = list(token_list or [])
        self.case_sensitive = case_sensitive
        self.include_keys: Optional[list[str]] = None if include_keys is None else list(include_keys)
        self.exclude_keys: Optional[list[str]] = None if exclude_keys is None else list(exclude_keys)
        self.chn: Optional[bool] = bool(chinese) if chinese is not None else False
        self.auto_key_detect = auto_key_detect
        self.auto_key_count_limit = auto_key_count_limit
        self.auto_text_keys: list[str] = list(auto_text_keys or [])
        self.extra: dict[str, Any] = {}

    def to_json(self) -> dict[str, Any]:
        """The ``line`` object of the index JSON."""
        out: dict[str, Any] = {"token": list(self.token_list), "caseSensitive": bool(self.case_sensitive)}
        # Unlike the official 0.9 SDK, include/exclude lists are sent: dropping them would
        # silently index keys the user asked to leave out.
        if self.include_keys is not None:
            out["include_keys"] = list(self.include_keys)
        if self.exclude_keys is not None:
            out["exclude_keys"] = list(self.exclude_keys)
        out["auto_text_keys"] = list(self.auto_text_keys)
        if self.chn is not None:
            out["chn"] = bool(self.chn)
        out["auto_key_detect"] = bool(self.auto_key_detect)
        if self.auto_key_detect and self.auto_key_count_limit is not None:
            out["auto_key_count_limit"] = int(self.auto_key_count_limit)
        out.update(self.extra)
        return out

    def from_json(self, json_value: Mapping[str, Any]) -> IndexLineConfig:
        """Read a ``line`` object (``token`` missing means no delimiters); returns ``self``."""
        self.token_list = list(json_value.get("token") or [])
        self.case_sensitive = bool(json_value.get("caseSensitive", False))
        include, exclude = json_value.get("include_keys"), json_value.get("exclude_keys")
        self.include_keys = None if include is None else list(include)
        self.exclude_keys = None if exclude is None else list(exclude)
        self.chn = json_value.get("chn")
        self.auto_key_detect = bool(json_value.get("auto_key_detect", False))
        self.auto_key_count_limit = json_value.get("auto_key_count_limit")
        self.auto_text_keys = list(json_value.get("auto_text_keys") or [])
        self.extra = _unknown(json_value, _LINE_KEYS)
        return self


class IndexJsonKeyConfig:
    """Sub-keys of a ``json`` key index (``extra.user.id`` ...).

    :param index_all: also index sub-keys not listed, as text.
    :param max_depth: how deep ``index_all`` goes (``-1``: no limit).
    :param alias: alias of the json key itself.
    """

    def __init__(self, index_all: bool = True, max_depth: int = -1, alias: Optional[str] = None) -> None:
        self.index_all = index_all
        self.max_depth = max_depth
        self.alias = alias
        self.json_keys: dict[str, dict[str, Any]] = {}

    def add_key(self, key_name: str, key_type: str, doc_value: bool = False, alias: Optional[str] = None) -> None:
        """Index the sub-key ``key_name`` (dotted path) as ``text``, ``long`` or ``double``.

        :param doc_value: make it a SQL column (``"key.sub"``).
        """
        entry: dict[str, Any] = {"type": key_type, "doc_value": bool(doc_value)}
        if alias is not None:
            entry["alias"] = alias
        self.json_keys[key_name] = entry

    def to_json(self, json_value: Optional[dict[str, Any]] = None) -> dict[str, Any]:
        """Write ``index_all``, ``max_depth`` and ``json_keys`` into ``json_value`` (a new dict when
        omitted) and return it."""
        target = {} if json_value is None else json_value
        target["index_all"] = bool(self.index_all)
        target["max_depth"] = int(self.max_depth)
        target["json_keys"] = {name: dict(entry) for name, entry in self.json_keys.items()}
        return target

    def from_json(self, json_value: Mapping[str, Any]) -> IndexJsonKeyConfig:
        """Read the json-specific fields of a key object; returns ``self``."""
        self.index_all = bool(json_value.get("index_all", True))
        self.max_depth = int(json_value.get("max_depth", -1))
        self.json_keys = {str(k): dict(v) for k, v in (json_value.get("json_keys") or {}).items()}
        return self


class IndexKeyConfig:
    """Index of one key (a field index).

    :param token_list: delimiters of a ``text``/``json`` key (empty: the whole value is one word).
    :param case_sensitive: match words with their case (``text``/``json``).
    :param index_type: ``text``, ``long``, ``double`` or ``json``.
    :param doc_value: make the key a SQL column ("enable analytics").
    :param alias: another name for the key in SQL.
    :param json_key_config: sub-key indexes of a ``json`` key (:class:`IndexJsonKeyConfig`).
    :param chinese: also split Chinese text into words.
    :param embedding: embedding settings (passed through as given).
    :param vector_index: vector index settings (passed through as given).
    """

    def __init__(
        self,
        token_list: Optional[Sequence[str]] = None,
        case_sensitive: bool = False,
        index_type: str = "text",
        doc_value: bool = False,
        alias: Optional[str] = None,
        json_key_config: Optional[IndexJsonKeyConfig] = None,
        chinese: Optional[bool] = None,
        embedding: Any = None,
        vector_index: Any = None,
    ) -> None:
        self.token_list: list[str] = list(token_list or [])
        self.case_sensitive = case_sensitive
        self.index_type = index_type
        self.doc_value = doc_value
        self.alias = alias
        self.json_key_config = json_key_config
        self.chn = chinese
        self.embedding = embedding
        self.vector_index = vector_index
        self.extra: dict[str, Any] = {}

    def get_json_key_config(self) -> Optional[IndexJsonKeyConfig]:
        """The sub-key indexes of a ``json`` key."""
        return self.json_key_config

    def set_json_key_config(self, json_key_config: IndexJsonKeyConfig) -> None:
        """Set the sub-key indexes of a ``json`` key."""
        self.json_key_config = json_key_config

    def to_json(self) -> dict[str, Any]:
        """The key object of the index JSON."""
        out: dict[str, Any] = {"type": self.index_type}
        if self.index_type in ("text", "json"):
            out["token"] = list(self.token_list)
            out["caseSensitive"] = bool(self.case_sensitive)
        if self.alias is not None:
            out["alias"] = self.alias
        out["doc_value"] = bool(self.doc_value)
        if self.chn is not None:
            out["chn"] = bool(self.chn)
        if self.embedding is not None:
            out["embedding"] = self.embedding
        if self.vector_index is not None:
            out["vector_index"] = self.vector_index
        if self.index_type == "json":
            (self.json_key_config or IndexJsonKeyConfig()).to_json(out)
        out.update(self.extra)
        return out

    def from_json(self, json_value: Mapping[str, Any]) -> IndexKeyConfig:
        """Read a key object (``type`` defaults to ``text``); returns ``self``."""
        self.index_type = str(json_value.get("type", "text"))
        self.token_list = list(json_value.get("token") or [])
        self.case_sensitive = bool(json_value.get("caseSensitive", False))
        self.doc_value = bool(json_value.get("doc_value", False))
        self.alias = json_value.get("alias")
        self.chn = json_value.get("chn")
        self.embedding = json_value.get("embedding")
        self.vector_index = json_value.get("vector_index")
        self.json_key_config = IndexJsonKeyConfig().from_json(json_value) if self.index_type == "json" else None
        self.extra = _unknown(json_value, _KEY_KEYS)
        return self


class IndexConfig:
    """A logstore's whole index: full-text (``line``), field indexes (``keys``) and options.

    :param ttl: kept for 0.6 callers; the index has no retention of its own and ``ttl`` is
        never sent.
    :param line_config: the full-text index (:class:`IndexLineConfig`).
    :param key_config_list: field indexes, ``{key name: IndexKeyConfig}``.
    :param all_keys_config: one :class:`IndexKeyConfig` applied to every key.
    :param log_reduce: enable LogReduce (log clustering).
    :param scan_index: enable the scan index.

    ::

        config = IndexConfig()
        config.from_json({"line": {"token": [",", " "]}, "keys": {"status": {"type": "long", "doc_value": True}}})
        client.create_index("project1", "logstore1", config)
    """

    def __init__(
        self,
        ttl: int = 1,
        line_config: Optional[IndexLineConfig] = None,
        key_config_list: Optional[Mapping[str, IndexKeyConfig]] = None,
        all_keys_config: Optional[IndexKeyConfig] = None,
        log_reduce: Optional[bool] = None,
        scan_index: Optional[bool] = None,
    ) -> None:
        self.ttl = ttl
        self.line_config = line_config
        self.key_config_list: dict[str, IndexKeyConfig] = dict(key_config_list or {})
        self.all_keys_config = all_keys_config
        self.log_reduce = log_reduce
        self.log_reduce_white_list: Optional[list[str]] = None
        self.log_reduce_black_list: Optional[list[str]] = None
        self.docvalue_max_text_len = 0
        self.scan_index = scan_index
        #: ``lastModifyTime`` of a ``GetIndex`` answer (Unix seconds; 0 when unknown)
        self.modify_time = 0
        self.extra: dict[str, Any] = {}

    def set_log_reduce_white_list(self, white_list: Sequence[str]) -> None:
        """Only these keys take part in LogReduce."""
        self.log_reduce_white_list = list(white_list)

    def set_log_reduce_black_list(self, black_list: Sequence[str]) -> None:
        """These keys do not take part in LogReduce."""
        self.log_reduce_black_list = list(black_list)

    def set_docvalue_max_text_len(self, max_len: int) -> None:
        """Longest text value kept for SQL (``max_text_len``; 0 leaves the service default)."""
        self.docvalue_max_text_len = int(max_len)

    def set_scan_index(self, scan_index: bool) -> None:
        """Enable or disable the scan index."""
        self.scan_index = scan_index

    def to_json(self) -> dict[str, Any]:
        """The index JSON sent by ``create_index`` / ``update_index``."""
        out: dict[str, Any] = {}
        if self.line_config is not None:
            out["line"] = self.line_config.to_json()
        if self.key_config_list:
            out["keys"] = {name: key.to_json() for name, key in self.key_config_list.items()}
        if self.all_keys_config is not None:
            out["all_keys"] = self.all_keys_config.to_json()
        if self.log_reduce is not None:
            out["log_reduce"] = bool(self.log_reduce)
        if self.docvalue_max_text_len:
            out["max_text_len"] = self.docvalue_max_text_len
        if self.log_reduce_white_list is not None:
            out["log_reduce_white_list"] = list(self.log_reduce_white_list)
        if self.log_reduce_black_list is not None:
            out["log_reduce_black_list"] = list(self.log_reduce_black_list)
        if self.scan_index is not None:
            out["scan_index"] = bool(self.scan_index)
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out

    def from_json(self, json_value: Mapping[str, Any]) -> IndexConfig:
        """Read an index JSON (a ``GetIndex`` answer or a hand-written dict); returns ``self``.

        Every part is optional; ``ttl`` and ``lastModifyTime`` are read when present.
        """
        self.ttl = int(json_value.get("ttl", self.ttl))
        self.modify_time = int(json_value.get("lastModifyTime", 0) or 0)
        line = json_value.get("line")
        self.line_config = IndexLineConfig().from_json(line) if isinstance(line, Mapping) else None
        keys = json_value.get("keys") or {}
        self.key_config_list = {str(name): IndexKeyConfig().from_json(spec) for name, spec in keys.items()}
        all_keys = json_value.get("all_keys")
        self.all_keys_config = IndexKeyConfig().from_json(all_keys) if isinstance(all_keys, Mapping) else None
        self.log_reduce = json_value.get("log_reduce")
        white, black = json_value.get("log_reduce_white_list"), json_value.get("log_reduce_black_list")
        self.log_reduce_white_list = None if white is None else list(white)
        self.log_reduce_black_list = None if black is None else list(black)
        self.docvalue_max_text_len = int(json_value.get("max_text_len", 0) or 0)
        self.scan_index = json_value.get("scan_index")
        self.extra = _unknown(json_value, _CONFIG_KEYS)
        return self

    def __repr__(self) -> str:
        return f"IndexConfig({self.to_json()!r})"
