"""Intake throughput and memory. Prints figures; records nothing by itself (copy them to
docs/BENCHMARKS.md with the date and machine).

    .venv/bin/python benchmarks/intake.py                      # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jidu_bench .venv/bin/python benchmarks/intake.py
    .venv/bin/python benchmarks/intake.py --rows 1000000       # the 1M-row memory figure
    .venv/bin/python benchmarks/intake.py --intake-only        # intake alone
    .venv/bin/python benchmarks/intake.py --demo-rows --rows 20000   # realistic rows, whole pipeline
    .venv/bin/python benchmarks/intake.py --demo-rows --rows 5000 --stages --repeat 3   # three stage figures

Each figure starts from an empty orders table (reference data loaded). By default the whole
pipeline runs after each chunk, as in production (screening with the shipped model, grading,
dispute opening); `--intake-only` mutes it to measure intake alone.

`--stages` imports the same CSV three times, each in a fresh process from an empty orders table,
and prints three figures (then stops):
- intake alone (every receiver of `orders_ingested` muted);
- intake + screening, the issue's figure: screening = entities + model + rules + stored results;
  grading (the `orders_screened` receiver), dispute opening and directive proposals muted;
- the whole pipeline: intake + screening + grading + dispute opening + directive proposals.
Muting is done here, by disconnecting signal receivers in the benchmark's own process: no setting
of the application exists for it. The screening model is loaded before the clock starts (a worker
loads it once); its load time is printed on its own.

Otherwise measured:
- CSV import (GBK file through the full path: read, map headers, clean, upsert, timeline, issues);
- .xlsx import (same path);
- API batches of 1,000 (Django test client in-process: JSON parsing, auth, validation, upsert);
- peak resident memory of a separate process importing the CSV;
- the same database's raw `executemany` insert rate for the same rows, for comparison.
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADER = ["工单编号", "受理时间", "工单类型", "来源渠道", "来电人", "联系电话", "标题", "诉求内容", "事发地址",
          "所属区域", "承办单位", "工单状态"]
AREAS = ["普陀区", "定海区", "岱山县", "嵊泗县", "朱家尖街道", "沈家门街道"]
DEPTS = ["舟山市市场监督管理局", "舟山市文化和广电旅游体育局", "舟山市综合行政执法局", "舟山市交通运输局"]
PHRASES = ["海鲜排档结账时发现短斤少两", "民宿因停航拒绝退还房费", "码头有人拉客强行推销一日游", "夜间施工噪声扰民",
           "出租车拒载并要求不打表", "小区旁违章搭建彩钢棚", "景区停车场乱收费", "咨询公积金提取政策"]


def make_rows(n: int, seed: int = 7):
    rng = random.Random(seed)
    for i in range(n):
        text = "；".join(rng.choice(PHRASES) for _ in range(6))
        text = (text * 2)[:200]
        yield [f"BN{i:09d}", f"2026-{rng.randint(9, 10):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:"
               f"{rng.randint(0, 59):02d}:00", rng.choice(["投诉", "举报", "咨询", "求助"]), "电话",
               rng.choice("张王李赵陈周吴") + "先生", f"13{rng.randint(100000000, 999999999)}", text[:20], text,
               "普陀区某某路" + str(rng.randint(1, 999)) + "号", rng.choice(AREAS), rng.choice(DEPTS), "已派单"]


def write_csv(path: Path, n: int) -> None:
    with path.open("w", encoding="gbk", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(make_rows(n))


def write_demo_csv(path: Path, n: int) -> int:
    """Realistic rows: the first version of each order of the demo generator's Zhoushan stream
    (varied texts, places, businesses, clusters), with the canonical field names as headers."""
    import datetime as dt

    from jidu.demo.generator import RECORD_KEYS, generate_stream

    seen: set[str] = set()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(RECORD_KEYS)
        for record in generate_stream(end=dt.date(2026, 11, 26), days=90, target_orders=n):
            if record["order_no"] in seen:
                continue
            seen.add(record["order_no"])
            writer.writerow([record[k] or "" for k in RECORD_KEYS])
            if len(seen) >= n:
                break
    return len(seen)


def write_xlsx(path: Path, n: int) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("工单")
    ws.append(HEADER)
    for row in make_rows(n, seed=8):
        ws.append(row)
    wb.save(path)


def setup_django(workdir: Path) -> str:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["JIDU_DATA_DIR"] = str(workdir)
    os.environ["JIDU_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jidu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))
    if os.environ.get("JIDU_BENCH_INTAKE_ONLY"):
        os.environ["JIDU_BENCH_STAGE"] = "intake"
    mute_for_stage(os.environ.get("JIDU_BENCH_STAGE", "all"))
    return os.environ["DATABASE_URL"].split(":")[0]


# What runs after each committed chunk, per measured stage: the dispatch_uids of the receivers kept
# (None: all of them). Measurement only — the application has no such switch.
STAGES = {
    "intake": {"orders_ingested": set(), "orders_screened": set()},
    "screening": {"orders_ingested": {"screening.on_orders_ingested"}, "orders_screened": set()},
    "all": {"orders_ingested": None, "orders_screened": None},
}
STAGE_LABELS = {
    "intake": "intake alone",
    "screening": "intake + screening (entities, model, rules, stored results; grading and disputes muted)",
    "all": "whole pipeline (intake + screening + grading + disputes + directive proposals)",
}


def mute_for_stage(stage: str) -> None:
    from jidu.intake.signals import orders_ingested
    from jidu.screening.signals import orders_screened

    for name, signal in (("orders_ingested", orders_ingested), ("orders_screened", orders_screened)):
        keep = STAGES[stage][name]
        if keep is None:
            continue
        # Each entry is ((dispatch_uid or receiver id, sender id), receiver, is_async).
        signal.receivers = [entry for entry in signal.receivers if entry[0][0] in keep]
        signal.sender_receivers_cache.clear()


def reset_orders() -> None:
    """Empty the orders and everything that hangs off them (screenings, grades, disputes, …),
    keeping the reference data: TRUNCATE … CASCADE on PostgreSQL, DELETE on SQLite."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    from jidu.intake.models import ImportBatch, ImportIssue
    from jidu.orders.models import WorkOrder

    doomed = {WorkOrder, ImportBatch, ImportIssue}
    grew = True
    while grew:  # every model that points (directly or through another) at an order
        grew = False
        for model in apps.get_models():
            if model in doomed:
                continue
            if any(f.is_relation and f.many_to_one and f.related_model in doomed
                   for f in model._meta.get_fields() if getattr(f, "concrete", False)):
                doomed.add(model)
                grew = True
    tables = [m._meta.db_table for m in doomed]
    for m in list(doomed):  # many-to-many link tables of those models
        tables += [f.remote_field.through._meta.db_table for f in m._meta.local_many_to_many]
    statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    with connection.constraint_checks_disabled(), connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql)


