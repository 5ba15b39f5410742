"""Logging of a migration: the run's records, also kept in a logstore of the project.

:func:`setup_logging` creates the logstore ``internal-es-migration-log`` (with a full-text
index) and quiets the HTTP libraries; when this package's ``SimpleLogHandler`` is available
it also ships the root logger's records there, tagged with the migration id.
"""

from __future__ import annotations

import importlib
import logging

from ..errors import IndexAlreadyExist, LogStoreAlreadyExist
from ..index_config import IndexConfig, IndexLineConfig
from ..logclient import LogClient

__all__ = ["setup_logging"]

_MIGRATION_LOGSTORE = "internal-es-migration-log"
_TOKENS = [
    ",",
    " ",
    "'",
    '"',
    ";",
    "=",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "?",
    "@",
    "&",
    "<",
    ">",
    "/",
    ":",
    "\n",
    "\t",
    "\r",
]


def setup_logging(migration: str, endpoint: str, project: str, access_key_id: str, access_key: str) -> None:
    """Prepare the migration's log (module docstring); ``migration`` is the run's id."""
    client = LogClient(endpoint, access_key_id, access_key)
    try:
        client.create_logstore(project, _MIGRATION_LOGSTORE)
    except LogStoreAlreadyExist:
        pass
    try:
        client.create_index(project, _MIGRATION_LOGSTORE, IndexConfig(line_config=IndexLineConfig(token_list=_TOKENS)))
    except IndexAlreadyExist:
        pass
    for noisy in ("requests", "urllib3", "elasticsearch", "elastic_transport"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    handler_class = getattr(importlib.import_module("aliyun.log"), "SimpleLogHandler", None)
    if handler_class is None:
        return
    handler = handler_class(
        end_point=endpoint, access_key_id=access_key_id, access_key=access_key, project=project,
        log_store=_MIGRATION_LOGSTORE, fields="level,process_id,thread_id,module,func_name".split(","),
        extract_json=True,
    )  # fmt: skip
    handler.log_tags = [("__migration__", migration)]
    root = logging.getLogger()
    root.setLevel(min(root.level or logging.INFO, logging.INFO))
    root.addHandler(handler)
