"""Consumer groups: definitions, checkpoints, heartbeats and shard assignment.

Per logstore, ``logstore.consumer_groups`` maps a group name to its :class:`GroupState`.
Durable documents (``state.meta``), all under the logstore's scope so deleting the logstore or
project deletes them too:

* ``consumer_group``  ``<project>/<logstore>`` ``<group>``: ``{"timeout": int, "order": bool}``
* ``consumer_checkpoint`` ``<project>/<logstore>/<group>`` ``<shard>``: ``{"checkpoint", "updateTime", "consumer"}``
* ``consumer_members`` ``<project>/<logstore>/<group>`` ``members``: who holds what, so consumers
  that were alive before a restart keep their shards (their next heartbeat lists them, which an
  unknown consumer may not do).

Assignment itself is pure (:mod:`.assignment`); this module feeds it the shard facts and the
live consumers and stores the outcome. Time comes from ``state.clock`` so tests can expire a
consumer without waiting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import SLSError, bad_request, not_found
from .assignment import Assignment, ShardView, consumable_shards, rebalance
from .data import decode_cursor, encode_cursor
from .names import check_resource_name
from .state import EmulatorState, LogstoreState

__all__ = ["MAX_GROUPS", "ConsumerGroupService", "GroupState"]

logger = logging.getLogger(__name__)

MAX_GROUPS = 30
MAX_TIMEOUT = 86400
_KIND_GROUP = "consumer_group"
_KIND_CHECKPOINT = "consumer_checkpoint"
_KIND_MEMBERS = "consumer_members"


@dataclass
class Checkpoint:
    """A shard's committed position."""

    cursor: str
    update_time: int  # microseconds
    consumer: str

    def to_doc(self) -> dict[str, Any]:
        return {"checkpoint": self.cursor, "updateTime": self.update_time, "consumer": self.consumer}


@dataclass
class GroupState:
    """One consumer group: settings, checkpoints and live consumers."""

    name: str
    timeout: int
    order: bool
    checkpoints: dict[int, Checkpoint] = field(default_factory=dict)
    last_seen: dict[str, float] = field(default_factory=dict)
    assignment: Assignment = field(default_factory=Assignment)


def _bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise bad_request("JsonInfoInvalid", f"{name} must be a boolean, got {value!r}")


def _timeout(value: Any) -> int:
    if isinstance(value, bool):
        raise bad_request("JsonInfoInvalid", "timeout must be an integer number of seconds")
    try:
        seconds = int(value)
    except (TypeError, ValueError, OverflowError):
        raise bad_request("JsonInfoInvalid", f"timeout must be an integer, got {value!r}") from None
    if not 1 <= seconds <= MAX_TIMEOUT:
        raise bad_request("JsonInfoInvalid", f"timeout must be 1..{MAX_TIMEOUT} seconds, got {seconds}")
    return seconds


