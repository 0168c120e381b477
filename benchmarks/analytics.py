"""Analytics at scale: the dashboard, the measures' rollup, reports and warning detectors on N orders.
Prints figures; records nothing by itself (copy them to docs/BENCHMARKS.md with date and machine).

    .venv/bin/python -u benchmarks/analytics.py                    # 1,000,000 orders, SQLite under /tmp
    .venv/bin/python -u benchmarks/analytics.py --orders 100000    # smaller
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jidu_analytics_bench .venv/bin/python -u benchmarks/analytics.py
    .venv/bin/python -u benchmarks/analytics.py --build-only       # build the orders and stop
    .venv/bin/python -u benchmarks/analytics.py --reuse            # measure again on the orders built before
    .venv/bin/python -u benchmarks/analytics.py --reuse --skip-rebuild   # … keeping the rollup built before

Orders are written directly (COPY on PostgreSQL, executemany on SQLite, from whole columns drawn
with numpy a chunk at a time — not through intake: this measures reading, not writing), in the
order they would have arrived, over the 12 months before --end (weekends quieter, July, August and
October busier, 07:00–22:59), with a realistic spread: areas (towns and districts, Pareto weights),
lead departments (a few take most orders), enforcement fields, tourism, order types, statuses by
age, deadlines, replies (mostly in time), callbacks (satisfaction, resolution), returns,
reopenings, clue colours and problem types. Texts are short phrases (this measures counting, not
text). The tables keep every index and constraint migrations create; PostgreSQL is VACUUM ANALYZEd
(SQLite ANALYZEd) after the build. Then:
- the rollup's full rebuild (`refresh_measures --full`) and an incremental refresh after 1,000 changes;
- the dashboard page (/dashboard/, Django test client, a logged-in leader): p50/p95 over 50 requests
  across filter combinations (30 days city-wide, 12 months city-wide, 90 days one district,
  12 months one department, 30 days one field + tourism);
- `jidu.reports.services.generate_report("monthly", …)` when it exists;
- `jidu.warnings.services.run_detectors(now)` over the last day's orders when it exists;
- peak resident memory of this process.
"""

import argparse
import datetime as dt
import itertools
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PHRASES = ["海鲜排档结账时发现短斤少两", "民宿因停航拒绝退还房费", "码头有人拉客强行推销一日游", "夜间施工噪声扰民",
           "出租车拒载并要求不打表", "小区旁违章搭建彩钢棚", "景区停车场乱收费", "咨询公积金提取政策",
           "餐饮店油烟扰民", "道路积水无人处理", "快递网点拒绝理赔", "培训机构退费难"]
def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'jidu_analytics.sqlite3'}")
    os.environ.setdefault("JIDU_DATA_DIR", str(workdir))
    os.environ["JIDU_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jidu.settings")
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        _ensure_pg_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))
    except Exception as exc:  # noqa: BLE001 - the areas/departments this needs load first
        print(f"load_reference did not finish ({exc!r}); going on with what it loaded", flush=True)


def _ensure_pg_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def reset_database() -> None:
    """Start from an empty database (a new SQLite file; PostgreSQL: drop and create)."""
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite"):
        path = Path(url.split("sqlite:///", 1)[1])
        for p in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
            p.unlink(missing_ok=True)
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


CHUNK = 50_000

# Statuses by age (days since received): older orders are mostly finished.
OLD_STATUSES = (["closed", "archived", "terminated", "reopened", "called_back", "in_progress"],
                [60, 30, 2, 1, 5, 2])
RECENT_STATUSES = (["received", "dispatched", "signed", "in_progress", "return_requested", "replied",
                    "called_back", "closed", "reopened", "terminated"],
                   [3, 8, 8, 25, 3, 15, 10, 25, 2, 1])
REPLIED = {"replied", "called_back", "closed", "archived", "reopened"}
CALLED_BACK = {"called_back", "closed", "archived", "reopened"}


def _p(weights):
    import numpy as np

    w = np.asarray(weights, dtype=float)
    return w / w.sum()


