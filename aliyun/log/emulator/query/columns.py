"""Materialised (typed) columns derived from an index config version.

Every indexed key gets a typed DuckDB column filled at flush time for the rows ingested while
that key was indexed; rows from other config versions keep NULL there, which is exactly SLS's
"an index applies to data written after it" rule. Column names are derived from
(kind, type, path) so the store can recognise its columns after a restart without a registry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from aliyun.log.emulator.query.config import TAG_PREFIX, IndexSpec

SQL_TYPES = {"text": "VARCHAR", "json": "VARCHAR", "long": "BIGINT", "double": "DOUBLE"}


@dataclass(frozen=True)
class MatColumn:
    """One materialised column.

    :param kind: ``key`` (a content key), ``json`` (a typed sub-key of a json key) or ``tag``.
    :param source: content key the value is read from (the json key for ``json``; the tag name
        for ``tag``).
    :param type: index type (text, long, double, json).
    :param json_path: dotted sub-path for ``json`` columns.
    """

    kind: str
    source: str
    type: str
    json_path: str = ""

    @property
    def name(self) -> str:
        """Stable DuckDB column name."""
        ident = f"{self.kind}\x00{self.type}\x00{self.source}\x00{self.json_path}"
        digest = hashlib.md5(ident.encode("utf-8")).hexdigest()[:14]
        return f"m_{self.kind}_{self.type}_{digest}"

    @property
    def sql_type(self) -> str:
        """DuckDB type of the column."""
        return SQL_TYPES[self.type]


def columns_for(spec: IndexSpec) -> list[MatColumn]:
    """Materialised columns a config version fills."""
    out: list[MatColumn] = []
    for key in spec.keys:
        if key.is_tag:
            out.append(MatColumn("tag", key.name[len(TAG_PREFIX) :], "text"))
            continue
        if key.name in ("__topic__", "__source__", "__time__"):
            continue  # reserved fields have their own columns
        out.append(MatColumn("key", key.name, key.type))
        for sub in key.json_keys:
            out.append(MatColumn("json", key.name, sub.type, sub.path))
    return out


def json_path_literal(path: str) -> str:
    """A DuckDB JSON path for a dotted sub-key path, each segment quoted."""
    segments = [s for s in path.split(".") if s]
    return "$" + "".join('."' + s.replace('"', '\\"') + '"' for s in segments)
