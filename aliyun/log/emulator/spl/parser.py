"""Parse an SPL statement (the ``query`` of PullLogs and of a consumer) into instructions.

The subset consumers use (docs/consumer.md, "Filtering with SPL")::

    * | where <condition>
      | extend <field> = <expression>[, ...]
      | project <field>[, ...]          | project-away <field>[, ...]
      | project-rename <new> = <old>[, ...]
      | parse-json [-mode='overwrite'|'preserve'] [-prefix='p_'] [-path='$.a'] <field>
      | parse-regexp <field>, '<pattern>' [as <field>[, ...]]

Conditions and expressions are SQL (SLS's functions, every field a ``varchar``); they are
translated by the query engine when the statement runs. A field is a bare name
(``status``) or double-quoted (``"__tag__:__path__"``). Anything else answers
``ParameterInvalid`` naming what is not supported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from aliyun.log.emulator.errors import SLSError

__all__ = [
    "Extend",
    "Instruction",
    "ParseJson",
    "ParseRegexp",
    "Project",
    "ProjectAway",
    "ProjectRename",
    "Where",
    "parse_spl",
    "spl_error",
]

_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_OPTION = re.compile(r"-(\w+)\s*=\s*'((?:[^']|'')*)'\s*")
SUPPORTED = ("where", "extend", "project", "project-away", "project-rename", "parse-json", "parse-regexp")


def spl_error(message: str) -> SLSError:
    """The answer to an SPL statement the emulator cannot run."""
    return SLSError("ParameterInvalid", f"SPL: {message}")


@dataclass(frozen=True)
class Where:
    condition: str


@dataclass(frozen=True)
class Extend:
    assignments: tuple[tuple[str, str], ...]  # (field, SQL expression)


@dataclass(frozen=True)
class Project:
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ProjectAway:
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ProjectRename:
    renames: tuple[tuple[str, str], ...]  # (new, old)


@dataclass(frozen=True)
class ParseJson:
    field: str
    mode: str = "overwrite"
    prefix: str = ""
    path: str = ""


@dataclass(frozen=True)
class ParseRegexp:
    field: str
    pattern: re.Pattern[str]
    outputs: tuple[str, ...]


Instruction = Union[Where, Extend, Project, ProjectAway, ProjectRename, ParseJson, ParseRegexp]


def split_top(text: str, separator: str) -> list[str]:
    """Split at ``separator`` outside quotes and brackets."""
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                if i + 1 < len(text) and text[i + 1] == quote:
                    i += 1  # doubled quote inside a quoted text
                else:
                    quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == separator and depth == 0:
            if separator == "|" and text[i + 1 : i + 2] == "|":
                i += 2  # SQL's || (concatenation), not a stage boundary
                continue
            parts.append(text[start:i])
            start = i + 1
        i += 1
    if quote:
        raise spl_error(f"unterminated {quote} in {text.strip()!r}")
    parts.append(text[start:])
    return parts


def _field(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('""', '"')
    if _BARE.fullmatch(text):
        return text
    raise spl_error(f"invalid field name {text!r} (quote it with double quotes)")


def _fields(text: str, what: str) -> tuple[str, ...]:
    fields = tuple(_field(part) for part in split_top(text, ","))
    if not fields:
        raise spl_error(f"{what} needs at least one field")
    return fields


def _pairs(text: str, what: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for part in split_top(text, ","):
        left, eq, right = part.partition("=")
        if not eq or not right.strip():
            raise spl_error(f"{what} expects <field> = <value>, got {part.strip()!r}")
        pairs.append((_field(left), right.strip()))
    return tuple(pairs)


def _string(text: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != "'" or text[-1] != "'":
        raise spl_error(f"expected a quoted string, got {text!r}")
    return text[1:-1].replace("''", "'")


def _parse_json(body: str) -> ParseJson:
    options: dict[str, str] = {}
    while True:
        match = _OPTION.match(body)
        if not match:
            break
        options[match.group(1).lower()] = match.group(2).replace("''", "'")
        body = body[match.end() :]
    unknown = set(options) - {"mode", "prefix", "path"}
    if unknown:
        raise spl_error(f"parse-json does not support -{sorted(unknown)[0]}")
    mode = options.get("mode", "overwrite").lower()
    if mode not in ("overwrite", "preserve"):
        raise spl_error(f"parse-json -mode must be 'overwrite' or 'preserve', got {mode!r}")
    path = options.get("path", "")
    if path and not re.fullmatch(r"\$(\.[A-Za-z0-9_\-]+)*", path):
        raise spl_error(f"parse-json -path must look like '$.a.b', got {path!r}")
    return ParseJson(_field(body), mode, options.get("prefix", ""), path)


def _parse_regexp(body: str) -> ParseRegexp:
    head, as_sep, tail = _partition_as(body)
    parts = split_top(head, ",")
    if len(parts) != 2:
        raise spl_error("parse-regexp expects <field>, '<pattern>' [as <field>, ...]")
    field = _field(parts[0])
    source = _string(parts[1])
    try:
        # SLS writes named groups (?<name>...), Python (?P<name>...)
        pattern = re.compile(re.sub(r"\(\?<([A-Za-z_]\w*)>", r"(?P<\1>", source))
    except re.error as exc:
        raise spl_error(f"invalid regular expression {source!r}: {exc}") from None
    if as_sep:
        outputs = _fields(tail, "parse-regexp ... as")
        if len(outputs) != pattern.groups:
            raise spl_error(f"the pattern has {pattern.groups} groups but {len(outputs)} fields are named after as")
    else:
        names = {index: name for name, index in pattern.groupindex.items()}
        if pattern.groups == 0 or len(names) != pattern.groups:
            raise spl_error("parse-regexp needs named groups (?<name>...) or the field names after as")
        outputs = tuple(names[i] for i in range(1, pattern.groups + 1))
    return ParseRegexp(field, pattern, outputs)


def _partition_as(body: str) -> tuple[str, bool, str]:
    # the last " as " outside quotes separates the outputs
    pieces = split_top(body, " ")
    for i in range(len(pieces) - 1, 0, -1):
        if pieces[i].lower() == "as":
            return " ".join(pieces[:i]), True, " ".join(pieces[i + 1 :])
    return body, False, ""


def _instruction(text: str) -> Instruction:
    stripped = text.strip()
    match = re.match(r"([A-Za-z][A-Za-z\-]*)\s*", stripped)
    if not match:
        raise spl_error(f"expected an instruction, got {stripped!r}")
    name = match.group(1).lower()
    body = stripped[match.end() :]
    if name not in SUPPORTED:
        raise spl_error(f"instruction {name!r} is not supported by the emulator (supported: {', '.join(SUPPORTED)})")
    if not body.strip():
        raise spl_error(f"{name} needs arguments")
    if name == "where":
        return Where(body.strip())
    if name == "extend":
        return Extend(_pairs(body, "extend"))
    if name == "project":
        return Project(_fields(body, "project"))
    if name == "project-away":
        return ProjectAway(_fields(body, "project-away"))
    if name == "project-rename":
        return ProjectRename(tuple((new, _field(old)) for new, old in _pairs(body, "project-rename")))
    if name == "parse-json":
        return _parse_json(body)
    return _parse_regexp(body)


def parse_spl(text: str) -> tuple[Instruction, ...]:
    """The instructions of an SPL statement (``*`` first, then ``| instruction`` stages).

    :raises SLSError: ``ParameterInvalid`` for a statement outside the supported subset.
    """
    stages = split_top(text, "|")
    if stages[0].strip() != "*":
        raise spl_error("the statement must start with '*', as in \"* | where ...\"")
    instructions = []
    for stage in stages[1:]:
        if not stage.strip():
            raise spl_error("empty stage between '|'")
        instructions.append(_instruction(stage))
    return tuple(instructions)
