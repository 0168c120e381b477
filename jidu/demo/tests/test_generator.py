"""Tests of the synthetic hotline stream (pure Python: runnable with ``-p no:django``)."""
from __future__ import annotations

import collections
import csv
import datetime as dt
import os
import random
import re
import statistics
import string
from pathlib import Path

import pytest
from stdnum.cn import ric, uscc

from jidu.demo import generator as gen

END = gen.DEFAULT_END
START = END - dt.timedelta(days=89)
REPO = Path(__file__).resolve().parents[3]

ORDER_TYPES = {"咨询", "求助", "投诉", "举报", "建议", "表扬"}
CHANNELS = {"电话", "网站", "微信", "APP", "短信", "信件"}
STATUSES = {"受理", "已派单", "已签收", "办理中", "退单申请", "已改派", "延期申请", "已延期", "已回复", "已回访", "办结",
            "重办", "终止办理"}
RESOLUTIONS = {"解决", "部分解决", "未解决"}
SATISFACTIONS = {"满意", "基本满意", "不满意", "未评价"}
REFUND = "退订退款纠纷"


@pytest.fixture(autouse=True)
def _isolated_settings():
    """The project conftest's autouse fixture of this name needs pytest-django; these tests are
    pure Python and override it with a no-op."""
    yield


@pytest.fixture(scope="module")
def stream():
    return list(gen.generate_stream())


@pytest.fixture(scope="module")
def latest(stream):
    out = {}
    for r in stream:
        out[r["order_no"]] = r
    return out


@pytest.fixture(scope="module")
def by_order(stream):
    out = collections.defaultdict(list)
    for r in stream:
        out[r["order_no"]].append(r)
    return out


@pytest.fixture(scope="module")
def truth():
    return gen.order_truth()


@pytest.fixture(scope="module")
def events():
    return gen.demo_events()


@pytest.fixture(scope="module")
def reference():
    return gen.load_reference()


def _dates():
    d = START
    while d <= END:
        yield d
        d += dt.timedelta(days=1)


# ------------------------------------------------------------------------------- volume and shape

def test_at_least_20000_distinct_orders(latest, truth):
    assert len(latest) >= 20000
    assert set(latest) == set(truth)


def test_records_have_exactly_the_canonical_keys_and_string_values(stream):
    for r in stream:
        assert tuple(r) == gen.RECORD_KEYS
        assert all(v is None or isinstance(v, str) for v in r.values())
        assert r["source"] == "12345"
        assert r["due_at"] is None
        assert r["order_type"] in ORDER_TYPES
        assert r["channel"] in CHANNELS
        assert r["status"] in STATUSES
        assert r["callback_resolution"] in RESOLUTIONS | {None}
        assert r["callback_satisfaction"] in SATISFACTIONS | {None}


def test_order_numbers_and_received_times(latest):
    pattern = re.compile(r"ZS(\d{8})\d{5}")
    for no, r in latest.items():
        m = pattern.fullmatch(no)
        assert m, no
        received = dt.datetime.strptime(r["received_at"], "%Y-%m-%d %H:%M:%S")
        assert m.group(1) == received.strftime("%Y%m%d")
        assert START <= received.date() <= END


def test_versions_sorted_by_updated_at_and_monotonic_per_order(stream, by_order):
    keys = [r["updated_at"] for r in stream]
    assert keys == sorted(keys)
    cutoff = (END + dt.timedelta(days=1)).isoformat()
    for no, versions in by_order.items():
        times = [v["updated_at"] for v in versions]
        assert all(a < b for a, b in zip(times, times[1:])), no
        assert times[0] >= versions[0]["received_at"]
        assert times[-1] < cutoff
        for v in versions:
            # invariant fields stay; timestamps never lie in the future of the version
            assert v["received_at"] == versions[0]["received_at"]
            assert v["content"] == versions[0]["content"]
            for key in ("replied_at", "callback_at"):
                assert v[key] is None or v[key] <= v["updated_at"]
    assert sum(len(v) > 1 for v in by_order.values()) > 0.95 * len(by_order)


