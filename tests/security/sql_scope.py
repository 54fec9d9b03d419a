"""Is a captured SQL statement scoped to one authority? (docs/security.md #1, the query check.)

Authority-owned tables are derived from the models: every model whose queryset knows its path
to the authority (`tenancy.access.AuthorityQuerySet`, `via(...)`), every model with an
`authority` foreign key, their django-simple-history tables and their many-to-many tables.

A statement is split into its SELECTs (each subquery on its own). Each part that reads an
authority-owned table must have, among the conditions ANDed at the top of its WHERE:

* an authority column (`authority_id`, or `tenancy_authority`'s id or slug, through any join)
  equal to the signed-in authority; or
* a parent key: a foreign key column to an authority-owned model (`plan_id IN (1, 2)`,
  `action_id = 5`, a history table's `id`), naming no row of another authority, or compared
  with a subquery that is itself scoped, or with a column of the enclosing query (a correlated
  subquery is scoped by its outer query); or
* its primary key IN a scoped subquery (a scoped queryset's `update()` or `delete()`).

`WHERE "plans_action"."id" = 5` is not scoped: a primary key names a row of any authority.
Conditions under OR or NOT count for nothing. Known-safe statements the rules cannot see are
listed in `ALLOWED` with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from g2g.tenancy.models import Authority

# ---------------------------------------------------------------------------------------------
# Which tables are authority-owned, and how each reaches its authority


def _is_historical(model) -> bool:
    return hasattr(model, "instance_type") and hasattr(model, "history_id")


def _foreign_keys(model) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def authority_path(model) -> str | None:
    """The ORM path from `model` to its authority, or None when it is not authority-owned."""
    path = getattr(model._default_manager.get_queryset(), "authority_path", None)
    if path:
        return path
    if _is_historical(model):
        return authority_path(model.instance_type)
    for fk in _foreign_keys(model):
        if fk.related_model is Authority and fk.name == "authority":
            return "authority"
    if model._meta.auto_created or _is_historical_m2m(model):
        for fk in _foreign_keys(model):
            parent = authority_path(fk.related_model) if fk.related_model is not model else None
            if parent and not _is_historical(fk.related_model):
                return f"{fk.name}__{parent}"
    return None


def _is_historical_m2m(model) -> bool:
    return any(
        fk.name == "history" and _is_historical(fk.related_model) for fk in _foreign_keys(model)
    )


def owned_models() -> dict[str, type[models.Model]]:
    """Authority-owned models by table name."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        if model is not Authority and authority_path(model):
            found[model._meta.db_table] = model
    return found


@dataclass(frozen=True)
class Schema:
    owned: dict[str, type[models.Model]]
    # (table, column) -> parent model, for columns naming a row of an authority-owned model
    parent_keys: dict[tuple[str, str], type[models.Model]]
    # (table, column) -> "id" or "slug", for columns naming an authority
    authority_columns: dict[tuple[str, str], str]
    # (table, column) naming a user
    user_columns: frozenset[tuple[str, str]]

    @classmethod
    def build(cls) -> Schema:
        owned = owned_models()
        parent_keys, authority_columns, user_columns = {}, {}, set()
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            for fk in _foreign_keys(model):
                if fk.related_model is Authority:
                    authority_columns[(table, fk.column)] = "id"
                elif fk.related_model is get_user_model():
                    user_columns.add((table, fk.column))
                elif fk.related_model._meta.db_table in owned:
                    parent_keys[(table, fk.column)] = fk.related_model
            if _is_historical(model) and table in owned:
                # `instance.history.all()`: a history table's `id` is the tracked row's key.
                parent_keys[(table, "id")] = model.instance_type
        authority_table = Authority._meta.db_table
        authority_columns[(authority_table, "id")] = "id"
        authority_columns[(authority_table, "slug")] = "slug"
        return cls(owned, parent_keys, authority_columns, frozenset(user_columns))


# ---------------------------------------------------------------------------------------------
# Reading the SQL


_STRING = re.compile(r"'(?:[^']|'')*'")
_TABLE = re.compile(
    r'\b(?:FROM|JOIN|UPDATE)\s+"(\w+)"'
    r"(?:\s+(?!(?:ON|WHERE|INNER|LEFT|RIGHT|FULL|CROSS|ORDER|GROUP|LIMIT|OFFSET|SET|HAVING|"
    r"UNION|FOR|WINDOW)\b)(\w+))?",
    re.IGNORECASE,
)
_WHERE_END = re.compile(
    r"\s(?:GROUP BY|HAVING|ORDER BY|LIMIT|OFFSET|FOR UPDATE|FOR NO KEY UPDATE|UNION|WINDOW"
    r"|RETURNING)\s",
    re.IGNORECASE,
)
_COLUMN = r'(?:(?:"(?P<table>\w+)"|(?P<alias>\w+))\.)"(?P<column>\w+)"'
_PREDICATE = re.compile(rf"^\(?{_COLUMN}\)?\s*(?P<op>=|IN)\s*(?P<value>.+)$", re.IGNORECASE | re.S)
_COLUMN_VALUE = re.compile(rf"^\(?\s*{_COLUMN}\s*\)?$")
_SUBQUERY_VALUE = re.compile(r"^\(?\s*§q(\d+)\s*\)?$")
_LITERALS = re.compile(r"^\(?\s*((?:(?:-?\d+|§s\d+)\s*,?\s*)+)\)?$")


