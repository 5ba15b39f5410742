"""Process events every live producer must follow: ``fork()`` and interpreter exit.

* In a child process a producer forgets the parent's buffer, threads and pooled connections (the
  parent still owns and sends those logs) and starts afresh on its next ``send``.
  ``os.register_at_fork`` covers ``os.fork``, multiprocessing, gunicorn and Celery's prefork pool;
  servers that fork without telling Python (uWSGI without ``py-call-osafterfork``) are caught by
  the process-id check each producer makes in ``send`` where :func:`forks_unseen` says such a
  fork can happen (the check is a system call, so it is not made on every send elsewhere).
* At exit each producer is closed with its own ``close_timeout``, so pending logs are sent and the
  process never waits longer than that (sender threads are daemons).
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import weakref
from typing import Protocol

__all__ = ["forget_inherited_connections", "forks_unseen", "register"]


class _Managed(Protocol):
    close_timeout: float

    def _after_fork_in_child(self) -> None: ...

    def _begin_close_at_exit(self) -> None: ...

    def _close_at_exit(self) -> None: ...


_live: weakref.WeakSet[_Managed] = weakref.WeakSet()
_lock = threading.Lock()


def register(producer: _Managed) -> None:
    """Follow ``producer`` through forks and close it at exit (held weakly)."""
    with _lock:
        _live.add(producer)


def forks_unseen() -> bool:
    """Whether this process may be forked without Python's fork hooks running: under uWSGI
    (its ``uwsgi`` module is there before any application code; it forks workers behind
    Python's back unless ``py-call-osafterfork`` is set), or without ``os.register_at_fork``."""
    return "uwsgi" in sys.modules or not hasattr(os, "register_at_fork")


def forget_inherited_connections(client: object) -> None:
    """Make ``client`` open new connections in this (forked) process, never using the parent's
    (:meth:`LogClient.after_fork`; any other client object is closed)."""
    hook = getattr(client, "after_fork", None)
    if callable(hook):
        hook()
        return
    close = getattr(client, "close", None)
    if callable(close):
        close()  # a test's client: nothing inherited to wait on


def _after_fork_in_child() -> None:
    global _lock
    _lock = threading.Lock()  # a parent thread may have held it at the fork
    for producer in list(_live):
        producer._after_fork_in_child()


def _close_all() -> None:
    # Every producer starts draining (and its deadline starts) at once, so the exit takes the
    # longest close_timeout, not their sum.
    producers = list(_live)
    for producer in producers:
        producer._begin_close_at_exit()
    for producer in producers:
        producer._close_at_exit()


if hasattr(os, "register_at_fork"):  # not on Windows (no fork there)
    os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(_close_all)
