"""Bulk writes that Django's ORM makes slow.

`update_changed()` writes only the fields that changed on each object, as one parameterised
UPDATE per distinct set of changed fields run with executemany. Django's bulk_update builds a
CASE expression over every listed field for every row, which is slow on both SQLite and
PostgreSQL once rows have dozens of fields.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import connections, models, router
from django.db.models.fields import Field

# Field classes whose database value is the Python value itself when it already has the right
# type (exact classes only: a subclass such as an encrypted field may transform its value).
_PASSTHROUGH: dict[type, tuple[type, ...]] = {
    models.CharField: (str,), models.TextField: (str,), models.BooleanField: (bool,),
    models.IntegerField: (int,), models.PositiveIntegerField: (int,), models.SmallIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,), models.BigIntegerField: (int,),
    models.PositiveBigIntegerField: (int,), models.FloatField: (float,),
}
_TEXT_FIELDS = (models.CharField, models.TextField)
_INT_KEYS = (models.AutoField, models.BigAutoField, models.SmallAutoField, models.IntegerField,
             models.BigIntegerField)


def _passthrough_types(field) -> tuple[type, ...]:
    if type(field) in (models.ForeignKey, models.OneToOneField) and type(field.target_field) in _INT_KEYS:
        return (int,)
    return _PASSTHROUGH.get(type(field), ())


def _direct_adapter(field, conn):
    """(types, adapt) for values the backend adapts without Django's per-value chain: what
    `get_db_prep_save` returns for them is `adapt(value)` (a JSON object or list, an aware datetime,
    a date); (None, None) for every other field."""
    ops = conn.ops
    if type(field) is models.JSONField:
        encoder = field.encoder
        return (dict, list), lambda value: ops.adapt_json_value(value, encoder)
    if type(field) is models.DateTimeField:
        adapt = ops.adapt_datetimefield_value
        if conn.vendor == "sqlite" and settings.USE_TZ:
            # SQLite's adapter: naive in the connection's zone, as text (its zone looked up once;
            # a batch repeats the same moments — "now", shared deadlines — so they are remembered).
            tz, seen = conn.timezone, {}

            def adapt(value):
                text = seen.get(value)
                if text is None:
                    if len(seen) > 4096:
                        seen.clear()
                    text = seen[value] = str(value.astimezone(tz).replace(tzinfo=None))
                return text
        # A naive datetime goes the long way (Django warns and makes it aware).
        return (dt.datetime,), lambda value: adapt(value) if value.tzinfo is not None else \
            field.get_db_prep_save(value, conn)
    if type(field) is models.DateField:
        return (dt.date,), ops.adapt_datefield_value
    return None, None


def _plain_pre_save(field) -> bool:
    """True when `field.pre_save(obj, add)` is just the attribute's value."""
    if type(field).pre_save is Field.pre_save:
        return True
    return type(field) in (models.DateField, models.DateTimeField) and not (field.auto_now or field.auto_now_add)


def _row_preparer(fields, conn):
    """A function turning one object into its row of database values: what
    `[f.get_db_prep_save(f.pre_save(o, True), conn) for f in fields]` gives, without the per-value
    call chain for plain strings, numbers, booleans, integer keys, JSON objects, aware datetimes,
    dates and None (about a third of a bulk import's Python time went there)."""
    plan = [(f, f.attname, _plain_pre_save(f), set(_passthrough_types(f)), type(f) in _TEXT_FIELDS,
             *_direct_adapter(f, conn)) for f in fields]

    def prepare(obj) -> list:
        row = []
        for f, attname, plain, kinds, text, direct, adapt in plan:
            value = getattr(obj, attname) if plain else f.pre_save(obj, True)
            if value is None or type(value) in kinds:
                row.append(value)
            elif direct is not None and type(value) in direct:
                row.append(adapt(value))
            elif text and isinstance(value, str):
                # A choices member (TextChoices is a str): Django stores the member itself too.
                kinds.add(type(value))
                row.append(value)
            else:
                row.append(f.get_db_prep_save(value, conn))
        return row

    return prepare


_BUILDERS: dict[type, object] = {}


def build(model, **values):
    """A new, unsaved instance of `model`: the same object as `model(**values)` built without
    `Model.__init__`'s argument handling (a tenth of a bulk import's time went to constructing the
    orders, screenings and events it writes). `values` are by attname (`field_id=3`, not
    `field=<Field>`); every other concrete field gets its default. Models with `pre_init` /
    `post_init` receivers go through `Model.__init__`."""
    make = _BUILDERS.get(model)
    if make is None:
        make = _BUILDERS[model] = _builder(model)
    return make(values)