class ConsumerGroupService:
    """Consumer groups of one emulator."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    # -- loading and saving -----------------------------------------------------------------------

    def load_logstore(self, state: EmulatorState, logstore: LogstoreState) -> None:
        """Logstore hook: read the logstore's groups back (nothing for a new logstore).

        A document that cannot be read is reported and skipped. A checkpoint beyond the end of
        its shard (the shard lost its tail) is clamped to the end, so that the group reads the
        logs written from now on instead of skipping them.
        """
        scope = state.logstore_scope(logstore)
        groups: dict[str, GroupState] = {}
        bad = state.report_bad_document
        for doc_scope, name, doc in state.meta.items(_KIND_GROUP, bad):
            if doc_scope == scope:
                try:
                    groups[name] = GroupState(name, int(doc["timeout"]), bool(doc["order"]))
                except (KeyError, TypeError, ValueError) as exc:
                    bad(_KIND_GROUP, doc_scope, name, f"unreadable field {exc}")
        now = state.clock.now()
        for doc_scope, name, doc in state.meta.items(_KIND_CHECKPOINT, bad):
            group = groups.get(doc_scope[len(scope) + 1 :]) if doc_scope.startswith(scope + "/") else None
            if group is None:
                continue
            try:
                point = Checkpoint(str(doc["checkpoint"]), int(doc["updateTime"]), str(doc["consumer"]))
                shard_id = int(name)
            except (KeyError, TypeError, ValueError) as exc:
                bad(_KIND_CHECKPOINT, doc_scope, name, f"unreadable field {exc}")
                continue
            group.checkpoints[shard_id] = self._clamped(logstore, group, shard_id, point)
        for doc_scope, _, doc in state.meta.items(_KIND_MEMBERS, bad):
            group = groups.get(doc_scope[len(scope) + 1 :]) if doc_scope.startswith(scope + "/") else None
            if group is None:
                continue
            try:
                members = {
                    consumer: ({int(s) for s in held.get("assigned", [])}, {int(s) for s in held.get("releasing", [])})
                    for consumer, held in doc.items()
                }
            except (AttributeError, TypeError, ValueError) as exc:
                bad(_KIND_MEMBERS, doc_scope, "members", f"unreadable field {exc}")
                continue
            for consumer, (assigned, releasing) in members.items():
                # Consumers alive before the restart get a full timeout to come back.
                group.last_seen[consumer] = now
                group.assignment.assigned[consumer] = assigned
                group.assignment.releasing[consumer] = releasing
        logstore.consumer_groups = groups

    def _clamped(self, logstore: LogstoreState, group: GroupState, shard_id: int, point: Checkpoint) -> Checkpoint:
        shard = logstore.shards.get(shard_id)
        if shard is None or shard.log is None or not point.cursor:
            return point
        try:
            position = decode_cursor(point.cursor) - shard.cursor_base
        except SLSError:
            return point
        if position <= shard.log.end:
            return point
        end = shard.log.end
        self.state.faults.report(
            "consumer checkpoint",
            f"{logstore.project}/{logstore.name}/{group.name}/{shard_id}",
            f"checkpoint {position} is beyond the end of the shard ({end}); clamped to the end",
        )
        return Checkpoint(encode_cursor(shard.cursor_base + end), point.update_time, point.consumer)

    def _group_scope(self, logstore: LogstoreState, group: str) -> str:
        return f"{self.state.logstore_scope(logstore)}/{group}"

    def _save_group(self, logstore: LogstoreState, group: GroupState) -> None:
        self.state.meta.put(
            _KIND_GROUP,
            self.state.logstore_scope(logstore),
            group.name,
            {"timeout": group.timeout, "order": group.order},
        )

    def _save_members(
        self,
        logstore: LogstoreState,
        group: GroupState,
        last_seen: dict[str, float],
        assignment: Assignment,
        action: str = "ConsumerGroupHeartBeat",
    ) -> None:
        doc = {
            name: {
                "assigned": sorted(assignment.assigned.get(name, ())),
                "releasing": sorted(assignment.releasing.get(name, ())),
            }
            for name in last_seen
        }
        with self.state.faults.guard(action):
            self.state.meta.put(_KIND_MEMBERS, self._group_scope(logstore, group.name), "members", doc)

    # -- lookups ------------------------------------------------------------------------------------

    def _groups(self, project: Optional[str], logstore_name: str) -> tuple[LogstoreState, dict[str, GroupState]]:
        logstore = self.state.logstore(project or "", logstore_name)
        if logstore.consumer_groups is None:  # not loaded yet
            self.load_logstore(self.state, logstore)
        assert logstore.consumer_groups is not None
        return logstore, logstore.consumer_groups

    def groups_of(self, project: str, logstore_name: str) -> tuple[LogstoreState, dict[str, GroupState]]:
        """A logstore and its consumer groups by name (for inspection; hold ``logstore.lock`` to read them)."""
        return self._groups(project, logstore_name)

    @staticmethod
    def _group(groups: dict[str, GroupState], name: str) -> GroupState:
        found = groups.get(name)
        if found is None:
            raise not_found("ConsumerGroupNotExist", f"consumer group {name} does not exist")
        return found

    # -- definitions ----------------------------------------------------------------------------------

    def create(self, project: Optional[str], logstore_name: str, body: Any) -> None:
        """Create a group from ``{"consumerGroup", "timeout", "order"}``."""
        if not isinstance(body, dict):
            raise bad_request("JsonInfoInvalid", "body must be a JSON object")
        name = check_resource_name("consumer group", body.get("consumerGroup"), "JsonInfoInvalid")
        if "timeout" not in body:
            raise bad_request("JsonInfoInvalid", "timeout is required")
        timeout = _timeout(body["timeout"])
        order = _bool(body.get("order", False), "order")
        logstore, groups = self._groups(project, logstore_name)
        with logstore.lock:
            if name in groups:
                raise SLSError("ConsumerGroupAlreadyExist", f"consumer group {name} already exists", 400)
            if len(groups) >= MAX_GROUPS:
                raise bad_request("ExceedQuota", f"a logstore holds at most {MAX_GROUPS} consumer groups")
            group = GroupState(name, timeout, order)
            with self.state.faults.guard("CreateConsumerGroup"):
                self._save_group(logstore, group)  # persisted first: a failure changes nothing
            groups[name] = group

    def update(self, project: Optional[str], logstore_name: str, name: str, body: Any) -> None:
        """Change ``timeout`` and/or ``order``."""
        if not isinstance(body, dict) or not ({"timeout", "order"} & set(body)):
            raise bad_request("JsonInfoInvalid", "give timeout and/or order")
        timeout = _timeout(body["timeout"]) if "timeout" in body else None
        order = _bool(body["order"], "order") if "order" in body else None
        logstore, groups = self._groups(project, logstore_name)
        with logstore.lock:
            group = self._group(groups, name)
            changed = GroupState(
                name, group.timeout if timeout is None else timeout, group.order if order is None else order
            )
            with self.state.faults.guard("UpdateConsumerGroup"):
                self._save_group(logstore, changed)
            group.timeout, group.order = changed.timeout, changed.order

    def delete(self, project: Optional[str], logstore_name: str, name: str) -> None:
        """Delete a group with its checkpoints."""
        logstore, groups = self._groups(project, logstore_name)
        with logstore.lock:
            self._group(groups, name)
            with self.state.faults.guard("DeleteConsumerGroup"):
                self.state.meta.write(
                    [
                        ("delete", _KIND_GROUP, self.state.logstore_scope(logstore), name),
                        ("delete_scope", self._group_scope(logstore, name)),
                    ]
                )
            del groups[name]

    def list_groups(self, project: Optional[str], logstore_name: str) -> list[GroupState]:
        """Every group of the logstore, by name."""
        logstore, groups = self._groups(project, logstore_name)
        with logstore.lock:
            return [groups[n] for n in sorted(groups)]

    # -- checkpoints ----------------------------------------------------------------------------------

    def get_checkpoints(
        self, project: Optional[str], logstore_name: str, name: str, shard: Optional[str]
    ) -> list[dict[str, Any]]:
        """Checkpoints of one shard or of every shard; a shard without one shows ``checkpoint: ""``."""
        logstore, groups = self._groups(project, logstore_name)
        with logstore.lock:
            group = self._group(groups, name)
            if shard is not None and shard.strip() not in ("", "-1"):
                try:
                    wanted = [int(shard)]
                except ValueError:
                    raise bad_request("ParameterInvalid", f"invalid shard {shard!r}") from None
            else:
                wanted = sorted(set(logstore.shards) | set(group.checkpoints))
            out = []
            for shard_id in wanted:
                found = group.checkpoints.get(shard_id)
                if found is None and shard_id not in logstore.shards:
                    continue  # unknown shard: no element at all
                point = found or Checkpoint("", 0, "")
                out.append({"shard": shard_id, **point.to_doc()})
            return out

    def update_checkpoint(
        self,
        project: Optional[str],
        logstore_name: str,
        name: str,
        consumer: str,
        force: bool,
        body: Any,
    ) -> None:
        """Store ``{"shard", "checkpoint"}``; without ``force`` only the shard's current owner may."""
        if not isinstance(body, dict) or "shard" not in body or "checkpoint" not in body:
            raise bad_request("JsonInfoInvalid", 'body must be {"shard": int, "checkpoint": str}')
        try:
            shard_id = int(body["shard"])
        except (TypeError, ValueError, OverflowError):
            raise bad_request("JsonInfoInvalid", f"invalid shard {body['shard']!r}") from None
        cursor = body["checkpoint"]
        if not isinstance(cursor, str):
            raise bad_request("InvalidShardCheckPoint", "checkpoint must be a cursor string")
        try:
            decode_cursor(cursor)
        except SLSError:
            raise bad_request("InvalidShardCheckPoint", f"invalid checkpoint {cursor[:64]!r}") from None
        if not force and not consumer:
            raise bad_request("ParameterInvalid", "consumer is required unless forceSuccess is true")
        logstore, groups = self._groups(project, logstore_name)
        with logstore.lock:
            group = self._group(groups, name)
            logstore.shard(shard_id)
            if not force:
                self._expire(logstore, group, "UpdateCheckPoint")
                if consumer not in group.last_seen:
                    raise bad_request("ConsumerNotExsit", f"consumer {consumer} does not exist")
                held = group.assignment.assigned.get(consumer, set()) | group.assignment.releasing.get(consumer, set())
                if shard_id not in held:
                    raise bad_request("ConsumerNotMatch", f"shard {shard_id} is not held by consumer {consumer}")
            point = Checkpoint(cursor.strip(), int(self.state.clock.now() * 1_000_000), consumer)
            with self.state.faults.guard("UpdateCheckPoint"):
                self.state.meta.put(_KIND_CHECKPOINT, self._group_scope(logstore, name), str(shard_id), point.to_doc())
            group.checkpoints[shard_id] = point

    # -- heartbeats -------------------------------------------------------------------------------------

    def heartbeat(self, project: Optional[str], logstore_name: str, name: str, consumer: str, body: Any) -> list[int]:
        """Keep ``consumer`` alive; ``body`` lists the shards it holds. Returns the shards it should hold."""
        if not consumer:
            raise bad_request("ParameterInvalid", "consumer is required")
        if body is None:
            body = []
        if not isinstance(body, list) or any(isinstance(s, bool) or not isinstance(s, int) for s in body):
            raise bad_request("JsonInfoInvalid", "heartbeat body must be a JSON array of shard ids")
        reported = set(body)
        logstore, groups = self._groups(project, logstore_name)
        with logstore.lock:
            group = self._group(groups, name)
            changed = self._expire(logstore, group)
            seen = dict(group.last_seen)
            if consumer not in seen:
                if reported:
                    raise bad_request(
                        "NotExistConsumerWithBody", f"consumer {consumer} is unknown and sent shards {sorted(reported)}"
                    )
                changed = True
            seen[consumer] = self.state.clock.now()
            current = group.assignment.copy()
            current.assigned.setdefault(consumer, set())
            releasing = current.releasing.setdefault(consumer, set())
            # What it no longer lists is released; what it lists unasked is adopted when free.
            releasing &= reported
            consumable: set[int] = set(self._consumable(logstore, group))
            claimed = current.claimed_by_others(consumer)
            for shard in reported - current.assigned[consumer] - releasing:
                if shard in consumable and shard not in claimed:
                    current.assigned[consumer].add(shard)
                else:
                    releasing.add(shard)
            plan = rebalance(current, sorted(seen), sorted(consumable))
            if changed or plan != group.assignment:
                self._save_members(logstore, group, seen, plan)  # persisted first
                group.assignment = plan
            if consumer not in group.last_seen:
                logger.info("consumer group %s: consumer %s joined", name, consumer)
            group.last_seen = seen
            return sorted(plan.assigned.get(consumer, ()))

    def _expire(self, logstore: LogstoreState, group: GroupState, action: str = "ConsumerGroupHeartBeat") -> bool:
        """Drop consumers silent for longer than the group's timeout; whether any was dropped."""
        deadline = self.state.clock.now() - group.timeout
        gone = [c for c, seen in group.last_seen.items() if seen < deadline]
        if not gone:
            return False
        seen = {c: t for c, t in group.last_seen.items() if c not in gone}
        assignment = group.assignment.copy()
        for consumer in gone:
            assignment.assigned.pop(consumer, None)
            assignment.releasing.pop(consumer, None)
        self._save_members(logstore, group, seen, assignment, action)  # persisted first
        for consumer in gone:
            logger.info("consumer group %s: consumer %s timed out", group.name, consumer)
        group.last_seen = seen
        group.assignment = assignment
        return True

    def _consumable(self, logstore: LogstoreState, group: GroupState) -> list[int]:
        views = []
        for shard in logstore.shards.values():
            finished = False
            if shard.status != "readwrite" and shard.log is not None:
                end = shard.log.end
                point = group.checkpoints.get(shard.shard_id)
                if shard.log.begin >= end:
                    finished = True  # nothing (left) to read
                elif point is not None and point.cursor:
                    try:
                        finished = decode_cursor(point.cursor) - shard.cursor_base >= end
                    except SLSError:
                        finished = False
            views.append(ShardView(shard.shard_id, finished, tuple(shard.parents)))
        return consumable_shards(views, group.order)
