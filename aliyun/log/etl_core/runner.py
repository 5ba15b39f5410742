"""``Runner``: load an ETL script and apply it to events."""

from __future__ import annotations

import importlib.util
import itertools
import logging
import os
import sys
import traceback
import types
from typing import Any, Union

from .config_parser import ConfigParser
from .etl_util import process_event
from .exceptions import SettingError

__all__ = ["Runner"]

logger = logging.getLogger(__name__)
_loaded = itertools.count()


def _error_line(exc: BaseException, path: str) -> str:
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename) == path]
    return f"line {lines[-1]}" if lines else "loading"


def load_script(path: str) -> types.ModuleType:
    """Import the script at ``path`` as a fresh module.

    :raises SettingError: the file is missing, is not valid Python (the message names the
        line), or fails while it runs, e.g. calling an unknown function (the message names the
        line and the error).
    """
    path = os.path.abspath(path)
    try:
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
    except OSError as exc:
        raise SettingError(exc, path, "cannot read the ETL script") from exc
    try:
        code = compile(source, path, "exec")
    except SyntaxError as exc:
        raise SettingError(msg=f"{path}, line {exc.lineno}: invalid script: {exc.msg}") from exc
    name = f"_sls_etl_script_{next(_loaded)}_{os.path.splitext(os.path.basename(path))[0]}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look the module up by name
    try:
        exec(code, module.__dict__)  # the user's own script, which is the point of a Runner
    except NameError as exc:
        raise SettingError(msg=f"{path}, {_error_line(exc, path)}: unknown name: {exc}") from exc
    except SettingError as exc:
        raise SettingError(msg=f"{path}, {_error_line(exc, path)}: {exc.get_error_message()}") from exc
    except Exception as exc:
        raise SettingError(msg=f"{path}, {_error_line(exc, path)}: {type(exc).__name__}: {exc}") from exc
    return module


class Runner:
    """The steps of an ETL script, applied to one event at a time.

    :param config_path: the path of a ``.py`` script, or an imported script module.

    ``runner(event)`` returns the new event, a list of events (split), or ``None`` (dropped);
    the caller's dict is not changed.
    """

    def __init__(self, config_path: Union[str, types.ModuleType]) -> None:
        module = config_path if isinstance(config_path, types.ModuleType) else load_script(os.fspath(config_path))
        self.fn_list = [step for _, step in ConfigParser(module).parse()]
        logger.info("ETL script %s: %d steps", getattr(module, "__file__", module), len(self.fn_list))

    def __call__(self, event: Any) -> Any:
        return process_event(event, self.fn_list)
