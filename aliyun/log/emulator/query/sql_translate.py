"""Translate an SLS analytic statement (Presto dialect) into DuckDB SQL
(docs/architecture-query.md "SQL translation").

sqlglot parses with ``read='presto'``; an AST pass then applies the SLS rules sqlglot cannot
know: the implied ``FROM log`` and the nested-query FROM rule, the default ``LIMIT 100`` and its
bounds, Presto's strict comparison typing, ``_colN`` names, DOUBLE decimal literals, bigint
arguments of date functions, exact forms of the approximate aggregates, ``time_series`` and
``compare``/``ts_compare`` (:mod:`.compare`). The logstore itself becomes a CTE named
:data:`BASE` whose body the engine supplies (plus one per compared period).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Optional

import sqlglot
from sqlglot import TokenType, exp
from sqlglot.errors import ParseError, TokenError

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.query.compare import Period, rewrite_compare
from aliyun.log.emulator.query.limits import DEFAULT_LIMITS, QueryLimits, check_sql_nesting, too_deep
from aliyun.log.emulator.query.sql_functions import mysql_to_strftime
from aliyun.log.emulator.query.sql_guard import check_statement

BASE = "__sls_log"
_BASE_MARK = "\x00__sls_base__\x00"
MAX_LIMIT = 1_000_000
DEFAULT_LIMIT = 100
MAX_DISTINCT = 10
_SET_SESSION = re.compile(r"^\s*set\s+session\s+[^;]*;", re.IGNORECASE)
_WINDOW = re.compile(r"^\s*(\d+)\s*(s|sec|second|seconds|m|min|minute|minutes|h|hour|hours|d|day|days)\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_NUMERIC = ("bigint", "integer", "double", "real", "smallint", "tinyint", "decimal")
_COMPARISONS: dict[type[exp.Expr], str] = {
    exp.EQ: "=", exp.NEQ: "<>", exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<=",
}  # fmt: skip
# Date functions whose first argument SLS also accepts as unix seconds (bigint).
_DATE_FUNCS: tuple[type[exp.Expr], ...] = tuple(
    getattr(exp, name)
    for name in (
        "TimestampTrunc", "DateTrunc", "TimeToStr", "Hour", "Minute", "Second", "Day", "Month",
        "Year", "Quarter", "Week", "WeekOfYear", "DayOfWeek", "DayOfWeekIso", "DayOfMonth",
        "DayOfYear", "TimeToUnix", "DateAdd", "TimestampAdd",
    )
    if hasattr(exp, name)
)  # fmt: skip


def invalid(message: str) -> SLSError:
    """ParameterInvalid, the code SLS uses for every analytic-statement error."""
    return SLSError("ParameterInvalid", message)


@dataclass(frozen=True)
class SqlColumn:
    """A column of the logstore table as SQL sees it."""

    name: str
    expr: str
    type: str  # Presto type name: bigint, double, varchar


@dataclass(frozen=True)
class TimeSeries:
    """A ``time_series(...)`` projection, padded after the query runs."""

    index: int
    window: int
    fmt: str
    padding: str


@dataclass(frozen=True)
class Translated:
    """DuckDB SQL whose logstore CTE body is still a marker, plus post-processing info."""

    sql: str
    time_series: Optional[TimeSeries]
    #: ``(offset, count)`` to apply in Python after gap filling (time_series queries only).
    post_limit: Optional[tuple[int, Optional[int]]] = None
    #: Shifted copies of the logstore that ``compare``/``ts_compare`` read (see :mod:`.compare`).
    periods: tuple[Period, ...] = ()

    @property
    def shifts(self) -> tuple[int, ...]:
        """Distinct offsets (seconds) whose shifted ranges :meth:`render` needs."""
        return tuple(dict.fromkeys(p.shift for p in self.periods))

    def render(self, base: str, shifted: Optional[Callable[[int], str]] = None) -> str:
        """The runnable SQL with ``base`` (a SELECT over the stored logs) as the logstore.

        :param shifted: for ``compare`` queries, the same SELECT over ``[from - s, to - s)`` for
            each of :attr:`shifts`.
        """
        sql = self.sql.replace(_BASE_MARK, base, 1)
        for shift in self.shifts:
            if shifted is None:
                raise ValueError("this statement compares periods: pass the shifted logstore bodies")
            sql = sql.replace(_shift_mark(shift), shifted(shift))
        return sql


def _shift_mark(shift: int) -> str:
    return f"\x00__sls_base_{shift}__\x00"


def _arg(node: exp.Expr, name: str) -> Any:
    """Read an AST argument whether sqlglot names it ``name`` or ``name_``."""
    value = node.args.get(name)
    return value if value is not None else node.args.get(name + "_")


class _Translator:
    def __init__(self, columns: dict[str, SqlColumn], tz_offset: int) -> None:
        self.columns = columns
        self.tz_offset = tz_offset
        self.time_series: Optional[TimeSeries] = None

    # -- typing ----------------------------------------------------------------------------
    def static_type(self, node: exp.Expr) -> Optional[str]:
        if isinstance(node, exp.Paren):
            return self.static_type(node.this)
        if isinstance(node, exp.Column) and not isinstance(node.this, exp.Star):
            col = self.columns.get(node.name.lower())
            return col.type if col else None
        if isinstance(node, exp.Literal):
            if node.is_string:
                return f"varchar({len(node.this)})"
            text = str(node.this).lower()
            return "double" if ("." in text or "e" in text) else "integer"
        if isinstance(node, (exp.Cast, exp.TryCast)):
            return node.to.sql("presto").lower()
        if isinstance(node, (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.IntDiv)):
            left, right = self.static_type(node.left), self.static_type(node.right)
            if _is_num(left) and _is_num(right):
                return "double" if "double" in (left, right) else "bigint"
            return None
        if isinstance(node, exp.Neg):
            return self.static_type(node.this)
        return None

    def check_types(self, tree: exp.Expr) -> None:
        for node in tree.walk():
            op = _COMPARISONS.get(type(node))
            if op is not None:
                assert isinstance(node, exp.Binary)
                lt, rt = self.static_type(node.left), self.static_type(node.right)
                if _mismatch(lt, rt):
                    raise invalid(f"'{op}' cannot be applied to {lt}, {rt}")
            elif isinstance(node, exp.Like):
                lt = self.static_type(node.this)
                if _is_num(lt):
                    raise invalid(f"Left side of LIKE expression must evaluate to a varchar (actual: {lt})")
            elif isinstance(node, exp.In) and node.expressions:
                vt = self.static_type(node.this)
                for item in node.expressions:
                    if _mismatch(vt, self.static_type(item)):
                        raise invalid(f"IN value and list items must be the same type: {_base_type(vt)}")

    def numericish(self, node: exp.Expr) -> bool:
        return _is_num(self.static_type(node))

    # -- rewrites --------------------------------------------------------------------------
    def rewrite(self, node: exp.Expr) -> exp.Expr:
        """Per-node Presto -> DuckDB fixes (used with ``Expression.transform``).

        ``transform`` does not descend into a node that was replaced, so replacements rewrite
        their own operands first via :meth:`sub`.
        """
        if isinstance(node, exp.Literal) and not node.is_string:
            text = str(node.this).lower()
            if "." in text or "e" in text:
                # Presto reads 100.0 as DOUBLE; DuckDB would make it DECIMAL (docs/architecture-query.md).
                return exp.Cast(this=node.copy(), to=exp.DataType.build("DOUBLE"))
            return node
        if isinstance(node, exp.ApproxDistinct):
            # Exact and deterministic instead of HyperLogLog (documented deviation).
            return exp.Count(this=exp.Distinct(expressions=[self.sub(node.this)]))
        if isinstance(node, exp.ApproxQuantile):
            return exp.Anonymous(
                this="quantile_disc",
                expressions=[self.sub(node.this), self.sub(node.args["quantile"])],
            )
        if isinstance(node, exp.StrToTime):
            # date_parse yields a wall-clock time in the SLS zone, not UTC.
            inner = exp.StrToTime(this=self.sub(node.this), format=node.args.get("format"))
            return exp.Cast(this=inner, to=exp.DataType.build("TIMESTAMPTZ"))
        if isinstance(node, exp.RegexpExtract):
            # Presto answers NULL, not '', when the pattern does not match.
            node.set("null_if_no_match", True)
            return node
        if _DATE_FUNCS and isinstance(node, _DATE_FUNCS):
            for key in ("this", "expression"):
                arg = node.args.get(key)
                if (
                    isinstance(arg, exp.Expr)
                    and self.numericish(arg)
                    and not (isinstance(node, (exp.DateAdd, exp.TimestampAdd)) and key == "expression")
                ):
                    node.set(key, exp.UnixToTime(this=arg))
            return node
        if isinstance(node, exp.Anonymous) and str(node.this).lower() == "time_series":
            raise invalid("time_series must be a column of the outermost SELECT")
        return node

    def sub(self, node: exp.Expr) -> exp.Expr:
        """``node`` with :meth:`rewrite` applied to its whole subtree."""
        return node.copy().transform(self.rewrite)

    def time_series_column(self, select: exp.Select) -> None:
        for index, proj in enumerate(select.expressions):
            target = proj.this if isinstance(proj, exp.Alias) else proj
            if not (isinstance(target, exp.Anonymous) and str(target.this).lower() == "time_series"):
                continue
            args = target.expressions
            if len(args) != 4 or not all(isinstance(a, exp.Literal) and a.is_string for a in args[1:]):
                raise invalid("time_series needs (time, 'window', 'format', 'padding') arguments")
            match = _WINDOW.match(str(args[1].this))
            if not match:
                raise invalid(f"invalid time_series window {args[1].this!r}")
            window = int(match.group(1)) * _UNIT_SECONDS[match.group(2)[0].lower()]
            if window <= 0:
                raise invalid("time_series window must be positive")
            fmt = mysql_to_strftime(str(args[2].this))
            self.time_series = TimeSeries(index, window, fmt, str(args[3].this).lower())
            label = exp.Anonymous(
                this="__sls_time_series",
                expressions=[
                    args[0].copy(),
                    exp.Literal.number(window),
                    exp.Literal.number(self.tz_offset),
                    exp.Literal.string(fmt),
                ],
            )
            target.replace(label)
            if not isinstance(proj, exp.Alias):
                select.expressions[index].replace(exp.alias_(label.copy(), f"_col{index}"))
            return


def _is_num(t: Optional[str]) -> bool:
    return t is not None and t.split("(")[0] in _NUMERIC


def _is_str(t: Optional[str]) -> bool:
    return t is not None and t.startswith(("varchar", "char"))


def _mismatch(a: Optional[str], b: Optional[str]) -> bool:
    return (_is_num(a) and _is_str(b)) or (_is_str(a) and _is_num(b))


def _base_type(t: Optional[str]) -> str:
    return (t or "unknown").split("(")[0]


def split_statements(sql: str) -> str:
    """Drop ``set session ...;`` prefixes (accepted and ignored, docs/architecture-query.md)."""
    while True:
        match = _SET_SESSION.match(sql)
        if not match:
            return sql.strip()
        sql = sql[match.end() :]


_TABLE_KEYWORDS = frozenset((TokenType.FROM, TokenType.JOIN))
_NAME_PARTS = frozenset((TokenType.VAR, TokenType.NUMBER, TokenType.DASH))


def _quote_hyphenated_tables(sql: str, tokens: list[Any]) -> str:
    """``from nginx-moni`` → ``from "nginx-moni"``.

    Logstore names may hold ``-``, and SLS accepts them unquoted after FROM/JOIN (its docs' own
    examples do); a SQL parser reads ``nginx - moni``. Only a run of name parts written without
    spaces right after FROM or JOIN is joined, so ``a - b`` elsewhere keeps its meaning.
    """
    spans: list[tuple[int, int]] = []
    for i, token in enumerate(tokens[:-1]):
        if token.token_type not in _TABLE_KEYWORDS or tokens[i + 1].token_type != TokenType.VAR:
            continue
        last = i + 1
        while (
            last + 1 < len(tokens)
            and tokens[last + 1].token_type in _NAME_PARTS
            and tokens[last + 1].start == tokens[last].end + 1
        ):
            last += 1
        if last > i + 1 and tokens[last].token_type != TokenType.DASH:
            spans.append((tokens[i + 1].start, tokens[last].end + 1))
    for start, end in reversed(spans):
        sql = f'{sql[:start]}"{sql[start:end]}"{sql[end:]}'
    return sql


def _parse(sql: str, limits: QueryLimits) -> exp.Expr:
    try:
        tokens = sqlglot.tokenize(sql, read="presto")
    except TokenError as exc:
        raise invalid(f"line 1:1: {exc}") from exc
    check_sql_nesting(tokens, limits.max_sql_depth)
    if any(tok.token_type == TokenType.OFFSET for tok in tokens):
        raise invalid("analytic statements do not support offset; use LIMIT offset, count")
    sql = _quote_hyphenated_tables(sql, tokens)
    try:
        statements = [s for s in sqlglot.parse(sql, read="presto") if s is not None]
    except ParseError as exc:
        err = exc.errors[0] if exc.errors else {}
        desc = str(err.get("description", exc)).split("<Token")[0].strip()
        near = err.get("highlight", "")
        raise invalid(f"line {err.get('line', 1)}:{err.get('col', 1)}: mismatched input '{near}'. {desc}") from exc
    if len(statements) != 1:
        raise invalid("only one analytic statement is allowed")
    tree = statements[0]
    if not isinstance(tree, exp.Query):
        raise invalid("the analytic statement must be a SELECT query")
    return tree


def _apply_from(tree: exp.Expr) -> None:
    selects = list(tree.find_all(exp.Select))
    if len(selects) == 1 and not _arg(selects[0], "from"):
        selects[0].set("from_" if "from_" in selects[0].arg_types else "from", exp.From(this=exp.to_table("log")))
        return
    for select in selects:
        if _arg(select, "from"):
            continue
        if not any(s is not select for s in select.find_all(exp.Select)):
            raise invalid("you are using nested sql, please specify FROM LOGSTORE in the innermost sql")


#: maps a table name of the statement to the table the engine loaded for it (an external
#: store's rows), or ``None`` when the name means the logstore
TableNames = Callable[[str], Optional[str]]


def _replace_tables(tree: exp.Expr, tables: Optional[TableNames] = None) -> None:
    """Every table name becomes the logstore CTE, except CTE names and, through ``tables``, the
    names of external stores (their loaded TEMP tables)."""
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for table in list(tree.find_all(exp.Table)):
        if table.name.lower() in ctes or not table.name:
            continue
        alias = table.alias or table.name
        # only a bare name can be an external store (``db.name`` keeps meaning the logstore)
        target = tables(table.name) if tables is not None and not table.args.get("db") else None
        table.replace(
            exp.Table(this=exp.to_identifier(target or BASE), alias=exp.TableAlias(this=exp.to_identifier(alias)))
        )


def _check_distinct(tree: exp.Expr) -> None:
    count = sum(1 for node in tree.find_all(exp.Distinct) if isinstance(node.parent, exp.Count))
    if count > MAX_DISTINCT:
        raise invalid("max distinct num is:10, please use approx_distinct")


def _limit_of(tree: exp.Query) -> tuple[int, Optional[int]]:
    """Validated ``(offset, count)`` of the outermost query (count None = ``LIMIT ALL``)."""
    limit = tree.args.get("limit")
    if limit is None:
        return 0, DEFAULT_LIMIT
    value = limit.args.get("expression")
    if isinstance(value, exp.Var) and str(value.this).upper() == "ALL":
        return 0, None
    if not (isinstance(value, exp.Literal) and not value.is_string):
        raise invalid("LIMIT needs an integer")
    count = int(str(value.this))
    offset = 0
    off_node = tree.args.get("offset")
    if off_node is not None:
        off_value = off_node.args.get("expression")
        offset = int(str(off_value.this)) if isinstance(off_value, exp.Literal) else 0
    if count < 0 or count > MAX_LIMIT or offset + count > MAX_LIMIT:
        raise invalid(f"limit must be in [0, {MAX_LIMIT}] and offset + count <= {MAX_LIMIT}")
    return offset, count


def _name_columns(tree: exp.Query) -> None:
    select = tree if isinstance(tree, exp.Select) else next(tree.find_all(exp.Select), None)
    if select is None:
        return
    for index, proj in enumerate(select.expressions):
        if isinstance(proj, (exp.Alias, exp.Column, exp.Star)):
            continue
        proj.replace(exp.alias_(proj.copy(), f"_col{index}"))


def translate(
    sql: str,
    columns: dict[str, SqlColumn],
    *,
    tz_offset: int,
    limits: QueryLimits = DEFAULT_LIMITS,
    tables: Optional[TableNames] = None,
) -> Translated:
    """Translate one analytic statement.

    :param columns: SQL columns of the logstore by lower-cased name.
    :param tz_offset: UTC offset (seconds) of the SLS time zone, for ``time_series`` buckets.
    :param limits: the nesting bound the statement must respect.
    :param tables: resolves table names that are not the logstore (external stores).
    :returns: DuckDB SQL to be completed with :meth:`Translated.render`.
    :raises SLSError: ``ParameterInvalid`` with an SLS-style message.
    """
    try:
        return _translate(sql, columns, tz_offset, limits, tables)
    except RecursionError as exc:  # a shape the bracket count does not see, nested past the stack
        raise too_deep(limits.max_sql_depth) from exc


def _translate(
    sql: str, columns: dict[str, SqlColumn], tz_offset: int, limits: QueryLimits, tables: Optional[TableNames]
) -> Translated:
    text = split_statements(sql)
    if not text:
        raise invalid("the analytic statement after '|' is empty")
    tree = _parse(text, limits)
    assert isinstance(tree, exp.Query)
    check_statement(tree)
    _apply_from(tree)
    _replace_tables(tree, tables)
    _check_distinct(tree)
    tr = _Translator(columns, tz_offset)
    tr.check_types(tree)
    if isinstance(tree, exp.Select):
        tr.time_series_column(tree)
    tree = tree.transform(tr.rewrite)
    assert isinstance(tree, exp.Query)
    periods = rewrite_compare(tree, BASE)
    _name_columns(tree)
    offset, count = _limit_of(tree)
    post_limit: Optional[tuple[int, Optional[int]]] = None
    if tr.time_series is not None:
        # Gap filling adds rows, so the row cap applies to the filled series, in Python.
        tree.set("limit", None)
        tree.set("offset", None)
        post_limit = (offset, count)
    elif tree.args.get("limit") is None:
        tree = tree.limit(DEFAULT_LIMIT)
    # The logstore CTE (and one per compared period) holds a placeholder the engine fills in.
    bodies = {BASE: (_placeholder(0), f"({_BASE_MARK})")}
    for i, period in enumerate(periods, 1):
        body = _shift_mark(period.shift)
        if period.aligned:
            body = f'SELECT * REPLACE ("__time__" + {period.shift} AS "__time__") FROM ({body})'
        bodies[period.table(BASE)] = (_placeholder(i), f"({body})")
    ctes = [
        exp.CTE(this=sqlglot.parse_one(placeholder), alias=exp.TableAlias(this=exp.to_identifier(name)))
        for name, (placeholder, _) in bodies.items()
    ]
    with_ = _arg(tree, "with")
    if with_ is not None:
        with_.set("expressions", [*ctes, *with_.expressions])
    else:
        tree.set("with_" if "with_" in tree.arg_types else "with", exp.With(expressions=ctes))
    out = tree.sql(dialect="duckdb")
    for placeholder, body in bodies.values():
        marker = f"({placeholder})"
        if marker not in out:
            raise AssertionError("base placeholder lost in translation")
        out = out.replace(marker, body, 1)
    return Translated(out, tr.time_series, post_limit, periods)


def _placeholder(index: int) -> str:
    return f"SELECT {index + 1} AS __sls_placeholder__"