def test_lifecycle_statuses_and_rates(latest, by_order):
    n = len(latest)
    returned = [no for no, vs in by_order.items() if any(v["status"] == "退单申请" for v in vs)]
    assert 0.03 <= len(returned) / n <= 0.06
    for no in returned:
        vs = by_order[no]
        i = next(k for k, v in enumerate(vs) if v["status"] == "退单申请")
        assert vs[i]["return_reason"] and re.search(r"[\u4e00-\u9fff]", vs[i]["return_reason"])
        redispatch = [v for v in vs[i:] if v["status"] == "已改派"]
        if redispatch:
            assert redispatch[0]["lead_department"] != vs[i]["lead_department"]
    final = collections.Counter(r["status"] for r in latest.values())
    assert final["办结"] > 0.8 * n
    assert final["终止办理"] > 0
    assert any(v["status"] == "重办" for vs in by_order.values() for v in vs)
    assert any(v["status"] == "已延期" for vs in by_order.values() for v in vs)
    sat = collections.Counter(r["callback_satisfaction"] for r in latest.values() if r["callback_satisfaction"])
    rated = sum(sat.values()) - sat["未评价"]
    share = (sat["满意"] + sat["基本满意"]) / rated
    assert 0.85 <= share <= 0.92, share
    assert 0 < sat["未评价"] < 0.15 * sum(sat.values())
    assert sum(1 for r in latest.values() if r["co_departments"]) > 0.01 * n
    for r in latest.values():
        if r["status"] == "已回访" or r["callback_at"]:
            assert r["callback_satisfaction"] in SATISFACTIONS


def test_majority_are_not_enforcement_and_all_guide_labels_used(truth, reference):
    values = list(truth.values())
    assert sum(not t["enforcement"] for t in values) > 0.5 * len(values)
    fields = {f["name"] for f in reference["fields"]}
    problems = {p["name"] for p in reference["problem_types"]}
    assert {t["field"] for t in values} <= fields
    used = {p for t in values for p in t["problems"]}
    assert used <= problems
    assert len(used) >= 15
    assert any(t["kind"] == "conduct" for t in values)


def test_texts_are_chinese_filled_and_varied(latest):
    lengths = []
    for r in latest.values():
        for key in ("title", "content", "reply_text", "return_reason"):
            text = r[key]
            if text:
                assert "{" not in text and "}" not in text, text
        lengths.append(len(r["content"]))
        assert re.search(r"[\u4e00-\u9fff]", r["content"])
    assert min(lengths) >= 20
    assert max(lengths) <= 450
    assert sum(x >= 200 for x in lengths) > 100
    assert len({r["content"] for r in latest.values()}) > 0.85 * len(latest)


def test_every_template_slot_has_a_generator():
    names: set[str] = set()

    def walk(obj, depth=0):
        if depth > 12:
            return
        if isinstance(obj, str):
            names.update(f for _, f, _, _ in string.Formatter().parse(obj) if f)
        elif isinstance(obj, dict):
            for k, v in obj.items():
                if not str(k).startswith("_"):
                    walk(v, depth + 1)
        elif isinstance(obj, (list, tuple)):
            for v in obj:
                walk(v, depth + 1)

    walk(gen.THEMES)
    for attr in ("_EXTRA_TOURIST", "_EXTRA_CIVIC", "_BACKGROUND_TOURIST", "_BACKGROUND_CIVIC", "_FOLLOW_UP",
                 "_NARRATIVE_CONSUMER", "_NARRATIVE_CIVIC", "_REPLY_OPEN", "_REPLY_CLOSE", "_REPLY_CORE"):
        walk(getattr(gen, attr))
    missing = sorted(n for n in names if n != "me" and not hasattr(gen._Slots, "s_" + n))
    assert not missing


# ------------------------------------------------------------------------------- calendar patterns

def test_holidays_busier_for_tourism_than_plain_weekdays(truth):
    import chinese_calendar

    per_day = collections.Counter(t["received_at"][:10] for t in truth.values() if t["tourism"])
    holidays, weekdays = [], []
    for d in _dates():
        on_holiday, name = chinese_calendar.get_holiday_detail(d)
        if on_holiday and name:
            holidays.append(per_day[d.isoformat()])
        elif chinese_calendar.is_workday(d) and d.weekday() < 5 and not name:
            weekdays.append(per_day[d.isoformat()])
    assert holidays and weekdays
    assert statistics.mean(holidays) > 1.8 * statistics.mean(weekdays)


def test_weekday_and_hour_patterns_for_civic_orders(truth):
    import chinese_calendar

    civic = [t for t in truth.values() if not t["tourism"]]
    per_day = collections.Counter(t["received_at"][:10] for t in civic)
    work = [per_day[d.isoformat()] for d in _dates() if chinese_calendar.is_workday(d)]
    rest = [per_day[d.isoformat()] for d in _dates() if not chinese_calendar.is_workday(d)]
    assert statistics.mean(work) > 1.2 * statistics.mean(rest)
    hours = collections.Counter(int(t["received_at"][11:13]) for t in truth.values())
    assert sum(hours[h] for h in (9, 10, 11)) > 4 * sum(hours[h] for h in (2, 3, 4))


