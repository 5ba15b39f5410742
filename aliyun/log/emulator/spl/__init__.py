"""SPL, the pipeline language of PullLogs filters and consumers (the subset consumers use)."""

from aliyun.log.emulator.spl.engine import SplEngine, SplProgram
from aliyun.log.emulator.spl.parser import parse_spl

__all__ = ["SplEngine", "SplProgram", "parse_spl"]
