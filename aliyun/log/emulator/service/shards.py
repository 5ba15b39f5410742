"""Shard rules: the key space, split, merge, delete, and routing of writes."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import logging
import re
from typing import Optional

from ..errors import bad_request
from .state import KEY_SPACE, MAX_KEY, EmulatorState, LogstoreState, ShardState, key_hex

__all__ = ["ShardService", "initial_shards", "route_key"]

logger = logging.getLogger(__name__)

_HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")


def initial_shards(count: int, now: int) -> list[ShardState]:
    """``count`` read-write shards splitting the MD5 key space evenly."""
    shards = []
    for index in range(count):
        begin = key_hex(index * KEY_SPACE // count)
        end = MAX_KEY if index == count - 1 else key_hex((index + 1) * KEY_SPACE // count)
        shards.append(ShardState(index, "readwrite", begin, end, now))
    return shards


def route_key(hash_key: str) -> str:
    """The key-space point of a routing key: 32 hex digits as given, anything else hashed with MD5."""
    if _HEX32.fullmatch(hash_key):
        return hash_key.lower()
    return hashlib.md5(hash_key.encode("utf-8")).hexdigest()


def _contains(shard: ShardState, key: str) -> bool:
    # The last shard's end key is ``fff...f``, which it also holds.
    return shard.begin_key <= key and (key < shard.end_key or shard.end_key == MAX_KEY)


class ShardService:
    """Shards of one emulator."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self._round_robin = itertools.count()

    def list_shards(self, project: Optional[str], logstore_name: str) -> list[ShardState]:
        """Every shard, read-only ones included, by id."""
        logstore = self.state.logstore(project or "", logstore_name)
        with logstore.lock:
            return [s for _, s in sorted(logstore.shards.items())]

    def _writable(self, logstore: LogstoreState, shard_id: str) -> ShardState:
        try:
            number = int(shard_id)
        except ValueError:
            raise bad_request("ParameterInvalid", f"invalid shard id {shard_id!r}") from None
        shard = logstore.shard(number)
        if shard.status != "readwrite":
            raise bad_request("ParameterInvalid", f"shard {number} is readonly")
        return shard

    def _new_shards(
        self, logstore: LogstoreState, ranges: list[tuple[str, str]], parents: list[int]
    ) -> list[ShardState]:
        """New read-write shards with their (empty) logs; not yet part of the logstore."""
        first_id = max(logstore.shards) + 1
        created: list[ShardState] = []
        try:
            for number, (begin, end) in enumerate(ranges):
                shard = ShardState(first_id + number, "readwrite", begin, end, self.state.now(), parents=parents)
                self.state.open_shard_log(logstore.project, logstore.name, shard, fresh=True)
                created.append(shard)
        except BaseException:
            _destroy(created)
            raise
        return created

    def _commit(
        self, logstore: LogstoreState, action: str, retired: list[ShardState], created: list[ShardState]
    ) -> None:
        """Persist the logstore with ``retired`` read-only (children: ``created``) and ``created`` added; then apply.

        The shard table is written before memory changes, so a failed write (a full disk)
        leaves the logstore as it was, and no write can reach a shard that a restart forgets.
        """
        # No append may land in a retiring shard once its new status is written: hold their gates.
        with contextlib.ExitStack() as gates:
            for shard in retired:
                gates.enter_context(shard.gate)
            self._commit_gated(logstore, action, retired, created)

    def _commit_gated(
        self, logstore: LogstoreState, action: str, retired: list[ShardState], created: list[ShardState]
    ) -> None:
        children = [s.shard_id for s in created]
        table = dict(logstore.shards)
        for shard in retired:
            table[shard.shard_id] = dataclasses.replace(shard, status="readonly", children=children)
        for shard in created:
            table[shard.shard_id] = shard
        try:
            with self.state.faults.guard(action):
                self.state.meta.put(
                    "logstore", logstore.project, logstore.name, self.state.logstore_doc(logstore.config, table)
                )
        except BaseException:
            _destroy(created)
            raise
        for shard in retired:
            shard.status = "readonly"
            shard.children = children
        for shard in created:
            logstore.shards[shard.shard_id] = shard

    def split(self, project: Optional[str], logstore_name: str, shard_id: str, key: Optional[str]) -> list[ShardState]:
        """Split a read-write shard at ``key``: parent becomes readonly, two children take its range."""
        logstore = self.state.logstore(project or "", logstore_name)
        if not key or not _HEX32.fullmatch(key):
            raise bad_request("ParameterInvalid", f"invalid split key {key!r}: 32 hex digits expected")
        key = key.lower()
        with logstore.lock:
            parent = self._writable(logstore, shard_id)
            if not parent.begin_key < key < parent.end_key:
                raise bad_request("ParameterInvalid", "invalid mid hash: the key must lie inside the shard's range")
            with self.state.faults.guard("SplitShard"):
                left, right = self._new_shards(
                    logstore, [(parent.begin_key, key), (key, parent.end_key)], [parent.shard_id]
                )
            self._commit(logstore, "SplitShard", [parent], [left, right])
            return [parent, left, right]

    def merge(self, project: Optional[str], logstore_name: str, shard_id: str) -> list[ShardState]:
        """Merge a read-write shard with the read-write shard that starts where it ends."""
        logstore = self.state.logstore(project or "", logstore_name)
        with logstore.lock:
            left = self._writable(logstore, shard_id)
            right = next((s for s in logstore.readwrite_shards() if s.begin_key == left.end_key), None)
            if right is None:
                raise bad_request("ParameterInvalid", "can not merge the last shard")
            with self.state.faults.guard("MergeShards"):
                (merged,) = self._new_shards(
                    logstore, [(left.begin_key, right.end_key)], [left.shard_id, right.shard_id]
                )
            self._commit(logstore, "MergeShards", [left, right], [merged])
            return [merged, left, right]

    def delete(self, project: Optional[str], logstore_name: str, shard_id: str) -> None:
        """Delete a read-only shard and its data."""
        logstore = self.state.logstore(project or "", logstore_name)
        with logstore.lock:
            try:
                shard = logstore.shard(int(shard_id))
            except ValueError:
                raise bad_request("ParameterInvalid", f"invalid shard id {shard_id!r}") from None
            if shard.status == "readwrite":
                raise bad_request(
                    "ParameterInvalid",
                    f"shard {shard.shard_id} is readwrite; only readonly shards can be deleted",
                )
            table = {k: v for k, v in logstore.shards.items() if k != shard.shard_id}
            with self.state.faults.guard("DeleteShard"):
                self.state.meta.put(
                    "logstore", logstore.project, logstore.name, self.state.logstore_doc(logstore.config, table)
                )
            del logstore.shards[shard.shard_id]
            if shard.log is not None:
                try:
                    shard.log.destroy()
                except OSError as exc:  # no longer stored: a shard created with its id wipes the rest
                    logger.warning("deleting the files of shard %d: %s", shard.shard_id, exc)

    def pick_for_write(self, logstore: LogstoreState, hash_key: Optional[str]) -> ShardState:
        """The shard a write goes to: by key range, or round-robin among read-write shards."""
        writable = logstore.readwrite_shards()
        if not writable:
            raise bad_request("LogStoreWithoutShard", f"logstore {logstore.name} has no writable shard")
        if hash_key is None:
            return writable[next(self._round_robin) % len(writable)]
        point = route_key(hash_key)
        for shard in writable:
            if _contains(shard, point):
                return shard
        return writable[-1]


def _destroy(shards: list[ShardState]) -> None:
    """Remove the logs of shards that never made it into the stored table."""
    for shard in shards:
        if shard.log is not None:
            try:
                shard.log.destroy()
            except OSError as exc:
                logger.warning("removing the files of uncommitted shard %d: %s", shard.shard_id, exc)