@dataclass
class Part:
    """One SELECT (or the UPDATE/DELETE itself) with its subqueries masked as `§qN`."""

    text: str
    tables: dict[str, str] = field(default_factory=dict)  # alias (or table) -> table

    def where(self) -> str:
        match = re.search(r"\sWHERE\s", self.text, re.IGNORECASE)
        if not match:
            return ""
        rest = self.text[match.end() :]
        end = _WHERE_END.search(rest)
        return rest[: end.start()] if end else rest


@dataclass
class Statement:
    kind: str
    parts: list[Part]
    strings: list[str]


def parse(sql: str) -> Statement:
    strings: list[str] = []

    def keep(match):
        strings.append(match.group(0)[1:-1].replace("''", "'"))
        return f"§s{len(strings) - 1}"

    text = _STRING.sub(keep, " ".join(sql.split()))
    parts: list[Part] = []
    top = _split_subqueries(text, parts)
    parts.insert(0, Part(top))
    for part in parts:
        for table, alias in _TABLE.findall(part.text):
            part.tables[alias or table] = table
            part.tables.setdefault(table, table)
    kind = text.lstrip("( ").split(" ", 1)[0].upper()
    return Statement(kind, parts, strings)


def _split_subqueries(text: str, parts: list[Part]) -> str:
    """Replace each `(SELECT ...)` with `(§qN)`, innermost first; parts[N] is its text.
    parts is filled so that index N in the final list (after the top part is inserted at 0)
    is §qN, so numbering starts at 1."""
    while True:
        start = _innermost_subquery(text)
        if start is None:
            return text
        depth, end = 0, start
        for end in range(start, len(text)):
            if text[end] == "(":
                depth += 1
            elif text[end] == ")":
                depth -= 1
                if depth == 0:
                    break
        parts.append(Part(text[start + 1 : end]))
        text = f"{text[:start]}(§q{len(parts)}){text[end + 1 :]}"


def _innermost_subquery(text: str) -> int | None:
    """The last `(SELECT` opens a subquery with none inside it."""
    starts = [m.start() for m in re.finditer(r"\(\s*SELECT\s", text, re.IGNORECASE)]
    return starts[-1] if starts else None


def conjuncts(where: str) -> list[str]:
    """The conditions ANDed at the top of a WHERE clause (OR groups stay whole)."""
    where = _unwrap(where.strip())
    pieces, depth, last = [], 0, 0
    for match in re.finditer(r"\(|\)|\sAND\s|\sOR\s", where, re.IGNORECASE):
        token = match.group(0).strip().upper()
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif depth == 0 and token == "OR":
            return [where]  # an OR at the top: nothing here is a scope on its own
        elif depth == 0 and token == "AND":
            pieces.append(where[last : match.start()])
            last = match.end()
    pieces.append(where[last:])
    if len(pieces) == 1:
        return pieces
    return [c for piece in pieces for c in conjuncts(piece)]


def _unwrap(text: str) -> str:
    while text.startswith("(") and text.endswith(")") and _closes_at_end(text):
        text = text[1:-1].strip()
    return text


def _closes_at_end(text: str) -> bool:
    depth = 0
    for index, char in enumerate(text):
        depth += char == "("
        depth -= char == ")"
        if depth == 0 and index < len(text) - 1:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# Judging a statement


@dataclass
class Context:
    """Who asked: the signed-in authority and user, and every other authority's row ids."""

    schema: Schema
    authority: Authority
    user_id: int
    foreign_ids: Callable[[type[models.Model]], set[int]]


@dataclass(frozen=True)
class Allowed:
    name: str
    reason: str
    applies: Callable[[Statement, Part, Context], bool]


def unscoped_parts(sql: str, context: Context) -> list[str]:
    """The parts of `sql` that read authority-owned tables without a scope (empty: fine)."""
    statement = parse(sql)
    if statement.kind not in ("SELECT", "UPDATE", "DELETE"):
        return []
    verdicts: dict[int, bool] = {}
    problems = []
    # Subqueries before the parts holding them: §qN holds only §qM with M < N; the top is 0.
    for index in [*range(1, len(statement.parts)), 0]:
        part = statement.parts[index]
        verdicts[index] = _scoped(part, statement, context, verdicts)
        owned = [t for t in part.tables.values() if t in context.schema.owned]
        if owned and not verdicts[index]:
            if not any(rule.applies(statement, part, context) for rule in ALLOWED):
                problems.append(_restore(part.text, statement))
    return problems


def _scoped(part: Part, statement: Statement, context: Context, verdicts: dict) -> bool:
    return any(
        _is_scope(condition, part, statement, context, verdicts)
        for condition in conjuncts(part.where())
    )


