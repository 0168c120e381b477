"""Analytics at scale: the dashboard, the measures' rollup, reports and warning detectors on N orders.
Prints figures; records nothing by itself (copy them to docs/BENCHMARKS.md with date and machine).

    .venv/bin/python benchmarks/analytics.py                       # 1,000,000 orders, SQLite under /tmp
    .venv/bin/python benchmarks/analytics.py --orders 100000       # smaller
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jidu_analytics_bench .venv/bin/python benchmarks/analytics.py
    .venv/bin/python benchmarks/analytics.py --reuse               # measure again on the orders built before

Orders are written directly (the statements of `jidu.core.bulk.insert_many`, from plain values —
not through intake: this measures reading, not writing), over the 12 months before --end, with a realistic spread: areas (towns and
districts), lead departments (a few take most orders), enforcement fields, tourism, order types,
statuses by age, deadlines, replies (mostly in time), callbacks (satisfaction, resolution),
returns, reopenings, clue colours and problem types. Texts are short phrases (this measures
counting, not text). Then:
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
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PHRASES = ["海鲜排档结账时发现短斤少两", "民宿因停航拒绝退还房费", "码头有人拉客强行推销一日游", "夜间施工噪声扰民",
           "出租车拒载并要求不打表", "小区旁违章搭建彩钢棚", "景区停车场乱收费", "咨询公积金提取政策",
           "餐饮店油烟扰民", "道路积水无人处理", "快递网点拒绝理赔", "培训机构退费难"]
CHUNK = 20_000


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


class RawInserter:
    """Rows as plain values, written with executemany (SQLite) or COPY (PostgreSQL) — the same
    statements as `jidu.core.bulk.insert_many`, without building a model instance per row (at a
    million rows that costs more than the database does). Fields not given get their default."""

    def __init__(self, model):
        from django.db import connection

        self.model, self.conn = model, connection
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in self.fields}
        self.pg = connection.vendor == "postgresql"

    def dt(self, moment):
        if moment is None or self.pg:
            return moment
        return moment.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(" ")

    def insert(self, rows: list[dict]) -> None:
        if not rows:
            return
        q = self.conn.ops.quote_name
        table, names = q(self.model._meta.db_table), [f.attname for f in self.fields]
        columns = ", ".join(q(f.column) for f in self.fields)
        params = [[row.get(n, self.defaults[n]) if n in row else self.defaults[n] for n in names] for row in rows]
        with self.conn.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for r in params:
                        copy.write_row(r)
            else:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})",
                                   params)


def build(n: int, end: dt.date, seed: int = 5) -> float:
    """Write n orders (+ screening, problems, grades, timeline events) received in the 365 days
    before `end`. Returns the seconds taken."""
    import itertools

    from django.db import connection, transaction
    from django.utils import timezone

    from jidu.core.bulk import Analyzer
    from jidu.grading.models import ClueGrade
    from jidu.orders.models import OrderEvent, Source, Status, WorkOrder
    from jidu.org.models import Area, Department, Field, ProblemType
    from jidu.screening.models import OrderProblem, OrderScreening, ReviewState

    rng = random.Random(seed)
    tz = timezone.get_current_timezone()
    source = Source.objects.get(code="12345")
    areas = list(Area.objects.exclude(kind="city").values_list("pk", flat=True))
    area_cw = list(itertools.accumulate(rng.paretovariate(1.2) for _ in areas))
    depts = list(Department.objects.filter(active=True).values_list("pk", flat=True))
    dept_w = [1 / (i + 1) ** 0.9 for i in range(len(depts))]
    rng.shuffle(dept_w)
    dept_cw = list(itertools.accumulate(dept_w))
    fields = list(Field.objects.values_list("pk", flat=True))
    problems = list(ProblemType.objects.values_list("pk", flat=True))
    types = ["complaint", "report", "consult", "help", "suggestion"]
    type_cw = list(itertools.accumulate([40, 15, 30, 10, 5]))
    days = [end - dt.timedelta(days=i) for i in range(365)]
    day_cw = list(itertools.accumulate((0.75 if d.weekday() >= 5 else 1.0) * (1.3 if d.month in (7, 8, 10) else 1.0)
                                       for d in days))
    sat_cw, res_cw = list(itertools.accumulate([70, 15, 10, 5])), list(itertools.accumulate([75, 15, 10]))
    colour_cw = list(itertools.accumulate([3, 10, 20, 67]))
    now = dt.datetime.combine(end, dt.time(23, 0), tzinfo=tz)
    ins = {m: RawInserter(m) for m in (WorkOrder, OrderScreening, ClueGrade, OrderEvent, OrderProblem)}
    d = ins[WorkOrder].dt
    analyzer = Analyzer(WorkOrder, OrderScreening)
    reopened_label, returned_label = Status.REOPENED.label, Status.RETURN_REQUESTED.label
    started = time.perf_counter()
    made = 0
    while made < n:
        size = min(CHUNK, n - made)
        orders, extra = [], []
        for i in range(made, made + size):
            day = rng.choices(days, cum_weights=day_cw)[0]
            received = dt.datetime.combine(day, dt.time(rng.randint(7, 22), rng.randint(0, 59)), tzinfo=tz)
            age = (now - received).days
            due = received + dt.timedelta(days=rng.choice([3, 5, 7, 10, 15]))
            status = _status(rng, age)
            replied = callback = None
            sat = res = ""
            if status in ("replied", "called_back", "closed", "archived", "reopened") or rng.random() < 0.05:
                replied = min(now, received + dt.timedelta(days=rng.uniform(0.2, 1.1) * (due - received).days))
            if status in ("called_back", "closed", "archived", "reopened") and replied and rng.random() < 0.85:
                callback = replied + dt.timedelta(days=1)
                sat = rng.choices(["satisfied", "basic", "unsatisfied", "none"], cum_weights=sat_cw)[0]
                res = rng.choices(["resolved", "partial", "unresolved"], cum_weights=res_cw)[0]
            text = "；".join(rng.sample(PHRASES, 2))
            r = d(received)
            orders.append({
                "source_id": source.pk, "order_no": f"AN{i:09d}",
                "order_type": rng.choices(types, cum_weights=type_cw)[0], "channel": "phone", "received_at": r,
                "title": text[:20], "content": text, "area_id": rng.choices(areas, cum_weights=area_cw)[0],
                "lead_department_id": rng.choices(depts, cum_weights=dept_cw)[0] if status != "received" else None,
                "status": status, "due_at": d(due), "replied_at": d(replied), "callback_at": d(callback),
                "callback_satisfaction": sat, "callback_resolution": res, "source_version": r, "created_at": r,
                "updated_at": r})
            enforcement = rng.random() < 0.4
            extra.append((enforcement, rng.choice(fields) if enforcement else None, rng.random() < 0.25,
                          status in ("closed", "archived") and rng.random() < 0.03,
                          status not in ("received", "terminated") and rng.random() < 0.04,
                          rng.choices(["red", "orange", "yellow", None], cum_weights=colour_cw)[0]
                          if enforcement else None,
                          rng.sample(problems, rng.randint(1, 2)) if enforcement else [], r))
        with transaction.atomic():
            ins[WorkOrder].insert(orders)
            ids = dict(WorkOrder.objects.filter(source=source, order_no__in=[o["order_no"] for o in orders])
                       .values_list("order_no", "pk"))
            screenings, grades, events = [], [], []
            for o, (enf, fld, tour, reopened, returned, colour, _, r) in zip(orders, extra, strict=True):
                pk = ids[o["order_no"]]
                screenings.append({"order_id": pk, "enforcement": enf, "field_id": fld, "tourism": tour,
                                   "state": ReviewState.APPLIED.value, "screened_at": r})
                if colour:
                    grades.append({"order_id": pk, "colour": colour, "graded_at": r})
                if reopened:
                    events.append({"order_id": pk, "kind": "status", "field": "工单状态", "new_value": reopened_label,
                                   "at": r, "recorded_at": r})
                if returned:
                    events.append({"order_id": pk, "kind": "status", "field": "工单状态", "new_value": returned_label,
                                   "at": r, "recorded_at": r})
            ins[OrderScreening].insert(screenings)
            ins[ClueGrade].insert(grades)
            ins[OrderEvent].insert(events)
            sids = dict(OrderScreening.objects.filter(order_id__in=list(ids.values())).values_list("order_id", "pk"))
            ins[OrderProblem].insert([
                {"screening_id": sids[ids[o["order_no"]]], "problem_id": p, "state": ReviewState.APPLIED.value}
                for o, x in zip(orders, extra, strict=True) for p in x[6]])
        made += size
        analyzer.add(size)
        if made % 100_000 == 0 or made == n:
            print(f"  {made:,} orders ({time.perf_counter() - started:.0f} s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as c:
            c.execute("ANALYZE")
    return time.perf_counter() - started


def _status(rng: random.Random, age: int) -> str:
    if age > 30:
        return rng.choices(["closed", "archived", "terminated", "reopened", "called_back", "in_progress"],
                           [60, 30, 2, 1, 5, 2])[0]
    return rng.choices(["received", "dispatched", "signed", "in_progress", "return_requested", "replied",
                        "called_back", "closed", "reopened", "terminated"],
                       [3, 8, 8, 25, 3, 15, 10, 25, 2, 1])[0]


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


def _pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--end", default="2026-11-26", help="last day of the 12 months (default 2026-11-26)")
    parser.add_argument("--reuse", action="store_true", help="keep the orders already in the database")
    parser.add_argument("--requests", type=int, default=50)
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
    if args.reuse and existing:
        print(f"reusing {existing:,} orders")
    else:
        print(f"building {args.orders:,} orders …")
        secs = build(args.orders, end)
        print(f"built {args.orders:,} orders in {secs:.0f} s ({args.orders / secs:,.0f} orders/s)")
    total = WorkOrder.objects.count()

    t = time.perf_counter()
    summary = ms.refresh(full=True, now=timezone.now())
    rebuild = time.perf_counter() - t
    from jidu.measures.models import DailyCount

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
            print(f"warning detectors over the day's orders: {time.perf_counter() - t:.1f} s ({result})")
        except Exception as exc:  # noqa: BLE001
            print(f"warning detectors failed after {time.perf_counter() - t:.1f} s: {exc!r}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