def test_guanyin_festival_day_brings_pilgrims_to_putuoshan(truth):
    festival = [d for d in _dates() if d in set(gen._guanyin_days(d.year)) | set(gen._guanyin_days(d.year - 1))]
    assert festival, "the window ending 2026-11-26 holds lunar 9/19 (2026-10-28)"
    day = festival[0].isoformat()
    at_putuo = collections.Counter(t["received_at"][:10] for t in truth.values()
                                   if t["tourism"] and t["area"] == "普陀山镇")
    others = [at_putuo[d.isoformat()] for d in _dates() if abs((d - festival[0]).days) > 3]
    assert at_putuo[day] > 2 * statistics.mean(others)


# ------------------------------------------------------------------------------- events

def test_demo_events_describe_ferry_suspensions_and_clusters(events):
    assert gen.DEMO_EVENTS == events
    kinds = collections.Counter(e["kind"] for e in events)
    assert kinds["ferry_suspension"] >= 1 and kinds["cluster"] >= 4
    for e in events:
        assert e["order_nos"]
        if e["kind"] == "ferry_suspension":
            start, end = dt.date.fromisoformat(e["start"]), dt.date.fromisoformat(e["end"])
            assert START <= start <= end <= END
            assert 2 <= (end - start).days + 1 <= 3
            assert e["cause"] in ("大风", "台风") and e["areas"]


def test_ferry_suspension_followed_by_refund_burst(events, truth):
    ferry = [e for e in events if e["kind"] == "ferry_suspension"]
    gale = ferry[-1]
    start = dt.date.fromisoformat(gale["start"])
    refunds = collections.Counter(t["received_at"][:10] for t in truth.values() if REFUND in t["problems"])
    other_event_days = set()
    for e in ferry:
        s = dt.date.fromisoformat(e["start"])
        other_event_days.update((s + dt.timedelta(days=i)).isoformat() for i in range(8))
    before = [refunds[(start - dt.timedelta(days=i)).isoformat()] for i in range(1, 31)
              if (start - dt.timedelta(days=i)).isoformat() not in other_event_days]
    baseline = statistics.mean(before)
    burst = [refunds[(start + dt.timedelta(days=i)).isoformat()] for i in range(1, 5)]
    assert min(burst) > 3 * baseline, (burst, baseline)
    assert sum(burst) >= 50
    burst_areas = set(gale["burst"]["areas"])
    for no in gale["order_nos"]:
        t = truth[no]
        assert REFUND in t["problems"] and t["tourism"]
        assert t["area"] in burst_areas
        assert gale["start"] <= t["received_at"][:10] <= gale["burst"]["end"]


def test_clusters_name_the_same_business(events, latest, truth):
    clusters = [e for e in events if e["kind"] == "cluster"]
    assert {c["theme"] for c in clusters} >= {"short_weight", "seafood_price", "homestay_false_ad"}
    for c in clusters:
        biz = c["business"]
        assert uscc.is_valid(biz["uscc"])
        assert len(c["order_nos"]) >= 5
        assert len(c["order_nos"]) == c["orders"]
        for no in c["order_nos"]:
            r = latest[no]
            assert biz["name"] in r["title"] + r["content"], (c["id"], r["content"])
            assert truth[no]["business"] == biz["name"] and truth[no]["uscc"] == biz["uscc"]
            assert c["start"] <= r["received_at"][:10] <= c["end"]
        callers = {latest[no]["caller_phone"] for no in c["order_nos"]}
        assert len(callers) >= len(c["order_nos"]) // 2  # many different people complain


# ------------------------------------------------------------------------------- identities

def test_identity_numbers_phones_and_credit_codes_are_valid(stream, truth):
    ids = {r["caller_id_number"] for r in stream if r["caller_id_number"]}
    assert len(ids) > 500
    assert all(ric.is_valid(x) for x in ids)
    assert all(gen.id_check_digit(x[:17]) == x[17] for x in ids)
    phones = {r["caller_phone"] for r in stream if r["caller_phone"]}
    assert all(re.fullmatch(r"1[3-9]\d{9}|0580-\d{7}", p) for p in phones)
    codes = {t["uscc"] for t in truth.values() if t["uscc"]}
    assert len(codes) > 300
    assert all(uscc.is_valid(c) and gen.uscc_check_digit(c[:17]) == c[17] for c in codes)
    in_text = set()
    for r in stream:
        in_text.update(re.findall(r"信用代码：([0-9A-Z]{18})", r["content"]))
    assert in_text and all(uscc.is_valid(c) for c in in_text)


