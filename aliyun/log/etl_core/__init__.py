"""A small ETL engine for log events (dicts of strings), scriptable in plain Python.

An ETL script is a Python file starting with ``from aliyun.log.etl_core import *``; its rules
are top-level variables named with a rule prefix (``KEEP_EVENT_``, ``DROP_FIELDS_``,
``DISPATCH_EVENT_``, ``TRANSFORM_EVENT_`` ... see :mod:`.settings`) and functions named
``sls_en_*``/``sls_eu_*``; :class:`Runner` applies them in line order. The building blocks are
importable on their own: conditions (:class:`condition`, :class:`EMPTY` ...), changes
(:class:`transform`, :class:`dispatch_event` ...), and extractors (``REGEX``, ``CSV``,
``TSV``, ``PSV``, ``KV``, ``JSON``, ``SPLIT``, ``LOOKUP``, ``V``, ``ZIP``).

JMESPath filters (``JSON(jmes=...)``, ``SPLIT(jmes=...)``) need the ``etl`` extra
(``jmespath``). See ``docs/data-tools.md``.
"""

from .etl_util import NOT as NOT
from .runner import Runner as Runner
from .settings import *  # noqa: F403
from .trans_comp import *  # noqa: F403
from .transform import *  # noqa: F403