class ChunkWriter:
    """Writes one model's rows from whole columns (numpy arrays or lists), with explicit ids:
    COPY in text format on PostgreSQL, executemany on SQLite — the statements of
    `jidu.core.bulk.insert_many`, without a Python object or a per-column conversion per row
    (at millions of rows that costs more than the database does). Columns not given get the
    field's default, written as one constant."""

    def __init__(self, model, connection, next_id: int):
        self.model, self.conn, self.next_id = model, connection, next_id
        self.pg = connection.vendor == "postgresql"
        self.fields = {f.attname: f for f in model._meta.concrete_fields}
        self.pk = model._meta.pk.attname
        self.written = 0

    def ids(self, count: int):
        import numpy as np

        ids = np.arange(self.next_id, self.next_id + count, dtype=np.int64)
        self.next_id += count
        return ids

    # Column converters: numpy arrays in, a list of database values (PostgreSQL: COPY text) out.
    def ints(self, values, null=None):
        import numpy as np

        if self.pg:
            out = values.astype(str)
            return (np.where(null, "\\N", out) if null is not None else out).tolist()
        out = values.astype(object)
        if null is not None:
            out[null] = None
        return out.tolist()

    def bools(self, values):
        import numpy as np

        return np.where(values, "t", "f").tolist() if self.pg else values.tolist()

    def times(self, seconds, null=None):
        """UTC epoch seconds -> 'YYYY-MM-DD HH:MM:SS' (SQLite, as Django writes it) or …+00 (COPY)."""
        import numpy as np

        text = seconds.astype("datetime64[s]").astype("U19")
        text.view(np.uint32).reshape(len(text), 19)[:, 10] = ord(" ")
        if self.pg:
            text = np.strings.add(text, "+00")
            return (np.where(null, "\\N", text) if null is not None else text).tolist()
        out = text.astype(object)
        if null is not None:
            out[null] = None
        return out.tolist()

    def _constant(self, field, value):
        value = field.get_db_prep_save(value, self.conn)
        if hasattr(value, "obj"):  # psycopg's Jsonb wrapper around a JSONField default
            import json

            value = json.dumps(value.obj, cls=field.encoder)
        return value

    def _text(self, value) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        return (str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r"))

    def _literal(self, value) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, bool | int | float):
            return str(int(value) if isinstance(value, bool) else value)
        return "'" + str(value).replace("'", "''") + "'"

    def write(self, ids, columns: dict) -> None:
        """ids: numpy array from ids(); columns: attname -> list (converted) or a scalar (one value
        for every row, given as a Python value)."""
        count = len(ids)
        if not count:
            return
        q = self.conn.ops.quote_name
        table = q(self.model._meta.db_table)
        varying = {self.pk: self.ints(ids)}
        constant = {}
        for name, field in self.fields.items():
            if name == self.pk:
                continue
            if name not in columns:
                constant[name] = self._constant(field, field.get_default())
            elif isinstance(columns[name], list):
                assert len(columns[name]) == count, name
                varying[name] = columns[name]
            else:
                constant[name] = self._constant(field, columns[name])
        unknown = set(columns) - set(self.fields)
        assert not unknown, unknown
        names = list(varying) + list(constant)
        column_sql = ", ".join(q(self.fields[n].column) for n in names)
        with self.conn.cursor() as cursor:
            if self.pg:
                prefix = "\t".join(self._text(v) for v in constant.values())
                lines = "\n".join(map("\t".join, zip(*varying.values(), itertools.repeat(prefix)))) + "\n"
                with self.conn.wrap_database_errors, \
                        cursor.cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
                    copy.write(lines)
            else:
                values = ", ".join(["?"] * len(varying) + [self._literal(v) for v in constant.values()])
                self.conn.connection.executemany(f"INSERT INTO {table} ({column_sql}) VALUES ({values})",
                                                 zip(*varying.values()))
        self.written += count