def import_file(path: Path) -> tuple[float, object]:
    from jidu.intake.importing import run_import
    from jidu.intake.models import ImportBatch
    from jidu.orders.models import Source

    batch = ImportBatch.objects.create(source=Source.objects.get(code="12345"), kind="file", filename=path.name)
    started = time.perf_counter()
    batch = run_import(batch, path)
    return time.perf_counter() - started, batch


def bench_api(n: int) -> float:
    from django.test import Client

    from jidu.intake.models import ApiToken
    from jidu.orders.models import Source

    raw = ApiToken.issue(name="bench", source=Source.objects.get(code="12345"), scopes=["orders:write"])[1]
    keys = ["order_no", "received_at", "order_type", "channel", "caller_name", "caller_phone", "title", "content",
            "address", "area", "lead_department", "status"]
    rows = [dict(zip(keys, r)) for r in make_rows(n, seed=9)]
    bodies = [json.dumps({"orders": rows[i:i + 1000]}, ensure_ascii=False) for i in range(0, n, 1000)]
    client = Client()
    started = time.perf_counter()
    for body in bodies:
        res = client.post("/api/v1/orders/batch", body, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert res.status_code == 200, res.content[:300]
    return time.perf_counter() - started


def bench_executemany(n: int) -> float:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_raw")
        cur.execute("CREATE TABLE bench_raw (order_no varchar(64) primary key, received_at varchar(30), "
                    "order_type varchar(10), channel varchar(10), caller_name text, caller_phone text, "
                    "title varchar(300), content text, address varchar(300), area varchar(100), "
                    "dept varchar(100), status varchar(20))")
        rows = list(make_rows(n))
        started = time.perf_counter()
        for i in range(0, n, 1000):
            cur.executemany("INSERT INTO bench_raw VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", rows[i:i + 1000])
        connection.commit() if not connection.get_autocommit() else None
        elapsed = time.perf_counter() - started
        cur.execute("DROP TABLE bench_raw")
    return elapsed


def child_import(path: str) -> None:
    """Run in a separate process: import one file, print elapsed seconds and peak RSS (MB)."""
    setup_django(Path(os.environ["JIDU_DATA_DIR"]))
    reset_orders()
    load = None
    if os.environ.get("JIDU_BENCH_WARM") and os.environ.get("JIDU_BENCH_STAGE", "all") != "intake":
        from jidu.screening import engine

        started = time.perf_counter()
        engine.get_screener()
        load = time.perf_counter() - started
    elapsed, batch = import_file(Path(path))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"elapsed": elapsed, "rows": batch.rows_total, "created": batch.created,
                      "errors": batch.errors, "peak_mb": peak_mb, "model_load": load}))


