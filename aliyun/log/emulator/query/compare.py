"""Period-over-period functions ``compare`` and ``ts_compare`` as an AST rewrite
(docs/query.md "Period-over-period and IP functions").

SLS evaluates the subquery under ``compare(x, n1, n2, ...)`` once for the request range
``[from, to)`` and once for every range shifted back by ``n`` seconds, then returns the array
``[current, previous_1, ..., current/previous_1, ...]``; ``ts_compare`` appends the unix time of
each previous bucket. The emulator does the same inside one DuckDB statement:

* every distinct shift becomes its own logstore CTE (``__sls_log_s86400``), filled by the engine
  with the logs of ``[from - n, to - n)``; for ``ts_compare`` the CTE also moves ``__time__``
  forward by ``n``, so the previous period's time buckets carry the current buckets' keys;
* the SELECT ``S`` holding the call reads, instead of its FROM subquery ``Q``, the UNION ALL of
  ``Q`` over each period tagged with a ``__sls_period`` column (0 = current);
* each call becomes ``__sls_compare([sum(x) FILTER (period 0), sum(x) FILTER (period 1), ...])``
  (one row per group of ``S``: previous rows join current ones through ``S``'s GROUP BY keys),
  other aggregates of ``S`` only see the current period, and a grouped ``S`` keeps only the groups
  that exist in the current period.

Limits: ``S`` must read from a parenthesised subquery (no join); ``x`` is a column of that
subquery (summed when a group has several rows); offsets are positive integer literals; the
calls cannot be nested; CTEs that the subquery reads see the current period only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlglot import exp

from aliyun.log.emulator.errors import SLSError

FUNCTIONS = ("compare", "ts_compare")
PERIOD = "__sls_period"

COMPARE_MACROS: tuple[str, ...] = (
    # [current, previous...] -> [current, previous..., current/previous...]; a ratio is NULL when
    # either side is NULL or the previous value is 0 (emulator choice, SLS does not document it).
    "__sls_compare(v) AS list_concat(v, [CASE WHEN v[1] IS NULL OR p IS NULL OR p = 0 THEN NULL "
    "ELSE v[1] / p END FOR p IN v[2:]])",
    "__sls_ts_compare(v, ts) AS list_concat(__sls_compare(v), ts)",
    # unix seconds of a time-bucket key: a timestamp, a number or a timestamp string
    "__sls_key_epoch(k) AS coalesce(epoch(TRY_CAST(k AS TIMESTAMPTZ)), TRY_CAST(k AS DOUBLE))",
)


def _invalid(message: str) -> SLSError:
    return SLSError("ParameterInvalid", message)


@dataclass(frozen=True)
class Period:
    """A logstore CTE for one shifted range.

    :param shift: seconds the range lies before ``[from, to)``.
    :param aligned: ``__time__`` is moved forward by ``shift`` (``ts_compare``).
    """

    shift: int
    aligned: bool

    def table(self, base: str) -> str:
        """Name of this period's logstore CTE, derived from the current one's ``base``."""
        return f"{base}_s{self.shift}{'a' if self.aligned else ''}"


@dataclass(frozen=True)
class _Call:
    node: exp.Anonymous
    value: exp.Expr
    shifts: tuple[int, ...]
    aligned: bool


def _is_call(node: exp.Expr) -> bool:
    return isinstance(node, exp.Anonymous) and str(node.this).lower() in FUNCTIONS


def _arg(node: exp.Expr, name: str) -> Optional[exp.Expr]:
    value = node.args.get(name)
    return value if value is not None else node.args.get(name + "_")


def _owner(node: exp.Expr) -> Optional[exp.Select]:
    parent = node.parent
    while parent is not None and not isinstance(parent, exp.Select):
        parent = parent.parent
    return parent


def _parse_call(node: exp.Anonymous) -> _Call:
    name = str(node.this).lower()
    args = list(node.expressions)
    if len(args) < 2:
        raise _invalid(f"{name} needs a value and at least one offset in seconds: {name}(x, 86400)")
    if any(_is_call(n) for a in args for n in a.walk()):
        raise _invalid("compare and ts_compare cannot be nested")
    shifts = []
    for arg in args[1:]:
        if not (isinstance(arg, exp.Literal) and not arg.is_string and str(arg.this).isdigit() and int(arg.this) > 0):
            raise _invalid(f"the offsets of {name} must be positive integer literals (seconds)")
        shifts.append(int(arg.this))
    return _Call(node, args[0], tuple(shifts), name == "ts_compare")


def rewrite_compare(tree: exp.Expr, base: str) -> tuple[Period, ...]:
    """Rewrite every SELECT holding ``compare``/``ts_compare`` calls in place.

    :param base: name of the logstore CTE the tree reads (tables already renamed to it).
    :returns: the shifted periods whose CTEs the caller must define (``Period.table(base)``).
    :raises SLSError: ``ParameterInvalid`` for the unsupported forms listed in the module doc.
    """
    owners: dict[int, tuple[exp.Select, list[_Call]]] = {}
    for node in list(tree.find_all(exp.Anonymous)):
        if not _is_call(node):
            continue
        select = _owner(node)
        if select is None:
            raise _invalid(f"{node.this} must be used in a SELECT")
        owners.setdefault(id(select), (select, []))[1].append(_parse_call(node))
    for select, _ in owners.values():
        source = _source(select)
        if any(_is_call(n) for n in source.walk()):
            raise _invalid("compare and ts_compare cannot be nested")
    periods: dict[Period, None] = {}
    for select, calls in owners.values():
        for period in _rewrite_select(select, calls, base):
            periods[period] = None
    return tuple(periods)


def _source(select: exp.Select) -> exp.Subquery:
    from_ = _arg(select, "from")
    source = from_.this if from_ is not None else None
    if not isinstance(source, exp.Subquery) or select.args.get("joins"):
        raise _invalid(
            "compare/ts_compare must read from one subquery, e.g. "
            "select compare(pv, 86400) from (select count(*) as pv from log)"
        )
    return source


def _rewrite_select(select: exp.Select, calls: list[_Call], base: str) -> list[Period]:
    local: list[Period] = []
    for call in calls:
        for shift in call.shifts:
            period = Period(shift, call.aligned)
            if period not in local:
                local.append(period)
    key = _time_key(select) if any(c.aligned for c in calls) else None
    _current_only(select)
    for call in calls:
        tags = [0] + [local.index(Period(s, call.aligned)) + 1 for s in call.shifts]
        values = exp.Array(expressions=[_period_sum(call.value, tag) for tag in tags])
        if call.aligned:
            assert key is not None
            stamps = exp.Array(
                expressions=[
                    exp.Cast(
                        this=exp.Sub(
                            this=exp.Anonymous(this="__sls_key_epoch", expressions=[key.copy()]),
                            expression=exp.Literal.number(s),
                        ),
                        to=exp.DataType.build("DOUBLE"),
                    )
                    for s in call.shifts
                ]
            )
            replacement = exp.Anonymous(this="__sls_ts_compare", expressions=[values, stamps])
        else:
            replacement = exp.Anonymous(this="__sls_compare", expressions=[values])
        call.node.replace(replacement)
    if select.args.get("group"):
        present = exp.GT(this=_period_filter(exp.Count(this=exp.Star()), 0), expression=exp.Literal.number(0))
        having = select.args.get("having")
        cond = present if having is None else exp.And(this=exp.Paren(this=having.this.copy()), expression=present)
        select.set("having", exp.Having(this=cond))
    _union_source(select, local, base)
    return local


def _period_filter(agg: exp.Expr, tag: int) -> exp.Filter:
    cond = exp.EQ(this=exp.column(PERIOD), expression=exp.Literal.number(tag))
    return exp.Filter(this=agg, expression=exp.Where(this=cond))


def _period_sum(value: exp.Expr, tag: int) -> exp.Expr:
    total = _period_filter(exp.Sum(this=value.copy()), tag)
    return exp.Cast(this=total, to=exp.DataType.build("DOUBLE"))


def _current_only(select: exp.Select) -> None:
    """Restrict the aggregates ``S`` computes itself to the current period."""
    for name in ("expressions", "having", "order", "qualify"):
        value = select.args.get(name)
        nodes = value if isinstance(value, list) else [value]
        for top in nodes:
            if not isinstance(top, exp.Expr):
                continue
            for agg in list(top.find_all(exp.AggFunc)):
                if _owner(agg) is select and not isinstance(agg.parent, exp.Filter):
                    agg.replace(_period_filter(agg.copy(), 0))


def _time_key(select: exp.Select) -> exp.Expr:
    """The GROUP BY time column of a ``ts_compare`` SELECT (its first grouping key)."""
    group = select.args.get("group")
    keys = list(group.expressions) if group is not None else []
    if not keys:
        raise _invalid("ts_compare must be used with GROUP BY a time column")
    key: exp.Expr = keys[0]
    if isinstance(key, exp.Literal) and not key.is_string and str(key.this).isdigit():
        index = int(key.this) - 1
        if not 0 <= index < len(select.expressions):
            raise _invalid(f"GROUP BY position {key.this} is not in the select list")
        key = select.expressions[index]
    if isinstance(key, exp.Column) and not key.table:
        for proj in select.expressions:
            if isinstance(proj, exp.Alias) and proj.alias.lower() == key.name.lower():
                key = proj
                break
    if isinstance(key, exp.Alias):
        inner: exp.Expr = key.this
        return inner
    return key


def _union_source(select: exp.Select, periods: list[Period], base: str) -> None:
    source = _source(select)
    inner = source.this
    parts: list[exp.Query] = []
    for tag, period in enumerate([None, *periods]):
        query = inner.copy()
        if period is not None:
            for table in list(query.find_all(exp.Table)):
                if table.name == base:
                    table.set("this", exp.to_identifier(period.table(base)))
        parts.append(
            exp.select(exp.Star(), exp.alias_(exp.Literal.number(tag), PERIOD)).from_(
                exp.Subquery(this=query, alias=exp.TableAlias(this=exp.to_identifier("__sls_q")))
            )
        )
    union: exp.Query = parts[0]
    for part in parts[1:]:
        union = exp.union(union, part, distinct=False)
    alias = source.args.get("alias")
    new_alias = alias.copy() if alias is not None else exp.TableAlias(this=exp.to_identifier("__sls_cmp"))
    source.replace(exp.Subquery(this=union, alias=new_alias))
