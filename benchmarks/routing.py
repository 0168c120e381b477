"""Routing advice latency (issue 4). Prints figures; records nothing by itself (copy them to
docs/BENCHMARKS.md with the date and machine).

    .venv/bin/python benchmarks/routing.py                    # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jidu_bench_routing .venv/bin/python benchmarks/routing.py

Builds a temporary database (the PostgreSQL database named in DATABASE_URL is dropped and
re-created) with the reference data, the Zhoushan starter catalogue plus synthetic list entries up
to 10,000, and 50,000 synthetic precedents; then times
  - the one-off index build (keyword index + character-bigram TF-IDF of the precedents), and
  - 200 advice calls for 200 orders (services.advice.advise_order, in-process), and
  - 200 calls of GET /api/v1/orders/{id}/advice (Django test client: auth, scope, order fetch, JSON),
and prints p50/p95 in milliseconds. Target: advice p95 < 50 ms.

The accuracy figure of the routing model (top-1/top-3 vs a keyword baseline) is printed by
`accuracy_figures()` below: the routing_ml package plugs in there.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHARS = ("海鲜排档民宿酒店停航船票码头黄牛揽客价格欺诈短斤少两噪音施工违建工地夜间油烟烧烤垃圾渣土出租车拒载绕路"
         "黑车营运旅游导游购物退款押金预付卡食品变质过期无照经营消防通道充电工资拖欠物业宅基地车库改建渔船捕捞"
         "学校培训犬只养殖污水废气工厂车间广告宣传门票景区停车收费公安交通市场监管文旅住建规划环境卫生应急民政")
PHRASES = ["海鲜排档结账时发现短斤少两", "民宿因停航拒绝退还房费", "码头有人拉客强行推销一日游", "夜间施工噪声扰民",
           "出租车拒载并要求不打表", "小区旁违章搭建彩钢棚", "景区停车场乱收费", "网约房不登记身份证",
           "工厂车间噪音很大", "餐馆油烟扰民", "拖欠工资三个月", "电竞酒店网速很慢", "渔船非法载客出海",
           "消防通道被堵塞", "培训机构不退费", "旅行团因台风取消不退团费", "食品过期变质", "酒吧KTV半夜唱歌"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def setup(workdir: Path) -> str:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        import psycopg

        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["JIDU_DATA_DIR"] = str(workdir)
    os.environ["JIDU_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jidu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))
    return url.split(":")[0]


def word(rng) -> str:
    return "".join(rng.choice(CHARS) for _ in range(rng.randint(2, 4)))


def build_data(n_entries: int, n_precedents: int, n_orders: int, seed: int = 11):
    from jidu.jurisdiction.models import ListEntry, Precedent
    from jidu.orders.models import Source, WorkOrder
    from jidu.org.models import Area, Department

    rng = random.Random(seed)
    depts = list(Department.objects.filter(level__in=["city", "district"]).values_list("pk", flat=True))
    have = ListEntry.objects.count()
    started = time.perf_counter()
    entries = [ListEntry(code=f"BN-{i:06d}", list_type=rng.choice(["catalogue", "high_frequency", "tasks", "hard",
                                                                   "boundary"]),
                         matter="合成事项" + word(rng), keywords=[word(rng) for _ in range(rng.randint(2, 6))],
                         lead_department_id=rng.choice(depts), basis_law="合成法规", basis_article="第一条",
                         search_text="")
               for i in range(n_entries - have)]
    ListEntry.objects.bulk_create(entries, batch_size=2000)
    co = [ListEntry.co_departments.through(listentry_id=e.pk, department_id=rng.choice(depts))
          for e in ListEntry.objects.filter(code__startswith="BN-").only("pk")[: (n_entries - have) // 3]]
    ListEntry.co_departments.through.objects.bulk_create(co, batch_size=5000)
    precedents = [Precedent(matter=rng.choice(PHRASES)[:10] + word(rng), keywords=[word(rng), word(rng)],
                            text="；".join(rng.choice(PHRASES) for _ in range(3)) + word(rng) + word(rng),
                            lead_department_id=rng.choice(depts), citation="合成裁定")
                  for _ in range(n_precedents)]
    Precedent.objects.bulk_create(precedents, batch_size=2000)
    source = Source.objects.get(code="12345")
    areas = list(Area.objects.values_list("pk", flat=True))
    from django.utils import timezone

    now = timezone.now()
    orders = []
    for i in range(n_orders):
        text = "；".join(rng.choice(PHRASES) for _ in range(4)) + "。" + "".join(word(rng) for _ in range(20))
        orders.append(WorkOrder(source=source, order_no=f"RB{i:06d}", received_at=now, source_version=now,
                                title=text[:20], content=text[:200], area_id=rng.choice(areas), status="received"))
    WorkOrder.objects.bulk_create(orders, batch_size=500)
    log(f"data: {ListEntry.objects.count()} list entries, {Precedent.objects.count()} precedents, "
        f"{n_orders} orders ({time.perf_counter() - started:.1f}s)")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def accuracy_figures():
    """Hook for the routing model's accuracy (top-1/top-3 vs keyword baseline), printed by the same
    script. The routing_ml package provides `jidu.jurisdiction.routing_ml.benchmark.accuracy()`
    returning a dict of printable figures; until it exists this prints nothing."""
    try:
        from jidu.jurisdiction.routing_ml.benchmark import accuracy  # type: ignore[import-not-found]
    except ImportError:
        log("accuracy: routing_ml.benchmark.accuracy() not available (the routing model adds it)")
        return None
    figures = accuracy()
    for key, value in (figures or {}).items():
        print(f"accuracy {key}: {value}")
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--precedents", type=int, default=50_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        vendor = setup(Path(tmp))
        build_data(args.entries, args.precedents, args.calls)
        from django.test import Client

        from jidu.jurisdiction.services import advice
        from jidu.orders.models import WorkOrder
        from jidu.org.models import User

        advice.invalidate()
        started = time.perf_counter()
        index = advice.get_index()
        build = time.perf_counter() - started
        orders = list(WorkOrder.objects.filter(order_no__startswith="RB").order_by("pk")[: args.calls])
        advice.advise_order(orders[0])  # warm-up (model load, first transform)
        times, n_reasons = [], 0
        for order in orders:
            t0 = time.perf_counter()
            result = advice.advise_order(order)
            times.append((time.perf_counter() - t0) * 1000)
            n_reasons += sum(len(d["reasons"]) for d in result["departments"])
        user = User.objects.create_user("bench", password="x" * 12, role="dispatcher")
        client = Client()
        client.force_login(user)
        api_times = []
        for order in orders:
            t0 = time.perf_counter()
            res = client.get(f"/api/v1/orders/{order.pk}/advice")
            api_times.append((time.perf_counter() - t0) * 1000)
            assert res.status_code == 200, res.content[:200]
        print(f"database: {vendor}")
        print(f"data: {len(index.entries)} list entries, {len(index.precedents)} precedents")
        print(f"index build: {build:.2f} s (once per process; rebuilt after a list entry or precedent changes)")
        print(f"advice ({len(times)} calls, in-process): p50 {statistics.median(times):.1f} ms, "
              f"p95 {pct(times, 95):.1f} ms, max {max(times):.1f} ms; {n_reasons / len(times):.1f} reasons/call")
        print(f"API GET /orders/{{id}}/advice ({len(api_times)} calls): p50 {statistics.median(api_times):.1f} ms, "
              f"p95 {pct(api_times, 95):.1f} ms")
        print("target p95 < 50 ms:", "met" if pct(times, 95) < 50 else "NOT met")
        if not args.skip_accuracy:
            accuracy_figures()


# ---- routing_ml accuracy (routing model section, maintained with jidu/jurisdiction/routing_ml) ----
# `--accuracy-only` prints the accuracy figures (top-1/top-3 of RoutingModel vs KeywordBaseline on
# the documented test split, see docs/ROUTING_MODEL.md) without building the latency database:
#     .venv/bin/python benchmarks/routing.py --accuracy-only
if __name__ == "__main__" and "--accuracy-only" in sys.argv:
    _figures = accuracy_figures()
    sys.exit(0 if _figures and "skipped" not in _figures else 1)
# ---- end of routing_ml accuracy section ----


if __name__ == "__main__":
    main()
