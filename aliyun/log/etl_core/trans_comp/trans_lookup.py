"""``LOOKUP``: enrich events from a dict or a CSV table.

With a dict, the value of the input field is looked up (``"*"`` is the default entry). With a
CSV file (a path or ``file://path``, its first line the header unless ``headers`` is given),
the input fields select the first row whose columns equal them (``*`` in a cell matches
anything) and the output columns are copied. Matching ignores case by default. Tables are
read once per process and kept.
"""

from __future__ import annotations

import csv
import logging
import os
import threading
from typing import Any, Optional

from ..exceptions import SettingError
from .trans_base import trans_comp_check_mdoe_base

__all__ = ["trans_comp_lookup"]

logger = logging.getLogger(__name__)


def _same(cell: str, value: Any, case_insensitive: bool) -> bool:
    if cell == "*":
        return True
    text = str(value)
    return cell.lower() == text.lower() if case_insensitive else cell == text


class _Table:
    def __init__(self, rows: list[dict[str, str]], field_names: list[str]) -> None:
        self.rows = rows
        self.field_names = set(field_names)

    def row_for(self, inputs: dict[str, Any], case_insensitive: bool) -> Optional[dict[str, str]]:
        if any(k not in self.field_names for k in inputs):
            return None
        for row in self.rows:
            if all(_same(row.get(k) or "", v, case_insensitive) for k, v in inputs.items()):
                return row
        return None


class trans_comp_lookup(trans_comp_check_mdoe_base):
    """Enrich from a table (module docstring).

    :param data: a dict, or the path of a CSV file.
    :param output_fields: the field(s) to write; for a CSV table, column names or
        ``(column, new_name)`` pairs.
    :param sep: CSV delimiter. :param quote: CSV quote character.
    :param lstrip: drop spaces after a delimiter. :param headers: column names (a list or
        ``"a,b,c"``) when the file has no header line.
    :param case_insensitive: compare ignoring case (default True).
    :param mode: the set mode.
    """

    EXTERNAL_CACHE: dict[Any, _Table] = {}
    _cache_lock = threading.Lock()

    def __init__(
        self,
        data: Any,
        output_fields: Any,
        sep: str = ",",
        quote: str = '"',
        lstrip: bool = True,
        case_insensitive: bool = True,
        headers: Any = None,
        mode: Optional[str] = None,
    ) -> None:
        super().__init__(mode=mode)
        self.case_insensitive = case_insensitive
        data, output_fields = self._u(data), self._u(output_fields)
        if isinstance(data, dict):
            self.mapping = {(k.lower() if case_insensitive else k): v for k, v in data.items()}
            self.default = data.get("*")
            names = [output_fields] if isinstance(output_fields, str) else output_fields
            if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
                raise SettingError(msg="LOOKUP output_fields is a name or a list of names", settings=output_fields)
            self.dict_outputs = list(names)
            self.table: Optional[_Table] = None
            return
        if not isinstance(data, str):
            raise SettingError(msg="LOOKUP takes a dict or the path of a CSV file", settings=data)
        if isinstance(headers, str):
            headers = [h.strip() for h in headers.split(",")]
        self.table = self._load(data, sep, quote, lstrip, tuple(headers) if headers else None)
        pairs = [output_fields] if isinstance(output_fields, str) else output_fields
        self.outputs: dict[str, str] = {}
        for item in pairs if isinstance(pairs, (list, tuple)) else [None]:
            if isinstance(item, str):
                self.outputs[item] = item
            elif isinstance(item, (list, tuple)) and len(item) == 2:
                self.outputs[str(item[0])] = str(item[1])
            else:
                raise SettingError(
                    msg="LOOKUP output_fields holds names or (column, new name) pairs", settings=output_fields
                )
        missing = [f for f in self.outputs if f not in self.table.field_names]
        if missing:
            raise SettingError(msg="LOOKUP output columns not in the table", settings=missing)

    @classmethod
    def _load(cls, data: str, sep: str, quote: str, lstrip: bool, headers: Optional[tuple[str, ...]]) -> _Table:
        key = (data, sep, quote, lstrip, headers)
        with cls._cache_lock:
            if key in cls.EXTERNAL_CACHE:
                return cls.EXTERNAL_CACHE[key]
        scheme, _, rest = data.partition("://")
        if rest and scheme != "file":
            raise SettingError(msg="LOOKUP reads local files only (file://...)", settings=data)
        path = rest or data
        if not os.path.isfile(path):
            raise SettingError(msg="LOOKUP cannot find the file", settings=data)
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, fieldnames=headers, skipinitialspace=lstrip, delimiter=sep, quotechar=quote)
            rows = list(reader)
            table = _Table(rows, list(reader.fieldnames or []))
        with cls._cache_lock:
            cls.EXTERNAL_CACHE[key] = table
        return table

    def _dict_lookup(self, event: dict[str, Any], inpt: Any) -> None:
        for field in [inpt] if isinstance(inpt, str) else list(inpt):
            if not isinstance(field, str) or field not in event:
                continue
            value = str(event[field])
            found = self.mapping.get(value.lower() if self.case_insensitive else value, self.default)
            if found is not None:
                for name in self.dict_outputs:
                    self.set(event, name, found)

    def _table_lookup(self, event: dict[str, Any], inpt: Any) -> None:
        assert self.table is not None
        inputs: dict[str, Any] = {}
        for item in [inpt] if isinstance(inpt, str) else list(inpt):
            field, column = (item, item) if isinstance(item, str) else tuple(item)
            if field not in event:
                return
            inputs[column] = event[field]
        row = self.table.row_for(inputs, self.case_insensitive)
        if row is None:
            return
        for column, name in self.outputs.items():
            if column in row:
                self.set(event, name, row[column])

    def __call__(self, event: dict[str, Any], inpt: Any) -> dict[str, Any]:
        inpt = self._u(inpt)
        if self.table is None:
            self._dict_lookup(event, inpt)
        else:
            self._table_lookup(event, inpt)
        return event