def run_child(csv_path: Path, workdir: Path, **env) -> dict:
    env = {**os.environ, "JIDU_DATA_DIR": str(workdir), **env}
    out = subprocess.run([sys.executable, __file__, "--child", str(csv_path)], env=env, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return json.loads(out)


def bench_stages(csv_path: Path, workdir: Path, rows: int, kind: str, repeat: int = 1) -> None:
    """The same CSV through intake alone, intake + screening, and the whole pipeline. With
    `repeat` > 1 the three stages run in turn that many times and the fastest run of each counts
    (on a shared machine the slower ones measure the neighbours); every run is listed."""
    size_mb = csv_path.stat().st_size / 1e6
    print(f"CSV ({kind}, {rows:,} rows, {size_mb:.1f} MB), each stage in a fresh process from empty tables:")
    runs: dict[str, list[dict]] = {stage: [] for stage in STAGES}
    for _ in range(max(1, repeat)):
        for stage in ("intake", "screening", "all"):
            runs[stage].append(run_child(csv_path, workdir, JIDU_BENCH_STAGE=stage, JIDU_BENCH_WARM="1"))
    for stage in ("intake", "screening", "all"):
        child = min(runs[stage], key=lambda c: c["elapsed"])
        load = f"; model loaded beforehand in {child['model_load']:.1f} s" if child["model_load"] is not None else ""
        every = ""
        if len(runs[stage]) > 1:
            every = "; runs: " + ", ".join(f"{c['created'] / c['elapsed']:,.0f}" for c in runs[stage])
        print(f"  {STAGE_LABELS[stage]}: {child['created'] / child['elapsed']:,.0f} orders/s "
              f"({child['elapsed']:.1f} s, errors {child['errors']}, peak RSS {child['peak_mb']:.0f} MB{load}{every})",
              flush=True)


def reference_loop_seconds() -> float:
    """A fixed pure-Python workload (best of 3): how fast this machine runs Python right now.
    The project's machines have run the same code 1.5-2.5 times slower on some days than on
    others; printing this beside the figures lets runs on different days be compared."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i * i % 7
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000, help="rows for the CSV and memory figures")
    parser.add_argument("--xlsx-rows", type=int, default=20_000)
    parser.add_argument("--api-rows", type=int, default=20_000)
    parser.add_argument("--intake-only", action="store_true",
                        help="measure intake alone (default: the whole pipeline — screening, grading, "
                             "disputes — runs after each chunk as in production)")
    parser.add_argument("--demo-rows", action="store_true",
                        help="CSV rows from the demo generator's realistic stream instead of the fixed phrases")
    parser.add_argument("--stages", action="store_true",
                        help="import the same CSV three times: intake alone, intake + screening, the whole "
                             "pipeline; print the three figures and stop")
    parser.add_argument("--repeat", type=int, default=1,
                        help="with --stages: run the three stages this many times, report the fastest of each")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.intake_only:
        os.environ["JIDU_BENCH_INTAKE_ONLY"] = "1"
    if args.child:
        child_import(args.child)
        return

    workdir = Path(tempfile.mkdtemp(prefix="jidu-bench-"))
    engine = setup_django(workdir)
    if args.stages:
        stages = "three stages"
    else:
        stages = "intake only" if args.intake_only else "intake + screening + grading + disputes"
    print(f"database: {engine}; {stages}; machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"reference loop {reference_loop_seconds():.3f} s")

    csv_path = workdir / "orders.csv"
    if args.demo_rows:
        args.rows = write_demo_csv(csv_path, args.rows)
    else:
        write_csv(csv_path, args.rows)
    size_mb = csv_path.stat().st_size / 1e6
    kind = "UTF-8, demo stream" if args.demo_rows else "GBK"
    if args.stages:
        bench_stages(csv_path, workdir, args.rows, kind, args.repeat)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
              f"reference loop {reference_loop_seconds():.3f} s")
        return
    child = run_child(csv_path, workdir)
    print(f"CSV import ({kind}, {args.rows:,} rows, {size_mb:.0f} MB): {child['created'] / child['elapsed']:,.0f} "
          f"orders/s ({child['elapsed']:.1f} s, errors {child['errors']}); peak RSS {child['peak_mb']:.0f} MB")

    reset_orders()
    xlsx_path = workdir / "orders.xlsx"
    write_xlsx(xlsx_path, args.xlsx_rows)
    elapsed, batch = import_file(xlsx_path)
    print(f".xlsx import ({args.xlsx_rows:,} rows): {batch.created / elapsed:,.0f} orders/s ({elapsed:.1f} s)")

    reset_orders()
    elapsed = bench_api(args.api_rows)
    print(f"API batches of 1,000 ({args.api_rows:,} orders): {args.api_rows / elapsed:,.0f} orders/s "
          f"({elapsed:.1f} s)")

    elapsed = bench_executemany(args.rows)
    print(f"raw executemany insert of the same {args.rows:,} rows: {args.rows / elapsed:,.0f} rows/s "
          f"({elapsed:.1f} s)")


if __name__ == "__main__":
    main()
