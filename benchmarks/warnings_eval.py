"""Early-warning detectors on the demo generator's stream: detection delay, precision and recall
per detector, and the detectors' time. Prints figures; copy them to docs/BENCHMARKS.md.

    .venv/bin/python benchmarks/warnings_eval.py                      # 20,000 orders / 90 days, SQLite in /tmp
    .venv/bin/python benchmarks/warnings_eval.py --orders 8000 --step 12
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jidu_warnings_bench .venv/bin/python benchmarks/warnings_eval.py

The background is `jidu.demo.generator` (weekdays, holidays, 国庆/中秋, peak season, typhoon and
gale, ferry-consultation surges) with its planted events: the ferry suspension's refund burst
(truth: the event's ``order_nos``) and the complaint clusters against one business. On top, the
benchmark injects ``--bursts`` extra bursts at random times in random dimensions (a problem type
in one area, a whole area, or one business), of sizes drawn from ``--sizes``, spread over 12–36 h.
Orders are written with the screening the generator planned (`jidu.warnings.replay`), so this
measures the detectors, not the screening model. The detectors run every ``--step`` hours from
two weeks after the first day to the end (the first two weeks are history only).

A warning *matches* an event when at least 3 of its orders, and at least 30 % of them, belong to
the event. Precision of a detector = its warnings that match some event (planted, injected, or
the generator's documented ferry-consultation surge and typhoon help-order surge) ÷ its warnings;
recall = events of the kind it is meant for (bursts → spike; clusters and business bursts →
cluster) matched by at least one of its warnings ÷ those events. Delay = first time an event's
order was linked to a matching warning − the event's first order.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'jidu_warnings_bench.sqlite3'}")
    os.environ.setdefault("JIDU_DATA_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jidu.settings")
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite"):
        path = Path(url.split("sqlite:///", 1)[1])
        for p in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
            p.unlink(missing_ok=True)
    else:
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))


def inject(rng: random.Random, truth: dict, records: dict, start: dt.date, end: dt.date, n: int, sizes: list[int]):
    """Extra bursts: copies of existing complaints' texts, concentrated in one dimension."""
    from jidu.demo.generator import make_uscc

    complaints = [no for no, t in truth.items() if t["enforcement"] and t["problems"]]
    towns = sorted({t["area"] for t in truth.values() if t["area"]})
    events, extra = [], []
    span_days = (end - start).days
    for i in range(n):
        kind = ["problem_area", "area", "business"][i % 3]
        size = sizes[i % len(sizes)]
        t0 = dt.datetime.combine(start + dt.timedelta(days=rng.randrange(span_days)), dt.time(rng.randrange(7, 18)))
        hours = rng.uniform(12, 36)
        seed_no = rng.choice(complaints)
        base = truth[seed_no]
        area = rng.choice(towns) if kind != "problem_area" else base["area"]
        biz_name = f"测试{i}号{rng.choice(['海鲜大排档', '渔家民宿', '旅游商店'])}"
        uscc = make_uscc(rng, "330903")
        nos = []
        for j in range(size):
            no = f"INJ{i:02d}{j:04d}"
            if kind == "business":
                src = truth[rng.choice([x for x in complaints if truth[x]["problems"] == base["problems"]] or [seed_no])]
            else:
                src = truth[rng.choice(complaints)] if kind == "area" else base
            rec = records[seed_no] if kind != "area" else records.get(rng.choice(complaints))
            received = t0 + dt.timedelta(hours=hours * j / size)
            content = rec["content"] if kind != "business" else f"{biz_name}{rec['content']}"
            extra.append({"order_no": no, "received_at": received.strftime("%Y-%m-%d %H:%M:%S"),
                          "title": rec["title"], "content": content, "area": area,
                          "lead_department": rec["lead_department"], "field": src["field"],
                          "problems": src["problems"], "business": biz_name if kind == "business" else None,
                          "uscc": uscc if kind == "business" else None, "order_type": "投诉", "tourism": src["tourism"],
                          "enforcement": True})
            nos.append(no)
        events.append({"id": f"INJ-{i:02d}-{kind}-{size}", "kind": "burst" if kind != "business" else "business_burst",
                       "order_nos": nos, "start": t0.strftime("%Y-%m-%d %H:%M:%S"), "size": size})
    return events, extra


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=20000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--end", default="2026-11-26")
    parser.add_argument("--step", type=float, default=6.0, help="hours between detector runs")
    parser.add_argument("--bursts", type=int, default=15)
    parser.add_argument("--sizes", default="5,8,12,20,40")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="jidu_warn_"))
    setup_django(workdir)
    from django.utils import timezone

    from jidu.demo import generator as gen
    from jidu.warnings.models import Warning, WarningOrder
    from jidu.warnings.replay import load_generated, replay

    end = dt.date.fromisoformat(args.end)
    kwargs = dict(end=end, days=args.days, target_orders=args.orders)
    t = time.perf_counter()
    truth = gen.order_truth(**kwargs)
    records = {}
    for rec in gen.generate_stream(**kwargs):
        records.setdefault(rec["order_no"], rec)
    planted = gen.demo_events(**kwargs)
    first_day = end - dt.timedelta(days=args.days - 1)
    history_end = first_day + dt.timedelta(days=14)
    rng = random.Random(args.seed)
    injected, extra = inject(rng, truth, records, history_end + dt.timedelta(days=1), end,
                             args.bursts, [int(x) for x in args.sizes.split(",")])
    ids = load_generated(extra=extra, **kwargs)
    print(f"stream: {len(ids)} orders ({len(extra)} injected) loaded in {time.perf_counter() - t:.1f} s; "
          f"database {os.environ['DATABASE_URL'].split(':', 1)[0]}")

    # events with ground truth
    events = []
    for e in planted:
        if e["kind"] == "ferry_suspension":
            events.append({"id": e["id"], "kind": "burst", "order_nos": e["order_nos"], "size": len(e["order_nos"]),
                           "target": True})
            # the generator also raises ferry consultations 5× while boats are stopped (documented)
            days = {(dt.date.fromisoformat(e["start"]) + dt.timedelta(days=i)).isoformat() for i in range(e["days"])}
            cons = [no for no, t in truth.items() if t["theme"] == "consult_ferry" and t["received_at"][:10] in days]
            events.append({"id": e["id"] + "-consult", "kind": "side", "order_nos": cons, "size": len(cons),
                           "target": False})
            if e["cause"] == "台风":
                helps = [no for no, t in truth.items() if t["theme"] in ("help_utility", "help_road", "help_sanitation")
                         and t["received_at"][:10] in days]
                events.append({"id": e["id"] + "-typhoon-help", "kind": "side", "order_nos": helps, "size": len(helps),
                               "target": False})
        else:
            events.append({"id": e["id"], "kind": "cluster", "order_nos": e["order_nos"], "size": len(e["order_nos"]),
                           "target": True})
    for e in injected:
        events.append({**e, "target": True})
    for e in events:
        e["ids"] = {ids[no] for no in e["order_nos"] if no in ids}
        e["t0"] = min((timezone.make_aware(dt.datetime.fromisoformat(truth[no]["received_at"])) if no in truth
                       else timezone.make_aware(dt.datetime.fromisoformat(next(x["received_at"] for x in extra
                                                                                 if x["order_no"] == no))))
                      for no in e["order_nos"]) if e["order_nos"] else None

    # replay
    timings: dict = {}
    start = timezone.make_aware(dt.datetime.combine(history_end, dt.time(6)))
    stop = timezone.make_aware(dt.datetime.combine(end, dt.time(23, 59)))
    runs = 0
    t = time.perf_counter()
    for _now, _ws in replay(start, stop, args.step, timings=timings):
        runs += 1
    replay_s = time.perf_counter() - t

    # match warnings to events
    links = defaultdict(dict)  # warning → {order_id: added_at}
    for wid, oid, added in WarningOrder.objects.values_list("warning_id", "order_id", "added_at"):
        links[wid][oid] = added
    warnings = list(Warning.objects.all())
    by_kind = defaultdict(list)
    for w in warnings:
        by_kind[w.kind].append(w)
    matched_w: dict[int, list] = {}
    for w in warnings:
        orders = set(links[w.pk])
        hits = []
        for e in events:
            overlap = orders & e["ids"]
            if len(overlap) >= 3 and len(overlap) >= 0.3 * len(orders):
                first_link = min(links[w.pk][o] for o in overlap)
                hits.append((e["id"], first_link))
        matched_w[w.pk] = hits
    print(f"\nreplay: {runs} runs every {args.step:g} h from {start:%Y-%m-%d} to {end}, {replay_s:.1f} s "
          f"({replay_s / max(runs, 1) * 1000:.0f} ms per run)")
    print("time per run by detector (mean ms): "
          + ", ".join(f"{k} {v / max(runs, 1) * 1000:.0f}" for k, v in timings.items()))

    intended = {"spike": {"burst"}, "cluster": {"cluster", "business_burst"}}
    for kind in ("spike", "cluster", "repeat_offender", "deadline_risk"):
        ws = by_kind.get(kind, [])
        good = [w for w in ws if matched_w[w.pk]]
        line = f"\n{kind}: {len(ws)} warnings"
        if ws:
            line += f", precision {len(good) / len(ws):.2f} ({len(good)} match an event)"
        print(line)
        if kind not in intended:
            continue
        targets = [e for e in events if e["target"] and (e["kind"] in intended[kind]
                                                         or (kind == "spike" and e["kind"] == "business_burst"))]
        delays, found = [], 0
        for e in targets:
            times = [tm for w in ws for eid, tm in matched_w[w.pk] if eid == e["id"]]
            if times:
                found += 1
                delays.append((min(times) - e["t0"]).total_seconds() / 3600)
            status = f"detected after {delays[-1]:.1f} h" if times else "missed"
            print(f"  {e['id']:<28} size {e['size']:>3}: {status}")
        if targets:
            print(f"  recall {found / len(targets):.2f} ({found}/{len(targets)})"
                  + (f"; delay median {statistics.median(delays):.1f} h, max {max(delays):.1f} h" if delays else ""))
        unmatched = [w for w in ws if not matched_w[w.pk]]
        for w in unmatched[:8]:
            print(f"  unmatched: {w.title}")
        if len(unmatched) > 8:
            print(f"  … {len(unmatched) - 8} more unmatched")

    # one day's new orders: a run at the end
    t_one = {}
    t = time.perf_counter()
    from jidu.warnings.services import run_detectors

    run_detectors(stop + dt.timedelta(minutes=1), notify=False, timings=t_one)
    day_orders = sum(1 for x in truth.values() if x["received_at"][:10] == end.isoformat())
    print(f"\none run over the last day ({day_orders} new orders, {len(ids)} in the database): "
          f"{(time.perf_counter() - t) * 1000:.0f} ms — " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in t_one.items()))


if __name__ == "__main__":
    main()
