"""Answer of the asynchronous SQL calls: a protobuf ``AsyncSqlResponsePB`` (possibly compressed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from .async_sql_pb2 import AsyncSqlResponsePB
from .compress import Compressor
from .logexception import LogException
from .logresponse import LogResponse

__all__ = ["AsyncSqlResponse"]


def _field(message: Any, name: str, default: Any) -> Any:
    if message is None or not message.HasField(name):
        return default
    return getattr(message, name)


class AsyncSqlResponse(LogResponse):
    """A query's id and state, its meta (rows, bytes, time, CPU) and, when finished, its rows.

    :raises LogException: ``BadResponse`` when the body is not an ``AsyncSqlResponsePB``.
    """

    def __init__(self, header: Mapping[str, Any], resp: Any) -> None:
        super().__init__(header, resp)
        self.async_sql_response_pb = AsyncSqlResponsePB()
        if resp:
            raw = Compressor.decompress_response(header, resp if isinstance(resp, bytes) else bytes(resp))
            try:
                self.async_sql_response_pb.ParseFromString(raw)
            except Exception as exc:  # DecodeError and the runtime's own variants
                raise LogException("BadResponse", f"not an AsyncSqlResponsePB: {exc}") from exc

    def get_query_id(self) -> str:
        """The query id."""
        return str(self.async_sql_response_pb.id)

    def get_state(self) -> str:
        """``RUNNING``, ``FINISHED``, ``FAILED``..."""
        return str(self.async_sql_response_pb.state)

    def get_error_code(self) -> Optional[str]:
        """The error code of a failed query (``None`` otherwise)."""
        return _field(self.async_sql_response_pb, "error_code", None)  # type: ignore[no-any-return]

    def get_error_message(self) -> Optional[str]:
        """The error message of a failed query (``None`` otherwise)."""
        return _field(self.async_sql_response_pb, "error_message", None)  # type: ignore[no-any-return]

    def get_meta(self) -> Any:
        """The ``AsyncSqlMetaPB`` (``None`` when absent)."""
        return _field(self.async_sql_response_pb, "meta", None)

    def get_result_rows(self) -> int:
        """Rows in the result."""
        return int(_field(self.get_meta(), "result_rows", 0))

    def get_processed_rows(self) -> int:
        """Logs scanned."""
        return int(_field(self.get_meta(), "processed_rows", 0))

    def get_processed_bytes(self) -> int:
        """Bytes scanned."""
        return int(_field(self.get_meta(), "processed_bytes", 0))

    def get_elapsed_milli(self) -> int:
        """Run time in milliseconds."""
        return int(_field(self.get_meta(), "elapsed_milli", 0))

    def get_cpu_sec(self) -> float:
        """CPU seconds used."""
        return float(_field(self.get_meta(), "cpu_sec", 0.0))

    def get_cpu_cores(self) -> int:
        """CPU cores used."""
        return int(_field(self.get_meta(), "cpu_cores", 0))

    def get_progress(self) -> str:
        """``Complete`` or ``Incomplete``."""
        return str(_field(self.get_meta(), "progress", ""))

    def get_keys(self) -> list[str]:
        """The result's column names."""
        meta = self.get_meta()
        return list(meta.keys) if meta is not None else []

    def get_rows(self) -> list[list[str]]:
        """The result rows, each a list of column values."""
        return [list(row.columns) for row in self.async_sql_response_pb.rows]

    def get_raw_response_pb(self) -> Any:
        """The decoded ``AsyncSqlResponsePB``."""
        return self.async_sql_response_pb

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [
            ("query_id", self.get_query_id()),
            ("state", self.get_state()),
            ("keys", self.get_keys()),
            ("rows", self.get_rows()),
        ]
