"""Shard assignment of a consumer group, as pure functions (no I/O, no clock, no locks).

The coordinator (:mod:`.consumer`) calls :func:`consumable_shards` to learn which shards may be
consumed now and :func:`rebalance` to spread them over the live consumers. Both are plain data in,
plain data out, so every rule below is unit-tested without a server.

Rules (docs/consumer.md "The server side (emulator)"):

* every consumable shard is assigned to exactly one consumer; counts differ by at most one;
* a consumer keeps what it has as long as that stays within its share (no needless moves);
* a shard taken away from consumer A goes to A's ``releasing`` set and is given to nobody else
  until A stops listing it in its heartbeat: A gets time to finish its batch and flush its
  checkpoint, so the next owner starts exactly where A stopped (no double consumption);
* a read-only shard whose data was consumed to its end is *finished* and no longer assigned;
  with ``order`` a shard is consumable only once every parent still present is finished.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["Assignment", "ShardView", "consumable_shards", "rebalance"]


@dataclass(frozen=True)
class ShardView:
    """What assignment needs to know about one shard.

    :param shard_id: the shard.
    :param finished: read-only and consumed to its end (or holding no data at all).
    :param parents: ids of the shards it was split or merged from.
    """

    shard_id: int
    finished: bool = False
    parents: tuple[int, ...] = ()


@dataclass
class Assignment:
    """Who holds what: ``assigned`` is what each consumer is told to hold, ``releasing`` what it
    was told to give up but still listed in its last heartbeat."""

    assigned: dict[str, set[int]] = field(default_factory=dict)
    releasing: dict[str, set[int]] = field(default_factory=dict)

    def copy(self) -> Assignment:
        """A deep copy (plans are computed on copies and compared with the original)."""
        return Assignment({k: set(v) for k, v in self.assigned.items()}, {k: set(v) for k, v in self.releasing.items()})

    def claimed_by_others(self, consumer: str) -> set[int]:
        """Shards some other consumer is told to hold or still holds."""
        out: set[int] = set()
        for name, shards in self.assigned.items():
            if name != consumer:
                out |= shards
        for name, shards in self.releasing.items():
            if name != consumer:
                out |= shards
        return out


def consumable_shards(shards: Sequence[ShardView], in_order: bool) -> list[int]:
    """Shards that may be handed out now, by id.

    Finished shards are left out. With ``in_order`` a shard also waits for every parent that
    still exists to be finished (a deleted parent counts as finished).
    """
    by_id = {s.shard_id: s for s in shards}
    out = []
    for shard in shards:
        if shard.finished:
            continue
        if in_order and any(p in by_id and not by_id[p].finished for p in shard.parents):
            continue
        out.append(shard.shard_id)
    return sorted(out)


def _quotas(consumers: Sequence[str], assigned: Mapping[str, set[int]], total: int) -> dict[str, int]:
    """Each consumer's share: ``total // n``, one more for ``total % n`` of them.

    The larger shares go to the consumers already holding the most, so fewer shards move.
    """
    base, extra = divmod(total, len(consumers))
    ranked = sorted(consumers, key=lambda c: (-len(assigned.get(c, ())), c))
    return {c: base + (1 if i < extra else 0) for i, c in enumerate(ranked)}


def rebalance(current: Assignment, consumers: Sequence[str], consumable: Sequence[int]) -> Assignment:
    """The next assignment for the live ``consumers`` (a new object; ``current`` is not changed).

    Consumers not in ``consumers`` are dropped with everything they held (they expired).
    """
    plan = Assignment(
        {c: set(current.assigned.get(c, ())) for c in consumers},
        {c: set(current.releasing.get(c, ())) for c in consumers},
    )
    if not consumers:
        return plan
    usable = set(consumable)
    owner: dict[int, str] = {}
    for name in sorted(consumers):
        held = plan.assigned[name]
        # A shard that is no longer consumable (finished) or already owned by another consumer
        # (only after a restart or a conflicting report) is taken away.
        for shard in sorted(held):
            if shard not in usable or shard in owner:
                held.discard(shard)
                plan.releasing[name].add(shard)
            else:
                owner[shard] = name
    quotas = _quotas(consumers, plan.assigned, len(usable))
    for name in consumers:
        held = plan.assigned[name]
        while len(held) > quotas[name]:
            shard = max(held)
            held.discard(shard)
            plan.releasing[name].add(shard)
            del owner[shard]
    for shard in sorted(usable - set(owner)):
        blocked = {c for c in consumers if shard in plan.releasing[c]}
        if len(blocked) > 1:
            continue
        if blocked:
            # Only the consumer still holding it may get it back (cancelling its release).
            (holder,) = blocked
            if len(plan.assigned[holder]) < quotas[holder]:
                plan.releasing[holder].discard(shard)
                plan.assigned[holder].add(shard)
                owner[shard] = holder
            continue
        hungry = [c for c in consumers if len(plan.assigned[c]) < quotas[c]]
        if not hungry:
            continue
        taker = min(hungry, key=lambda c: (len(plan.assigned[c]), c))
        plan.assigned[taker].add(shard)
        owner[shard] = taker
    return plan
