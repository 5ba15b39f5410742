"""One Elasticsearch hit as one log: its index, type and id, and its ``_source`` fields."""

from __future__ import annotations

import json
from typing import Any, Optional

from ..logitem import LogItem
from ..util import parse_timestamp

__all__ = ["DocLogItemConverter"]


class DocLogItemConverter:
    """Turns a search hit into a :class:`~aliyun.log.LogItem`.

    ``_index`` and ``_type`` become the fields ``__tag__:__es_index__`` and
    ``__tag__:__es_type__``, ``_id`` the field ``_id``; each ``_source`` field becomes a field
    (objects and arrays as JSON, other values as text). The ``time_reference`` field, when
    given and present, sets the log time; otherwise the log gets the time of the write.
    """

    INDEX_FIELD = "_index"
    TYPE_FIELD = "_type"
    ID_FIELD = "_id"
    SOURCE_FIELD = "_source"
    TAG_PREFIX = "__tag__"

    @classmethod
    def to_log_item(cls, doc: dict[str, Any], time_reference: Optional[str]) -> LogItem:
        """The log of hit ``doc``."""
        item = LogItem()
        if cls.INDEX_FIELD in doc:
            item.push_back(f"{cls.TAG_PREFIX}:__es_index__", str(doc[cls.INDEX_FIELD]))
        if cls.TYPE_FIELD in doc:
            item.push_back(f"{cls.TAG_PREFIX}:__es_type__", str(doc[cls.TYPE_FIELD]))
        if cls.ID_FIELD in doc:
            item.push_back(cls.ID_FIELD, str(doc[cls.ID_FIELD]))
        for key, value in (doc.get(cls.SOURCE_FIELD) or {}).items():
            if time_reference and key == time_reference:
                item.set_time(parse_timestamp(value))
            text = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
            item.push_back(key, text)
        return item

    @classmethod
    def get_index(cls, doc: dict[str, Any]) -> str:
        """The index a hit came from."""
        return str(doc[cls.INDEX_FIELD])