def _is_scope(condition, part, statement, context, verdicts) -> bool:
    match = _PREDICATE.match(condition.strip())
    if not match:
        return False
    alias = match.group("table") or match.group("alias")
    table = part.tables.get(alias)
    if table is None:
        return False
    column, value = match.group("column"), match.group("value").strip()
    schema = context.schema
    if (table, column) in schema.authority_columns:
        kind = schema.authority_columns[(table, column)]
        expected = context.authority.slug if kind == "slug" else context.authority.pk
        return _value_scoped(value, part, statement, verdicts, lambda v: v == {expected})
    if (table, column) in schema.parent_keys:
        parent = schema.parent_keys[(table, column)]
        return _value_scoped(
            value, part, statement, verdicts, lambda v: not (v & context.foreign_ids(parent))
        )
    if table in schema.owned and column == schema.owned[table]._meta.pk.column:
        # `id IN (SELECT ...)`: how a scoped queryset's update() or delete() names its rows.
        subquery = _SUBQUERY_VALUE.match(value)
        return bool(subquery) and verdicts.get(int(subquery.group(1)), False)
    return False


def _value_scoped(value, part, statement, verdicts, literals_ok) -> bool:
    subquery = _SUBQUERY_VALUE.match(value)
    if subquery:
        return verdicts.get(int(subquery.group(1)), False)
    column = _COLUMN_VALUE.match(value)
    if column:  # correlated: a column of the enclosing query, not of this part
        return (column.group("table") or column.group("alias")) not in part.tables
    literals = _LITERALS.match(value)
    if literals:
        return literals_ok(_values(literals.group(1), statement))
    return False


def _values(text: str, statement: Statement) -> set:
    values = set()
    for token in re.findall(r"-?\d+|§s\d+", text):
        if token.startswith("§s"):
            values.add(statement.strings[int(token[2:])])
        else:
            values.add(int(token))
    return values


def _restore(text: str, statement: Statement) -> str:
    return re.sub(r"§s(\d+)", lambda m: repr(statement.strings[int(m.group(1))]), text)


# ---------------------------------------------------------------------------------------------
# Known-safe statements the rules above cannot see


def _own_memberships(statement: Statement, part: Part, context: Context) -> bool:
    """Memberships (the only owned table read) of the signed-in user: filtered by their id on
    a column naming users, or on the user table's key."""
    owned = {t for t in part.tables.values() if t in context.schema.owned}
    if owned != {"tenancy_membership"}:
        return False
    user_table = get_user_model()._meta.db_table
    for condition in conjuncts(part.where()):
        match = _PREDICATE.match(condition.strip())
        if not match or match.group("op") != "=":
            continue
        column = (
            part.tables.get(match.group("table") or match.group("alias")),
            match.group("column"),
        )
        literals = _LITERALS.match(match.group("value").strip())
        names_a_user = column in context.schema.user_columns or column == (user_table, "id")
        if names_a_user and literals and _values(literals.group(1), statement) == {context.user_id}:
            return True
    return False


def _save_of_a_loaded_row(statement: Statement, part: Part, context: Context) -> bool:
    """`UPDATE ... WHERE id = N` or `DELETE ... WHERE id IN (N, M)`: `Model.save()`, and
    `delete()` through Django's collector, on rows already loaded through a scope. Checked
    here: none of them is another authority's."""
    if statement.kind not in ("UPDATE", "DELETE") or part is not statement.parts[0]:
        return False
    table = next(iter(part.tables.values()))
    model = context.schema.owned.get(table)
    condition = conjuncts(part.where())
    match = _PREDICATE.match(condition[0].strip()) if len(condition) == 1 else None
    if model is None or not match or match.group("column") != model._meta.pk.column:
        return False
    literals = _LITERALS.match(match.group("value").strip())
    return bool(literals) and not (
        _values(literals.group(1), statement) & context.foreign_ids(model)
    )


ALLOWED = [
    Allowed(
        "own memberships",
        "access_for, the authority list and the menu read the signed-in user's own memberships "
        "(keyed by their user id): that is where an Access comes from, before any authority "
        "is known",
        _own_memberships,
    ),
    Allowed(
        "save of a loaded row",
        "Model.save() and Django's delete collector write rows by primary key after they were "
        "loaded through access.get or a scope; the check still refuses another authority's key",
        _save_of_a_loaded_row,
    ),
]


# ---------------------------------------------------------------------------------------------
# Judging what a page runs (tests/security/test_query_scoping.py, tests/core/test_access_sweep.py)


def context_for(schema: Schema, authority: Authority, user) -> Context:
    """Snapshot, before any request, which rows of each owned model are another authority's."""
    foreign = {}
    for model in schema.owned.values():
        rows = model._base_manager
        own = rows.filter(**{authority_path(model): authority}).values("pk")
        foreign[model] = set(rows.exclude(pk__in=own).values_list("pk", flat=True))
    return Context(schema, authority, user.pk, lambda model: foreign.get(model, set()))


def unscoped_while(run: Callable[[], object], context: Context) -> list[str]:
    """Run `run()` capturing SQL; the unscoped parts of what it ran."""
    with CaptureQueriesContext(connection) as captured:
        run()
    return [part for query in captured for part in unscoped_parts(query["sql"], context)]