def test_areas_and_departments_exist_in_reference(stream, reference):
    areas = {a["name"] for a in reference["areas"]}
    departments = {d["name"] for d in reference["departments"]}
    for r in stream:
        assert r["area"] in areas, r["area"]
        if r["lead_department"]:
            assert r["lead_department"] in departments, r["lead_department"]
        for co in (r["co_departments"] or "").split("；"):
            assert not co or co in departments, co
    used = {r["area"] for r in stream}
    for name in ("普陀山镇", "朱家尖街道", "东极镇", "花鸟乡", "沈家门街道", "普陀山-朱家尖"):
        assert name in used


# ------------------------------------------------------------------------------- determinism

def test_deterministic_for_a_seed():
    kwargs = dict(end=dt.date(2026, 10, 10), days=30, target_orders=2500)
    a = list(gen.generate_stream(seed=7, **kwargs))
    b = list(gen.generate_stream(seed=7, **kwargs))
    c = list(gen.generate_stream(seed=8, **kwargs))
    assert a == b
    assert a != c
    assert len({r["order_no"] for r in a}) >= 2500
    assert gen.demo_events(seed=7, **kwargs) == gen.demo_events(seed=7, **kwargs)


def test_other_reference_data_only_names_its_own_areas_and_departments(reference):
    """A reference reduced to one district: every area and department named comes from it."""
    keep = {"330900", "330902"} | {a["code"] for a in reference["areas"] if a.get("parent") == "330902"}
    ref = {**reference, "areas": [a for a in reference["areas"] if a["code"] in keep]}
    ref["departments"] = [d for d in reference["departments"] if d.get("area") in keep]
    codes = {d["code"] for d in ref["departments"]}
    ref["departments"] = [{**d, "parent": d["parent"] if d.get("parent") in codes else None}
                          for d in ref["departments"]]
    ref["fields"] = [{**f, "departments": [c for c in f["departments"] if c in codes]} for f in reference["fields"]]
    records = list(gen.generate_stream(end=dt.date(2026, 11, 26), days=20, target_orders=1500, reference=ref))
    areas = {a["name"] for a in ref["areas"]}
    departments = {d["name"] for d in ref["departments"]}
    assert len({r["order_no"] for r in records}) >= 1500
    for r in records:
        assert r["area"] in areas
        assert r["lead_department"] in departments | {None}


# ------------------------------------------------------------------------------- no copied texts

def _shared_data_dir() -> Path | None:
    for candidate in (os.environ.get("JIDU_SHARED_DATA"), REPO.parent / "shared" / "data", "/work/shared/data"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def _shared_messages(root: Path) -> list[str]:
    texts = []
    sources = [(root / "enforcement-labels" / "dev_300.csv", ("留言主题", "留言详情")),
               (root / "taidi2020c" / "train_raw.csv", ("留言主题", "留言详情")),
               (root / "hotel-reviews" / "ChnSentiCorp_htl_all.csv", ("review",))]
    for path, columns in sources:
        if not path.exists():
            continue
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                for col in columns:
                    if row.get(col):
                        texts.append(re.sub(r"\s+", "", row[col]))
    return texts


def test_no_text_copied_from_shared_data(latest):
    root = _shared_data_dir()
    if root is None:
        pytest.skip("shared data folder (../shared/data) not present")
    messages = _shared_messages(root)
    if not messages:
        pytest.skip("no readable message files in the shared data folder")
    rng = random.Random(1)
    sample = rng.sample(messages, min(600, len(messages)))
    corpus = "\n".join({r["title"] for r in latest.values()} | {r["content"] for r in latest.values()}
                       | {r["reply_text"] for r in latest.values() if r["reply_text"]})
    width, checked, copied = 15, 0, []
    for text in sample:
        if len(text) < width:
            continue
        for start in range(0, len(text) - width + 1, max(1, (len(text) - width) // 4 or 1))[:5]:
            window = text[start:start + width]
            if len(re.findall(r"[\u4e00-\u9fff]", window)) < 12:
                continue
            checked += 1
            if window in corpus:
                copied.append(window)
    assert checked > 500
    assert not copied, copied[:5]