def _builder(model):
    from copy import deepcopy

    from django.db.models.base import ModelState
    from django.db.models.signals import post_init, pre_init

    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return lambda values: model(**values)
    fixed: dict[str, object] = {}
    made: list[tuple[str, object]] = []
    for f in model._meta.concrete_fields:
        if f.has_default() and callable(f.default):
            made.append((f.attname, f.default))
        else:
            value = f.get_default()
            if isinstance(value, (list, dict, set)):
                made.append((f.attname, lambda v=value: deepcopy(v)))
            else:
                fixed[f.attname] = value
    known = frozenset(f.attname for f in model._meta.concrete_fields)
    new = object.__new__

    def make(values: dict):
        unknown = values.keys() - known
        if unknown:
            raise TypeError(f"{model.__name__} has no field (attname) {', '.join(sorted(unknown))}")
        obj = new(model)
        obj._state = ModelState()
        d = obj.__dict__
        d.update(fixed)
        for attname, factory in made:
            if attname not in values:
                d[attname] = factory()
        d.update(values)
        return obj

    return make


def snapshot(obj, names: Iterable[str]) -> dict[str, object]:
    meta = obj._meta
    return {name: getattr(obj, meta.get_field(name).attname) for name in names}


def changed_fields(obj, before: dict[str, object]) -> set[str]:
    meta = obj._meta
    return {name for name, old in before.items() if getattr(obj, meta.get_field(name).attname) != old}


def update_changed(model, items: Iterable[tuple[object, Iterable[str]]]) -> int:
    """items: (object, field names to write). Returns the number of rows written."""
    groups: dict[tuple[str, ...], list] = defaultdict(list)
    for obj, names in items:
        names = tuple(sorted(set(names)))
        if names:
            groups[names].append(obj)
    if not groups:
        return 0
    conn = connections[router.db_for_write(model)]
    quote = conn.ops.quote_name
    meta = model._meta
    written = 0
    with conn.cursor() as cursor:
        for names, objs in groups.items():
            fields = [meta.get_field(n) for n in names]
            sql = (f"UPDATE {quote(meta.db_table)} SET "
                   + ", ".join(f"{quote(f.column)} = %s" for f in fields)
                   + f" WHERE {quote(meta.pk.column)} = %s")
            params = [[f.get_db_prep_save(getattr(o, f.attname), conn) for f in fields] + [o.pk] for o in objs]
            cursor.executemany(sql, params)
            written += len(objs)
    return written


def insert_many(model, objs: list) -> None:
    """INSERT rows with executemany, skipping the ORM's per-row SQL compilation.

    Primary keys are not read back: use it for rows nobody refers to in the same breath
    (timeline events), or look the rows up afterwards by a natural key.
    """
    if not objs:
        return
    conn = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    prepare = _row_preparer(fields, conn)
    insert_rows(model, fields, [prepare(o) for o in objs])


def insert_rows(model, fields, rows: list, *, batch: int | None = None) -> None:
    """INSERT rows of database-ready values (one per field, in `fields` order: Field objects or
    names): COPY on PostgreSQL, executemany elsewhere (in batches of `batch` rows when given)."""
    if not rows:
        return
    conn = connections[router.db_for_write(model)]
    quote = conn.ops.quote_name
    meta = model._meta
    table = quote(meta.db_table)
    columns = ", ".join(quote(f.column if isinstance(f, Field) else meta.get_field(f).column) for f in fields)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":  # COPY is several times faster than INSERT there
            # The raw psycopg cursor: wrap its errors so callers can catch django.db.IntegrityError.
            with conn.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        step = batch or len(rows)
        for i in range(0, len(rows), step):
            cursor.executemany(sql, rows[i:i + step])


class Analyzer:
    """Keeps PostgreSQL's planner statistics fresh during a large load.

    A table that was empty when last analysed looks tiny to the planner, and a prepared
    statement's generic plan then scans it sequentially for every look-up — a bulk import
    slows down as it grows (seen with autovacuum off or lagging). ANALYZE after 1, 2, 4, 8 …
    thousand rows (then every 256 thousand) keeps look-ups on their indexes and invalidates stale
    plans. A no-op on other databases.
    """

    def __init__(self, *models, first: int = 1000, ceiling: int = 256_000):
        self.models = models
        self.next_at = first
        self.ceiling = ceiling
        self.rows = 0

    def add(self, rows: int) -> None:
        self.rows += rows
        if self.rows < self.next_at:
            return
        self.next_at = self.rows + min(self.rows, self.ceiling)
        conn = connections[router.db_for_write(self.models[0])]
        if conn.vendor != "postgresql":
            return
        with conn.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(conn.ops.quote_name(m._meta.db_table) for m in self.models))
