"""The engine behind ``copy_data`` and ``transform_data``: shards read batch by batch in
threads, written, checkpointed and reported (see ``docs/data-tools.md``)."""

from .checkpoint import Checkpoint
from .engine import MoveJob, parse_shard_list, run_move
from .progress import Progress, TerminalBar

__all__ = ["Checkpoint", "MoveJob", "Progress", "TerminalBar", "parse_shard_list", "run_move"]