def build(n: int, end: dt.date, seed: int = 5, chunk: int = CHUNK) -> float:
    """Write n orders (+ screening, problems, grades, timeline events) received in the 365 days
    before `end`, in the order they would have arrived. Columns are drawn with numpy a chunk at a
    time; ids are reserved (max(id) + 1 onwards), so no row is read back. Returns the seconds taken."""
    import numpy as np
    from django.core.management.color import no_style
    from django.db import DatabaseError, connection, transaction
    from django.utils import timezone

    from jidu.grading.models import ClueGrade
    from jidu.orders.models import OrderEvent, Source, Status, WorkOrder
    from jidu.org.models import Area, Department, Field, ProblemType
    from jidu.screening.models import OrderProblem, OrderScreening, ReviewState

    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    tz = timezone.get_current_timezone()
    source = Source.objects.get(code="12345")
    # Which area and which department weigh how much: drawn as in the earlier builds (Python's
    # random, same seed, same order), so "one district" / "one department" stay comparable.
    weights = random.Random(seed)
    areas = np.array(Area.objects.exclude(kind="city").values_list("pk", flat=True))
    area_p = _p([weights.paretovariate(1.2) for _ in areas])  # Pareto(1.2): a few areas take most orders
    depts = np.array(Department.objects.filter(active=True).values_list("pk", flat=True))
    dept_w = [1 / (i + 1) ** 0.9 for i in range(len(depts))]  # Zipf-like, shuffled: a few lead most
    weights.shuffle(dept_w)
    dept_p = _p(dept_w)
    fields = np.array(Field.objects.order_by("pk").values_list("pk", flat=True))
    problems = np.array(ProblemType.objects.order_by("pk").values_list("pk", flat=True))
    types = np.array(["complaint", "report", "consult", "help", "suggestion"], dtype=object)
    type_p = _p([40, 15, 30, 10, 5])
    first = end - dt.timedelta(days=364)
    days = [first + dt.timedelta(days=i) for i in range(365)]
    day_p = _p([(0.75 if d.weekday() >= 5 else 1.0) * (1.3 if d.month in (7, 8, 10) else 1.0) for d in days])
    # Received: a weighted day, then 07:00–22:59 local. All n drawn at once and sorted, so orders are
    # written in the order they arrived (ids, order numbers and times rise together, as in production).
    minute = np.repeat(np.arange(365, dtype=np.int32) * 1440, rng.multinomial(n, day_p))
    minute += rng.integers(7 * 60, 23 * 60, n, dtype=np.int32)
    minute.sort()
    # Local minute -> UTC epoch seconds, with the zone's offset per local hour (DST-safe).
    epoch0 = int(dt.datetime.combine(first, dt.time(), tzinfo=dt.timezone.utc).timestamp())
    offset = np.array([int(dt.datetime.combine(d, dt.time(h), tzinfo=tz).utcoffset().total_seconds())
                       for d in days for h in range(24)], dtype=np.int64)
    now = int(dt.datetime.combine(end, dt.time(23, 0), tzinfo=tz).timestamp())
    old_codes, old_p = np.array(OLD_STATUSES[0], dtype=object), _p(OLD_STATUSES[1])
    new_codes, new_p = np.array(RECENT_STATUSES[0], dtype=object), _p(RECENT_STATUSES[1])
    sats = np.array(["satisfied", "basic", "unsatisfied", "none"], dtype=object)
    sat_p = _p([70, 15, 10, 5])
    ress = np.array(["resolved", "partial", "unresolved"], dtype=object)
    res_p = _p([75, 15, 10])
    colours = np.array(["red", "orange", "yellow", ""], dtype=object)
    colour_p = _p([3, 10, 20, 67])
    texts = np.array(["；".join((a, b)) for a in PHRASES for b in PHRASES], dtype=object)
    titles = np.array([t[:20] for t in texts], dtype=object)
    due_days = np.array([3, 5, 7, 10, 15])
    reopened_label, returned_label = Status.REOPENED.label, Status.RETURN_REQUESTED.label
    applied = ReviewState.APPLIED.value

    def next_id(model):
        return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    w = {m: ChunkWriter(m, connection, next_id(m))
         for m in (WorkOrder, OrderScreening, ClueGrade, OrderEvent, OrderProblem)}
    with connection.cursor() as c:  # build-only session settings; the connection is closed after
        if connection.vendor == "postgresql":
            # As `pg_restore --disable-triggers`: no per-row foreign-key trigger during the load (the
            # constraints stay; every reference is checked in one pass per table afterwards).
            try:
                c.execute("SET session_replication_role = replica")
            except DatabaseError as exc:  # not a superuser: keep the triggers, slower
                print(f"  foreign-key triggers stay on ({exc})".rstrip(), flush=True)
        else:  # no fsync per chunk, a page cache as large as a million orders' tables
            c.execute("PRAGMA synchronous=OFF")
            c.execute("PRAGMA cache_size=-1048576")

    def write_chunk(made: int, m: int) -> int:
        mins = minute[made:made + m].astype(np.int64)
        received = epoch0 + mins * 60 - offset[mins // 60]
        age = (now - received) // 86400
        due = received + rng.choice(due_days, m) * 86400
        old = age > 30
        status = np.where(old, rng.choice(old_codes, m, p=old_p), rng.choice(new_codes, m, p=new_p))
        s_replied = np.isin(status, list(REPLIED))
        has_reply = s_replied | (rng.random(m) < 0.05)
        replied = np.minimum(now, received + np.rint(rng.uniform(0.2, 1.1, m) * (due - received)).astype(np.int64))
        has_callback = np.isin(status, list(CALLED_BACK)) & has_reply & (rng.random(m) < 0.85)
        callback = replied + 86400
        sat = np.where(has_callback, rng.choice(sats, m, p=sat_p), "")
        res = np.where(has_callback, rng.choice(ress, m, p=res_p), "")
        text_i = rng.integers(0, 12, m) * 12
        text_i += (text_i // 12 + rng.integers(1, 12, m)) % 12  # two different phrases
        no_dept = status == "received"
        dept = rng.choice(depts, m, p=dept_p)
        area = rng.choice(areas, m, p=area_p)
        enforcement = rng.random(m) < 0.4
        field = rng.choice(fields, m)
        tourism = rng.random(m) < 0.25
        reopened = np.isin(status, ["closed", "archived"]) & (rng.random(m) < 0.03)
        returned = ~np.isin(status, ["received", "terminated"]) & (rng.random(m) < 0.04)
        colour = np.where(enforcement, rng.choice(colours, m, p=colour_p), "")
        two = enforcement & (rng.integers(1, 3, m) == 2) & (len(problems) > 1)
        prob1 = rng.integers(0, len(problems), m)
        prob2 = (prob1 + rng.integers(1, max(len(problems), 2), m)) % len(problems)

        order_ids = w[WorkOrder].ids(m)
        screening_ids = w[OrderScreening].ids(m)
        o = w[WorkOrder]
        r = o.times(received)
        with transaction.atomic():
            o.write(order_ids, {
                "source_id": source.pk, "order_no": [f"AN{i:09d}" for i in range(made, made + m)],
                "order_type": rng.choice(types, m, p=type_p).tolist(), "channel": "phone", "received_at": r,
                "title": titles[text_i].tolist(), "content": texts[text_i].tolist(), "area_id": o.ints(area),
                "lead_department_id": o.ints(dept, no_dept), "status": status.tolist(), "due_at": o.times(due),
                "replied_at": o.times(replied, ~has_reply), "callback_at": o.times(callback, ~has_callback),
                "callback_satisfaction": sat.tolist(), "callback_resolution": res.tolist(),
                "source_version": r, "created_at": r, "updated_at": r})
            s = w[OrderScreening]
            s.write(screening_ids, {
                "order_id": s.ints(order_ids), "enforcement": s.bools(enforcement),
                "field_id": s.ints(field, ~enforcement), "tourism": s.bools(tourism), "state": applied,
                "screened_at": r})
            graded = colour != ""
            g = w[ClueGrade]
            g.write(g.ids(int(graded.sum())), {"order_id": g.ints(order_ids[graded]), "colour": colour[graded].tolist(),
                                               "graded_at": g.times(received[graded])})
            e = w[OrderEvent]
            ev_order = np.concatenate([order_ids[reopened], order_ids[returned]])
            ev_at = np.concatenate([received[reopened], received[returned]])
            ev_value = np.array([reopened_label] * int(reopened.sum()) + [returned_label] * int(returned.sum()),
                                dtype=object)
            by_order = np.argsort(ev_order, kind="stable")
            ev_at = e.times(ev_at[by_order])
            e.write(e.ids(len(ev_order)), {"order_id": e.ints(ev_order[by_order]), "kind": "status",
                                           "field": "工单状态", "new_value": ev_value[by_order].tolist(),
                                           "at": ev_at, "recorded_at": ev_at})
            p = w[OrderProblem]
            pr_screening = np.concatenate([screening_ids[enforcement], screening_ids[two]])
            pr_problem = np.concatenate([problems[prob1[enforcement]], problems[prob2[two]]])
            by_screening = np.argsort(pr_screening, kind="stable")
            p.write(p.ids(len(pr_screening)), {"screening_id": p.ints(pr_screening[by_screening]),
                                               "problem_id": p.ints(pr_problem[by_screening]), "state": applied})
        return made + m

    made = 0
    next_report = 100_000
    try:
        while made < n:
            made = write_chunk(made, min(chunk, n - made))
            if made >= next_report or made == n:
                next_report += 100_000
                secs = time.perf_counter() - started
                print(f"  {made:,} orders ({secs:.0f} s, {made / secs:,.0f} orders/s, "
                      f"load {os.getloadavg()[0]:.1f})", flush=True)
    finally:
        connection.close()  # the next query reconnects with the production session settings
    if connection.vendor == "postgresql":
        with connection.cursor() as c:  # explicit ids: move each table's identity sequence past them
            for sql in connection.ops.sequence_reset_sql(no_style(), list(w)):
                c.execute(sql)
    written = time.perf_counter() - started
    print("  rows: " + ", ".join(f"{m.__name__} {x.written:,}" for m, x in w.items())
          + f"; written in {written:.0f} s ({n / written:,.0f} orders/s)", flush=True)
    t = time.perf_counter()
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"  {'VACUUM ANALYZE' if connection.vendor == 'postgresql' else 'ANALYZE'}: "
          f"{time.perf_counter() - t:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        t = time.perf_counter()
        check_references(list(w))
        print(f"  foreign keys checked: {time.perf_counter() - t:.0f} s", flush=True)
    return time.perf_counter() - started


def check_references(models) -> None:
    """Every foreign key of these tables points at an existing row (what the per-row triggers
    skipped during the load would have enforced): one scan per table, a hash join per reference."""
    from django.db import connection

    q = connection.ops.quote_name
    for model in models:
        fks = [f for f in model._meta.concrete_fields if f.is_relation]
        joins, broken = [], []
        for i, f in enumerate(fks):
            parent, key, column = q(f.target_field.model._meta.db_table), q(f.target_field.column), q(f.column)
            joins.append(f"LEFT JOIN {parent} p{i} ON p{i}.{key} = c.{column}")
            broken.append(f"count(*) FILTER (WHERE c.{column} IS NOT NULL AND p{i}.{key} IS NULL)")
        with connection.cursor() as c:
            c.execute(f"SELECT {', '.join(broken)} FROM {q(model._meta.db_table)} c {' '.join(joins)}")
            counts = c.fetchone()
        bad = {f.name: k for f, k in zip(fks, counts, strict=True) if k}
        if bad:
            raise RuntimeError(f"{model.__name__}: rows pointing at nothing: {bad}")


def time_dashboard(end: dt.date, requests: int = 50) -> dict:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from jidu.org.models import Area, Department, Field, User

    setup_test_environment()
    leader, _ = User.objects.get_or_create(username="bench-leader", defaults={"role": "leader"})
    client = Client()
    client.force_login(leader)
    district = Area.objects.filter(kind="district").order_by("code").first()
    dept = Department.objects.filter(code="SCJG").first() or Department.objects.first()
    wenlv = Field.objects.order_by("sort", "code").first()
    iso = end.isoformat()
    combos = {
        "30天·全市": {"start": (end - dt.timedelta(days=29)).isoformat(), "end": iso},
        "12个月·全市": {"start": (end - dt.timedelta(days=364)).isoformat(), "end": iso},
        "90天·一个区": {"start": (end - dt.timedelta(days=89)).isoformat(), "end": iso, "area": district.pk},
        "12个月·一个单位": {"start": (end - dt.timedelta(days=364)).isoformat(), "end": iso, "department": dept.pk},
        "30天·领域+涉旅": {"start": (end - dt.timedelta(days=29)).isoformat(), "end": iso, "field": wenlv.pk,
                         "theme": "tourism"},
    }
    times: dict[str, list[float]] = {k: [] for k in combos}
    for params in combos.values():  # warm-up (connections, template loading)
        assert client.get("/dashboard/", params).status_code == 200
    names = list(combos)
    for i in range(requests):
        name = names[i % len(names)]
        t = time.perf_counter()
        response = client.get("/dashboard/", combos[name])
        times[name].append(time.perf_counter() - t)
        assert response.status_code == 200
    every = [x for v in times.values() for x in v]
    return {"p50": _pct(every, 50), "p95": _pct(every, 95), "max": max(every),
            "per_combo": {k: (_pct(v, 50), max(v)) for k, v in times.items()}}


def _summarise(result) -> str:
    """The detectors' result in one line: warnings per kind, not every title."""
    if not isinstance(result, (list, tuple)):
        return str(result)
    from collections import Counter

    kinds = Counter(str(getattr(w, "kind", type(w).__name__)) for w in result)
    return f"{len(result)} warnings: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))


def _pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--end", default="2026-11-26", help="last day of the 12 months (default 2026-11-26)")
    parser.add_argument("--reuse", action="store_true", help="keep the orders already in the database")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--build-only", action="store_true", help="build the orders, then stop")
    parser.add_argument("--skip-rebuild", action="store_true",
                        help="skip the rollup's full rebuild (use the rollup already in the database, with --reuse)")
    parser.add_argument("--chunk", type=int, default=CHUNK, help=f"orders generated and written at a time ({CHUNK:,})")
    args = parser.parse_args()
    end = dt.date.fromisoformat(args.end)
    workdir = Path(tempfile.mkdtemp(prefix="jidu-analytics-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'jidu_analytics.sqlite3'}")
    if not args.reuse:
        reset_database()
    setup_django(workdir)
    from django.db import connection
    from django.utils import timezone

    from jidu.measures import services as ms
    from jidu.orders.models import WorkOrder

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    existing = WorkOrder.objects.count()
    build_peak = None
    if args.reuse and existing:
        print(f"reusing {existing:,} orders")
    else:
        print(f"building {args.orders:,} orders (load average {os.getloadavg()[0]:.1f}) …", flush=True)
        secs = build(args.orders, end, chunk=args.chunk)
        print(f"built {args.orders:,} orders in {secs:.0f} s ({args.orders / secs:,.0f} orders/s; "
              f"load average {os.getloadavg()[0]:.1f})", flush=True)
        # The build's page cache and arrays are not what is measured: count peak memory from here,
        # on a new connection (with the production settings).
        connection.close()
        build_peak = _reset_peak_rss()
    if args.build_only:
        return
    total = WorkOrder.objects.count()

    from jidu.measures.models import DailyCount

    if args.skip_rebuild:
        print(f"rollup full rebuild skipped: {DailyCount.objects.count():,} rollup rows already there")
    else:
        t = time.perf_counter()
        summary = ms.refresh(full=True, now=timezone.now())
        rebuild = time.perf_counter() - t
        print(f"rollup full rebuild: {rebuild:.1f} s — {summary}; {DailyCount.objects.count():,} rollup rows")
    # An incremental refresh after 1,000 orders changed.
    ids = list(WorkOrder.objects.order_by("-received_at").values_list("pk", flat=True)[:1000])
    WorkOrder.objects.filter(pk__in=ids).update(status="closed", updated_at=timezone.now())
    t = time.perf_counter()
    summary = ms.refresh()
    print(f"rollup incremental refresh (1,000 changed orders): {time.perf_counter() - t:.1f} s — {summary}")

    d = time_dashboard(end, args.requests)
    print(f"dashboard /dashboard/ over {args.requests} requests on {total:,} orders: "
          f"p50 {d['p50'] * 1000:.0f} ms, p95 {d['p95'] * 1000:.0f} ms, max {d['max'] * 1000:.0f} ms")
    for name, (p50, mx) in d["per_combo"].items():
        print(f"  {name}: p50 {p50 * 1000:.0f} ms, max {mx * 1000:.0f} ms")

    t0 = time.perf_counter()
    live = ms.compute_many([c for c, m in ms.MEASURES.items() if m.is_order_measure],
                           ms.Filters(end.replace(day=1), end))
    print(f"measures counted live from the orders (month to date, {len(live)} measures): "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms")

    try:
        from jidu.reports.services import generate_report
    except ImportError:
        print("reports: jidu.reports.services.generate_report not available — skipped")
    else:
        month = (end.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        t = time.perf_counter()
        try:
            report = generate_report("monthly", month)
            print(f"monthly report for {month:%Y-%m}: {time.perf_counter() - t:.1f} s ({report})")
        except Exception as exc:  # noqa: BLE001 - another app's failure is reported, not fatal here
            print(f"monthly report failed after {time.perf_counter() - t:.1f} s: {exc!r}")
    try:
        from jidu.warnings.services import run_detectors
    except ImportError:
        print("warnings: jidu.warnings.services.run_detectors not available — skipped")
    else:
        tz = timezone.get_current_timezone()
        t = time.perf_counter()
        try:
            result = run_detectors(now=dt.datetime.combine(end, dt.time(23, 0), tzinfo=tz))
            took = time.perf_counter() - t
            print(f"warning detectors over the day's orders: {took:.1f} s ({_summarise(result)})")
        except Exception as exc:  # noqa: BLE001
            print(f"warning detectors failed after {time.perf_counter() - t:.1f} s: {exc!r}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MB" + (f" after the build (the build's: {build_peak:.0f} MB)" if build_peak else ""))


def _reset_peak_rss() -> float | None:
    """Linux: reset the process's peak resident set size ("5" > clear_refs; getrusage follows).
    Returns the peak before the reset in MB, None when it could not be reset."""
    import ctypes
    import gc

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    gc.collect()
    try:  # glibc keeps freed heap pages (the page cache's) resident until trimmed
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return None
    return before


if __name__ == "__main__":
    main()
