"""Index configuration: validation and the typed view the engine works with.

The wire form is the index JSON of docs/query.md "Indexes". The engine only needs a few facts from it (which
keys are indexed, with which type, delimiters and case rule, and which ones are SQL columns), so
this module turns the JSON into small frozen dataclasses once and everything else reads those.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from aliyun.log.emulator.errors import SLSError

#: Default delimiter list of the SLS console and SDK (docs/query.md "Indexes").
DEFAULT_TOKENS: tuple[str, ...] = (
    ",", " ", "'", '"', ";", "=", "(", ")", "[", "]", "{", "}",
    "?", "@", "&", "<", ">", "/", ":", "\n", "\t", "\r",
)  # fmt: skip

KEY_TYPES = ("text", "long", "double", "json")
JSON_SUB_TYPES = ("text", "long", "double")
TAG_PREFIX = "__tag__:"


@dataclass(frozen=True)
class TextSpec:
    """How a text value is split into tokens and compared.

    :param delims: delimiter characters; empty means the whole value is one token.
    :param case_sensitive: compare tokens without lower-casing.
    :param chn: "include Chinese" (``chn: true``): Chinese text is split into words rather than
        kept inside the token it touches (see :mod:`.textmatch` for the rule emulated).
    """

    delims: frozenset[str]
    case_sensitive: bool
    chn: bool = False


@dataclass(frozen=True)
class JsonKeySpec:
    """A typed sub-key of a json field (``json_keys`` entry)."""

    path: str
    type: str
    doc_value: bool
    alias: str


@dataclass(frozen=True)
class KeySpec:
    """One entry of ``keys``.

    :param name: the key as configured (``__tag__:NAME`` for tag keys).
    :param type: text, long, double or json.
    :param text: tokenisation for text/json keys, None for numeric ones.
    :param doc_value: the key is a SQL column ("enable analytics").
    :param json_keys: typed sub-keys of a json key, by dotted path relative to the key.
    :param index_all: a json key also indexes sub-keys not listed in ``json_keys`` (as text).
    """

    name: str
    type: str
    text: Optional[TextSpec]
    doc_value: bool
    alias: str
    json_keys: tuple[JsonKeySpec, ...] = ()
    index_all: bool = False

    @property
    def is_tag(self) -> bool:
        """True for ``__tag__:NAME`` keys, which read the log group tags, not the contents."""
        return self.name.startswith(TAG_PREFIX)

    @property
    def is_numeric(self) -> bool:
        """True for long/double keys."""
        return self.type in ("long", "double")


@dataclass(frozen=True)
class IndexSpec:
    """Typed view of one index config version."""

    line: Optional[TextSpec]
    keys: tuple[KeySpec, ...]

    def key(self, name: str) -> Optional[KeySpec]:
        """The key spec for ``name`` (exact, case-sensitive match as in SLS), or None."""
        for spec in self.keys:
            if spec.name == name:
                return spec
        return None

    @property
    def content_keys(self) -> frozenset[str]:
        """Names of indexed content keys (tag keys excluded)."""
        return frozenset(k.name for k in self.keys if not k.is_tag)


def _invalid(message: str) -> SLSError:
    return SLSError("IndexInfoInvalid", message)


def _text_spec(raw: dict[str, Any], where: str) -> TextSpec:
    tokens = raw.get("token", list(DEFAULT_TOKENS))
    if tokens is None:
        tokens = list(DEFAULT_TOKENS)
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        raise _invalid(f"token of {where} must be a list of strings")
    case = raw.get("caseSensitive", False)
    if not isinstance(case, bool):
        raise _invalid(f"caseSensitive of {where} must be a boolean")
    chn = raw.get("chn", False)
    if chn is None:
        chn = False
    if not isinstance(chn, bool):
        raise _invalid(f"chn of {where} must be a boolean")
    # A token entry is a delimiter; multi-character entries are treated as a set of characters,
    # which is the only reading that keeps tokenisation a simple character-class split.
    return TextSpec(frozenset("".join(tokens)), case, chn)


def _json_keys(raw: Any, parent: str) -> tuple[JsonKeySpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise _invalid(f"json_keys of key {parent} must be an object")
    out = []
    for path, sub in raw.items():
        if not isinstance(path, str) or not path or not isinstance(sub, dict):
            raise _invalid(f"invalid json_keys entry under key {parent}")
        sub_type = sub.get("type", "text")
        if sub_type not in JSON_SUB_TYPES:
            raise _invalid(f"invalid type {sub_type!r} for json key {parent}.{path}")
        out.append(JsonKeySpec(path, sub_type, bool(sub.get("doc_value", False)), str(sub.get("alias") or "")))
    return tuple(out)


def parse_index_config(config: dict[str, Any]) -> IndexSpec:
    """Validate ``config`` and return its typed view.

    :raises SLSError: ``IndexInfoInvalid`` for a config SLS would reject.
    """
    if not isinstance(config, dict):
        raise _invalid("index config must be a JSON object")
    line_raw = config.get("line")
    keys_raw = config.get("keys")
    if line_raw is not None and not isinstance(line_raw, dict):
        raise _invalid("line must be an object")
    if keys_raw is not None and not isinstance(keys_raw, dict):
        raise _invalid("keys must be an object")
    if not line_raw and not keys_raw:
        # SLS needs a full-text index, a field index, or both.
        raise _invalid("index config must contain line or keys")
    line = _text_spec(line_raw, "line") if line_raw else None
    keys = []
    for name, raw in (keys_raw or {}).items():
        if not isinstance(name, str) or not name.strip():
            raise _invalid("index key name must be a non-empty string")
        if not isinstance(raw, dict):
            raise _invalid(f"config of key {name} must be an object")
        key_type = raw.get("type", "text")
        if key_type not in KEY_TYPES:
            raise _invalid(f"invalid index type {key_type!r} for key {name}")
        if name.startswith(TAG_PREFIX) and key_type != "text":
            raise _invalid(f"tag key {name} can only be indexed as text")
        text = _text_spec(raw, f"key {name}") if key_type in ("text", "json") else None
        keys.append(
            KeySpec(
                name=name,
                type=key_type,
                text=text,
                doc_value=bool(raw.get("doc_value", False)),
                alias=str(raw.get("alias") or ""),
                json_keys=_json_keys(raw.get("json_keys"), name) if key_type == "json" else (),
                index_all=bool(raw.get("index_all", True)) if key_type == "json" else False,
            )
        )
    return IndexSpec(line, tuple(keys))


def validate_index_config(config: dict[str, Any]) -> None:
    """Raise ``SLSError("IndexInfoInvalid", ...)`` for a config SLS would reject.

    Unknown top-level and per-key attributes are accepted (the SDK sends several the engine does
    not use, and GetIndex must round-trip them).
    """
    parse_index_config(config)
