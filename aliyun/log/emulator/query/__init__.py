"""Query engine of the SLS emulator: search syntax, analytic SQL, histograms (see
``docs/architecture-query.md``)."""

from aliyun.log.emulator.query.config import validate_index_config
from aliyun.log.emulator.query.engine import LogstoreIndex, no_index_error
from aliyun.log.emulator.query.records import LogRecord, QueryResult

__all__ = ["LogRecord", "LogstoreIndex", "QueryResult", "no_index_error", "validate_index_config"]
