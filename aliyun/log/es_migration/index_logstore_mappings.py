"""Which logstore each Elasticsearch index goes to.

By default an index goes to the logstore of its own name. ``logstore_index_mappings`` (a JSON
text ``{"logstore": "index1, index2, logs-*"}``) sends indexes, named or matched with ``*``,
to a logstore of another name; an index matched by two logstores is an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Optional

from ..errors import BadParameters
from .util import split_and_strip

__all__ = ["IndexLogstoreMappings"]


class IndexLogstoreMappings:
    """The index → logstore mapping of a migration (module docstring).

    :param index_lst: the indexes being migrated.
    :param logstore_index_mappings: the JSON text of explicit mappings.
    """

    def __init__(
        self, index_lst: Optional[Iterable[str]] = None, logstore_index_mappings: Optional[str] = None
    ) -> None:
        self.index_logstore_dct: dict[str, str] = {}
        self.logstore_indexes_dct: dict[str, list[str]] = {}
        indexes = list(index_lst or [])
        if not indexes:
            return
        self.index_logstore_dct = {index: index for index in indexes}
        explicit: dict[str, str] = json.loads(logstore_index_mappings) if logstore_index_mappings else {}
        claimed: dict[str, str] = {}
        for logstore, patterns in explicit.items():
            matched: list[str] = []
            for pattern in split_and_strip(patterns, ","):
                for index in self._get_match_indexes(pattern, indexes):
                    if index in claimed and claimed[index] != logstore:
                        raise BadParameters(
                            "BadParameters", f"index {index!r} is mapped to both {claimed[index]!r} and {logstore!r}"
                        )
                    claimed[index] = logstore
                    self.index_logstore_dct[index] = logstore
                    if index not in matched:
                        matched.append(index)
            if matched:
                self.logstore_indexes_dct[logstore] = matched
        for index, logstore in self.index_logstore_dct.items():
            if logstore not in self.logstore_indexes_dct:
                self.logstore_indexes_dct[logstore] = [index]

    def get_logstore(self, index: str) -> Optional[str]:
        """The logstore of ``index`` (``None``: not part of the migration)."""
        return self.index_logstore_dct.get(index)

    def get_all_logstores(self) -> list[str]:
        """Every target logstore."""
        return list(self.logstore_indexes_dct)

    def get_indexes(self, logstore: str) -> list[str]:
        """The indexes going to ``logstore``."""
        return list(self.logstore_indexes_dct.get(logstore, []))

    def get_all_indexes(self) -> list[str]:
        """Every index of the migration."""
        return list(self.index_logstore_dct)

    @classmethod
    def _get_match_indexes(cls, pattern: str, index_lst: Iterable[str]) -> list[str]:
        indexes = list(index_lst)
        if not pattern or not indexes:
            return []
        if "*" not in pattern:
            return [index for index in indexes if index == pattern]
        regex = re.compile(".*".join(re.escape(part) for part in pattern.split("*")))
        return [index for index in indexes if regex.fullmatch(index)]
