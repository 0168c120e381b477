"""Grading: compute each screened order's colour from the configured policies and criteria.

Rules that hold everywhere:
- every grade explains itself ("红：24小时内同一商户3起短斤少两投诉；国庆假期");
- automatic (re-)grading may raise a colour, never lower it: a lower result keeps the colour and
  records nothing; lowering is a person's decision (`downgrade`) with a reason;
- every change of colour writes a GradeChange and a note on the order's timeline;
- a new order re-grades the orders that name the same business or place within the windows.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jidu.core.bulk import changed_fields, insert_many, snapshot, update_changed
from jidu.core import audit
from jidu.grading import calendar as cal
from jidu.grading.models import (
    CalendarEvent,
    ClueGrade,
    ClusterKey,
    Colour,
    ColourLevel,
    Criterion,
    GradeChange,
    GradingPolicy,
    severity,
)
from jidu.orders.models import FINISHED_STATUSES, OrderEvent, WorkOrder

log = logging.getLogger(__name__)

SYSTEM_LABEL = "三色研判（系统）"
CHUNK = 500
TARGET_WORDS = {"business": "商户", "place": "地点"}
COLOUR_NAMES = dict(Colour.choices)


# ---- cluster keys ---------------------------------------------------------------------------------
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise_name(name: str) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", name or "")).lower()


_area_cache: dict = {"at": 0.0, "names": set(), "codes": {}}


def _areas() -> tuple[set[str], dict[str, int]]:
    """Area names/aliases (too broad to cluster on) and code → id; cached for a minute."""
    import time

    from jidu.org.models import Area

    if time.monotonic() - _area_cache["at"] > 60:
        names, codes = set(), {}
        for area_id, code, name, aliases in Area.objects.values_list("id", "code", "name", "aliases"):
            codes[code] = area_id
            names.add(normalise_name(name))
            names.update(normalise_name(a) for a in aliases or [])
        _area_cache.update(at=time.monotonic(), names=names, codes=codes)
    return _area_cache["names"], _area_cache["codes"]


def keys_for(entities: dict) -> dict[str, list[str]]:
    """Cluster keys of what a screening names: businesses by credit code and by name; places by
    name, except names of administrative areas (a district is not "the same place")."""
    area_names, _codes = _areas()
    business, place = [], []
    for b in (entities or {}).get("businesses") or []:
        if isinstance(b, str):
            b = {"name": b}
        if not isinstance(b, dict):
            continue
        if b.get("uscc"):
            business.append("b:u:" + str(b["uscc"]).strip().upper())
        name = normalise_name(b.get("name", ""))
        if len(name) >= 2:
            business.append("b:n:" + name)
    for p in (entities or {}).get("places") or []:
        if isinstance(p, str):
            p = {"name": p}
        if not isinstance(p, dict):
            continue
        name = normalise_name(p.get("name", ""))
        if len(name) >= 2 and name not in area_names:
            place.append("p:" + name)
    return {"business": list(dict.fromkeys(business)), "place": list(dict.fromkeys(place))}


def _display_name(entities: dict, key: str) -> str:
    for b in (entities or {}).get("businesses") or []:
        if isinstance(b, dict) and (key == "b:u:" + str(b.get("uscc", "")).strip().upper()
                                    or key == "b:n:" + normalise_name(b.get("name", ""))):
            return b.get("name") or b.get("uscc") or ""
    for p in (entities or {}).get("places") or []:
        if isinstance(p, dict) and key == "p:" + normalise_name(p.get("name", "")):
            return p.get("name", "")
    return ""


def _amounts(entities: dict) -> list[float]:
    out = []
    for a in (entities or {}).get("amounts") or []:
        value = a.get("value") if isinstance(a, dict) else a
        try:
            out.append(float(value))
        except (TypeError, ValueError):
            continue
    return out


def _fmt_amount(value) -> str:
    value = float(value)
    return f"{int(value):d}" if value == int(value) else f"{value:.2f}"


class _Vars(dict):
    def __missing__(self, key):
        return ""


# ---- what grading reads of a screening --------------------------------------------------------------
class _Order:
    """The few fields of a work order that grading reads (time, area, text)."""

    __slots__ = ("pk", "received_at", "title", "content", "area_id")

    def __init__(self, pk, received_at, title, content, area_id):
        self.pk, self.received_at, self.title, self.content, self.area_id = pk, received_at, title, content, area_id


class _Screening:
    """An order's screening as grading reads it: plain values from two queries per chunk instead
    of model instances (the screening's other JSON columns are never decoded). `problems` is the
    list of (problem type id, name) in the order they were written."""

    __slots__ = ("order_id", "order", "entities", "enforcement", "tourism", "field_id", "problems", "grading_keys",
                 "local_day")

    def __init__(self, order, entities, enforcement, tourism, field_id):
        self.order_id, self.order = order.pk, order
        self.entities, self.enforcement, self.tourism, self.field_id = entities, enforcement, tourism, field_id
        self.problems: list[tuple[int, str]] = []
        self.grading_keys: dict[str, list[str]] = {}
        self.local_day = timezone.localtime(order.received_at).date()


# ---- the run's context ----------------------------------------------------------------------------
@dataclass
class Result:
    colour: str | None
    points: int
    reasons: list[str]
    policy: GradingPolicy | None


@dataclass
class _Ctx:
    policies: list
    levels: dict
    holidays: cal.HolidayLookup = field(default_factory=cal.HolidayLookup)
    key_index: dict = field(default_factory=lambda: defaultdict(list))  # key → [(t, order_id)]
    history: dict = field(default_factory=lambda: defaultdict(list))  # key → [(t, oid, status, colour)]
    problems: dict = field(default_factory=dict)  # order_id → [problem names]
    colours_now: dict = field(default_factory=dict)  # order_id → colour computed in this run
    events: list = field(default_factory=list)  # [(event, area_id_set or None)]
    mates: set = field(default_factory=set)
    by_day: dict = field(default_factory=dict)  # (criterion id, day) → a date-only criterion's result


def _load_policies():
    """The active policies and criteria, each criterion's settings parsed once for the whole run."""
    policies = list(GradingPolicy.objects.filter(active=True).prefetch_related("fields"))
    criteria = defaultdict(list)
    for c in Criterion.objects.filter(active=True, policy__in=policies).prefetch_related("problem_types"):
        c.problem_type_ids = {p.id for p in c.problem_types.all()}
        c.word_list = cal.split_words(c.words)
        c.wanted_holidays = cal.wanted_holidays(c.holiday_names)
        c.parsed_ranges = cal.parse_date_ranges(c.date_ranges)
        c.parsed_lunar = cal.parse_lunar_dates(c.lunar_dates)
        c.event_kind_set = set(cal.split_words(c.event_kinds))
        criteria[c.policy_id].append(c)
    for p in policies:
        p.active_criteria = sorted(criteria[p.id], key=lambda c: (c.sort, c.id))
        p.field_ids = {f.id for f in p.fields.all()}
    return policies


def _max_window(policies, kind) -> int:
    values = [c.window_hours for p in policies for c in p.active_criteria if c.kind == kind]
    return max(values, default=0)


# ---- criteria -------------------------------------------------------------------------------------
def _problem_names(screening) -> list[str]:
    return [name for _id, name in screening.problems]


def _eval_problem_type(c, s, ctx):
    wanted = c.problem_type_ids
    names = [name for problem_id, name in s.problems if problem_id in wanted]
    return {"problem": "、".join(names)} if names else None


def _window_count(times: list[dt.datetime], r: dt.datetime, w: dt.timedelta) -> tuple[int, dt.datetime]:
    """The largest number of complaints in any window of length w that contains r."""
    best, best_start = 0, r
    lo = bisect.bisect_left(times, r - w)
    for i in range(lo, len(times)):
        if times[i] > r:
            break
        n = bisect.bisect_right(times, times[i] + w) - i
        if n > best:
            best, best_start = n, times[i]
    return best, best_start


def _within(ctx, key: str, moment, window) -> list:
    """The (time, order id) entries of `key` within `window` of `moment`. Entries are kept sorted
    by time (see _grade_chunk), so a popular place costs a bisection, not a scan."""
    entries = ctx.key_index.get(key)
    if not entries:
        return []
    lo = bisect.bisect_left(entries, (moment - window, -1))
    hi = bisect.bisect_right(entries, (moment + window, float("inf")))
    return entries[lo:hi]


def _eval_cluster(c, s, ctx):
    if not c.window_hours or c.min_count < 2:
        return None
    w = dt.timedelta(hours=c.window_hours)
    r = s.order.received_at
    targets = ["business", "place"] if c.cluster_by == Criterion.ClusterBy.EITHER else [c.cluster_by]
    best = None
    for target in targets:
        keys = s.grading_keys[target]
        if not keys:
            continue
        # Any of the order's keys links (credit code or name): the union of the orders naming them.
        entries = {oid: t for key in keys for t, oid in _within(ctx, key, r, w)}
        entries[s.order_id] = r
        times = sorted(entries.values())
        count, start = _window_count(times, r, w)
        if count >= c.min_count and (best is None or count > best[0]):
            members = [oid for oid, t in entries.items() if start <= t <= start + w]
            best = (count, target, keys[-1], members)
    if best is None:
        return None
    count, target, key, members = best
    common = list(dict.fromkeys(_problem_names(s)))
    for oid in members:
        if oid != s.order_id:
            theirs = set(ctx.problems.get(oid, []))
            common = [p for p in common if p in theirs]
    return {"count": count, "window": c.window_hours, "target": TARGET_WORDS[target],
            "name": _display_name(s.entities, key), "problem": common[0] if common else ""}


def _eval_money(c, s, ctx):
    if c.min_amount is None:
        return None
    amounts = _amounts(s.entities)
    if not amounts or max(amounts) < float(c.min_amount):
        return None
    return {"amount": _fmt_amount(max(amounts)), "min_amount": _fmt_amount(c.min_amount)}


def _eval_safety(c, s, ctx):
    text = unicodedata.normalize("NFKC", f"{s.order.title}\n{s.order.content}")
    found = [w for w in c.word_list if w in text]
    found = [w for w in found if not any(w != other and w in other for other in found)]  # 中毒 ⊂ 食物中毒
    return {"words": "、".join(dict.fromkeys(found))} if found else None


def _eval_repeat(c, s, ctx):
    if not c.lookback_days:
        return None
    r = s.order.received_at
    newest = r - dt.timedelta(hours=c.window_hours)
    oldest = r - dt.timedelta(days=c.lookback_days)
    earlier, name = set(), ""
    for key in s.grading_keys["business"]:
        for t, oid, status, colour in ctx.history.get(key, []):
            if oid == s.order_id or not (oldest <= t < newest):
                continue
            colour = ctx.colours_now.get(oid, colour)
            if colour or status in FINISHED_STATUSES:
                earlier.add(oid)
                name = name or _display_name(s.entities, key)
    if len(earlier) < max(c.min_count, 1):
        return None
    return {"count": len(earlier), "days": c.lookback_days, "name": name, "target": "商户"}


def _order_area_ids(s) -> set[int]:
    _names, codes = _areas()
    ids = {s.order.area_id} if s.order.area_id else set()
    for p in (s.entities or {}).get("places") or []:
        if isinstance(p, dict) and p.get("area_code") in codes:
            ids.add(codes[p["area_code"]])
    return ids


def _eval_calendar(c, s, ctx):
    if c.calendar_kind == Criterion.CalendarKind.EVENT:
        return _eval_event(c, s, ctx)
    # Holidays, eves, peaks and lunar festivals depend on the day alone: worked out once per day.
    key = (c.id, s.local_day)
    if key not in ctx.by_day:
        ctx.by_day[key] = _eval_day(c, s.local_day, ctx)
    values = ctx.by_day[key]
    return dict(values) if values is not None else None


def _eval_day(c, day, ctx):
    kind = c.calendar_kind
    if kind in (Criterion.CalendarKind.HOLIDAY, Criterion.CalendarKind.EVE):
        label = ctx.holidays.holiday(day) if kind == Criterion.CalendarKind.HOLIDAY else ctx.holidays.eve_of(day)
        wanted = c.wanted_holidays
        if label and (not wanted or label in wanted):
            return {"holiday": label}
        return None
    if kind == Criterion.CalendarKind.PEAK:
        label = cal.in_date_range(day, c.parsed_ranges)
        return None if label is None else {"festival": label}
    if kind == Criterion.CalendarKind.LUNAR:
        label = cal.lunar_festival(day, c.parsed_lunar, c.days_after)
        return None if label is None else {"festival": label}
    return None


def _eval_event(c, s, ctx):
    r = s.order.received_at
    kinds = c.event_kind_set
    areas = None
    for event, event_areas in ctx.events:
        if kinds and event.kind not in kinds:
            continue
        if not (event.start <= r <= event.end + dt.timedelta(days=c.days_after)):
            continue
        if event_areas is not None:
            areas = areas if areas is not None else _order_area_ids(s)
            if not (areas & event_areas):
                continue
        return {"event": event.title, "days": c.days_after}
    return None


EVALUATORS = {
    Criterion.Kind.PROBLEM_TYPE: _eval_problem_type,
    Criterion.Kind.CLUSTER: _eval_cluster,
    Criterion.Kind.MONEY: _eval_money,
    Criterion.Kind.SAFETY_WORDS: _eval_safety,
    Criterion.Kind.REPEAT_OFFENDER: _eval_repeat,
    Criterion.Kind.CALENDAR: _eval_calendar,
}


def policy_applies(policy, s) -> bool:
    if policy.enforcement_only and s.enforcement is not True:
        return False
    if not policy.tourism and not policy.field_ids:
        return True
    return bool((policy.tourism and s.tourism is True) or (s.field_id and s.field_id in policy.field_ids))


def evaluate(policy, s, ctx) -> Result:
    hits = []
    for c in policy.active_criteria:
        values = EVALUATORS[c.kind](c, s, ctx)
        if values is not None:
            hits.append((c, values))
    strongest: dict[str, tuple] = {}
    for c, values in hits:
        if c.exclusive_group:
            cur = strongest.get(c.exclusive_group)
            if cur is None or (severity(c.min_colour), c.points) > (severity(cur[0].min_colour), cur[0].points):
                strongest[c.exclusive_group] = (c, values)
    hits = [(c, v) for c, v in hits if not c.exclusive_group or strongest[c.exclusive_group][0] is c]
    points = sum(c.points for c, _ in hits)
    if points >= policy.red_at:
        colour = Colour.RED
    elif points >= policy.orange_at:
        colour = Colour.ORANGE
    elif points >= policy.yellow_at:
        colour = Colour.YELLOW
    else:
        colour = None
    for c, _ in hits:
        if c.min_colour and severity(c.min_colour) > severity(colour):
            colour = c.min_colour
    reasons = [c.reason.format_map(_Vars(values)).strip() for c, values in hits]
    reasons = [r for r in dict.fromkeys(reasons) if r] or ([policy.base_reason] if colour else [])
    return Result(colour=str(colour) if colour else None, points=points, reasons=reasons, policy=policy)


def compute(s, ctx) -> Result:
    best = Result(None, 0, [], None)
    for policy in ctx.policies:
        if policy_applies(policy, s):
            res = evaluate(policy, s, ctx)
            if best.policy is None or (severity(res.colour), res.points) > (severity(best.colour), best.points):
                best = res
    return best


# ---- running ---------------------------------------------------------------------------------------
def _levels() -> dict[str, ColourLevel]:
    return {lv.code: lv for lv in ColourLevel.objects.all()}


def colour_name(colour, levels=None) -> str:
    if not colour:
        return "未定色"
    level = (levels or {}).get(colour)
    return level.name if level else COLOUR_NAMES.get(colour, colour)


def _due_by(order, colour, levels):
    level = levels.get(colour) if colour else None
    return order.received_at + dt.timedelta(hours=level.response_hours) if level else None


def summary(colour, reasons, levels=None) -> str:
    return f"{colour_name(colour, levels)}：" + "；".join(reasons) if colour else "未定色"


def grade_orders(order_ids, *, propagate: bool = True, actor_label: str = SYSTEM_LABEL, _setup=None) -> dict:
    """Grade (or re-grade) the given orders that have a screening; then re-grade the orders that
    name the same business or place within the cluster windows. Returns counters.

    Work is batch-wise: per chunk of CHUNK orders, one read of the screenings, one of their
    problems, one of the key index per CHUNK keys, and one write per table; policies and colour
    levels are read once per call (the re-grading of cluster mates reuses them), holidays once per
    year a call meets, and date-only criteria (holidays, peaks, lunar festivals) once per day.

    A batch grades as its orders would one at a time as they were received: more than a chunk is
    taken in order of receipt, so each chunk sees the earlier ones (repeat offenders look back), and
    the orders of earlier chunks that a later chunk joins in a cluster are re-graded straight away."""
    ids = list(dict.fromkeys(int(i) for i in order_ids))
    stats = {"graded": 0, "raised": 0, "kept": 0, "ungraded": 0, "mates": 0}
    if not ids:
        return stats
    setup = policies, levels, holidays = _setup or (_load_policies(), _levels(), cal.HolidayLookup())
    if len(ids) > CHUNK:
        ids = _by_receipt(ids)
    wanted = set(ids)
    done: set[int] = set()
    mates: set[int] = set()  # outside the batch
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        ctx = _Ctx(policies=policies, levels=levels, holidays=holidays)
        _grade_chunk(chunk, ctx, stats, actor_label)
        mates |= ctx.mates - wanted
        earlier = ctx.mates & done
        if propagate and earlier:
            stats["mates"] += len(earlier)
            sub = grade_orders(sorted(earlier), propagate=False, actor_label=actor_label, _setup=setup)
            for k in ("graded", "raised"):  # kept / ungraded: counted when first graded above
                stats[k] += sub[k]
        done.update(chunk)
    if propagate and mates:
        stats["mates"] += len(mates)
        sub = grade_orders(sorted(mates), propagate=False, actor_label=actor_label, _setup=setup)
        for k in ("graded", "raised", "kept", "ungraded"):
            stats[k] += sub[k]
    return stats


def _by_receipt(ids: list[int]) -> list[int]:
    rows = []
    for start in range(0, len(ids), CHUNK):
        rows += WorkOrder.objects.filter(pk__any=ids[start:start + CHUNK]).values_list("received_at", "pk")
    known = {pk for _t, pk in rows}
    return [pk for _t, pk in sorted(rows)] + [pk for pk in ids if pk not in known]


def _screenings(ids) -> list[_Screening]:
    """The screenings of these orders (those that have one), by time received. Plain values: the
    order's time, area and text (never the caller's encrypted details), the screening's enforcement,
    tourism, field and entities, and its problems in the order they were written (their ids' order,
    as the prefetch that read them before returned them)."""
    from jidu.screening.models import OrderProblem, OrderScreening

    rows = OrderScreening.objects.filter(order_id__any=ids).values_list(
        "id", "entities", "enforcement", "tourism", "field_id",
        "order_id", "order__received_at", "order__title", "order__content", "order__area_id")
    by_id = {}
    for sid, entities, enforcement, tourism, field_id, oid, received_at, title, content, area_id in rows:
        by_id[sid] = _Screening(_Order(oid, received_at, title, content, area_id), entities, enforcement,
                                tourism, field_id)
    if by_id:
        for sid, problem_id, name in OrderProblem.objects.filter(screening_id__any=list(by_id)) \
                .order_by("id").values_list("screening_id", "problem_id", "problem__name"):
            by_id[sid].problems.append((problem_id, name))
    return sorted(by_id.values(), key=lambda s: (s.order.received_at, s.order_id))


def _grade_chunk(ids, ctx: _Ctx, stats, actor_label):
    screenings = _screenings(ids)
    if not screenings:
        return
    for s in screenings:
        s.grading_keys = keys_for(s.entities)
    # The index of keys: replace this chunk's rows, then read every order sharing a key in the window.
    with transaction.atomic():
        ClusterKey.objects.filter(order_id__any=[s.order_id for s in screenings]).delete()
        ClusterKey.objects.bulk_create([
            ClusterKey(order_id=s.order_id, key=k, received_at=s.order.received_at)
            for s in screenings for k in s.grading_keys["business"] + s.grading_keys["place"]
        ], ignore_conflicts=True)
    first = min(s.order.received_at for s in screenings)
    last = max(s.order.received_at for s in screenings)
    all_keys = sorted({k for s in screenings for k in s.grading_keys["business"] + s.grading_keys["place"]})
    w = dt.timedelta(hours=_max_window(ctx.policies, Criterion.Kind.CLUSTER))
    lookback = max((c.lookback_days for p in ctx.policies for c in p.active_criteria
                    if c.kind == Criterion.Kind.REPEAT_OFFENDER), default=0)
    mate_ids = set()
    for k0 in range(0, len(all_keys), CHUNK):
        keys = all_keys[k0:k0 + CHUNK]
        if w:
            for key, t, oid in ClusterKey.objects.filter(key__any=keys, received_at__range=(first - w, last + w)) \
                    .values_list("key", "received_at", "order_id"):
                ctx.key_index[key].append((t, oid))
                mate_ids.add(oid)
        for key in keys:  # sorted and de-duplicated for _within()
            if key in ctx.key_index:
                ctx.key_index[key] = sorted(set(ctx.key_index[key]))
        if lookback:
            biz = [k for k in keys if k.startswith("b:")]
            rows = ClusterKey.objects.filter(key__any=biz, received_at__gte=first - dt.timedelta(days=lookback),
                                             received_at__lt=last) \
                .values_list("key", "received_at", "order_id", "order__status", "order__grade__colour")
            for key, t, oid, status, colour in rows:
                ctx.history[key].append((t, oid, status, colour))
    mine = {s.order_id for s in screenings}
    ctx.problems = {s.order_id: _problem_names(s) for s in screenings}
    other = mate_ids - mine
    if other:
        from jidu.screening.models import OrderProblem

        for oid, name in OrderProblem.objects.filter(screening__order_id__any=list(other)) \
                .values_list("screening__order_id", "problem__name"):
            ctx.problems.setdefault(oid, []).append(name)
    # Cluster mates whose count may have changed: those within the window of an order of this chunk.
    if w:
        for s in screenings:
            for key in s.grading_keys["business"] + s.grading_keys["place"]:
                for _t, oid in _within(ctx, key, s.order.received_at, w):
                    if oid not in mine:
                        ctx.mates.add(oid)
    ctx.events = [
        (e, _expand_areas(e))
        for e in CalendarEvent.objects.filter(start__lte=last).prefetch_related("areas")
        if e.end + dt.timedelta(days=_max_event_days(ctx.policies)) >= first
    ]
    existing = {g.order_id: g for g in ClueGrade.objects.filter(order_id__any=list(mine))}
    now = timezone.now()
    new, changed, changes, notes = [], [], [], []
    for s in screenings:
        res = compute(s, ctx)
        keys = s.grading_keys["business"] + s.grading_keys["place"]
        grade = existing.get(s.order_id)
        if grade is None:
            grade = ClueGrade(order_id=s.order_id, colour=res.colour, points=res.points, reasons=res.reasons,
                              cluster_keys=keys, due_by=_due_by(s.order, res.colour, ctx.levels), graded_at=now,
                              policy=res.policy, computed_colour=res.colour or "")
            new.append(grade)
            if res.colour:
                _record(changes, notes, s.order, "", res.colour, res.reasons, ctx.levels, now, actor_label)
                stats["graded"] += 1
            else:
                stats["ungraded"] += 1
            ctx.colours_now[s.order_id] = res.colour
            continue
        before = snapshot(grade, GRADE_FIELDS)
        grade.cluster_keys = keys
        grade.computed_colour = res.colour or ""
        old = grade.colour
        baseline = grade.person_baseline
        if severity(res.colour) > severity(old) and (not baseline or severity(res.colour) > severity(baseline)):
            grade.colour, grade.points, grade.reasons, grade.policy = res.colour, res.points, res.reasons, res.policy
            grade.due_by, grade.graded_at = _due_by(s.order, res.colour, ctx.levels), now
            grade.person_baseline = ""
            _record(changes, notes, s.order, old or "", res.colour, res.reasons, ctx.levels, now, actor_label)
            stats["raised" if old else "graded"] += 1
        elif res.colour and severity(res.colour) == severity(old) and not baseline:
            # Same colour: refresh the explanation (e.g. "4起" instead of "3起"); nothing to record.
            grade.points, grade.reasons, grade.policy, grade.graded_at = res.points, res.reasons, res.policy, now
            stats["kept"] += 1
        else:
            stats["kept" if old else "ungraded"] += 1
        changed.append((grade, changed_fields(grade, before)))
        ctx.colours_now[s.order_id] = grade.colour
    with transaction.atomic():
        insert_many(ClueGrade, new)
        update_changed(ClueGrade, changed)  # only the fields that changed, one statement per shape
        insert_many(GradeChange, changes)
        insert_many(OrderEvent, notes)


GRADE_FIELDS = ["colour", "points", "reasons", "cluster_keys", "due_by", "graded_at", "policy", "computed_colour",
                "person_baseline"]


def _max_event_days(policies) -> int:
    return max((c.days_after for p in policies for c in p.active_criteria
                if c.kind == Criterion.Kind.CALENDAR and c.calendar_kind == Criterion.CalendarKind.EVENT), default=0)


def _expand_areas(event) -> set[int] | None:
    areas = list(event.areas.all())
    if not areas:
        return None
    ids = set()
    for a in areas:
        ids.update(a.descendant_ids())
    return ids


def _record(changes, notes, order, old, new, reasons, levels, now, actor_label, user=None, reason=None):
    text = reason or summary(new, reasons, levels)
    changes.append(GradeChange(order_id=order.pk, from_colour=old or "", to_colour=new or "", reason=text,
                               by=user, by_label=actor_label, at=now))
    verb = "研判为" if not old else ("升为" if severity(new) > severity(old) else "调整为")
    note = f"三色研判：{verb}{colour_name(new, levels)}"
    if old:
        note = f"三色研判：由{colour_name(old, levels)}{verb}{colour_name(new, levels)}"
    notes.append(OrderEvent(order_id=order.pk, at=now, recorded_at=now, actor=user, actor_label=actor_label,
                            kind=OrderEvent.Kind.NOTE, note=f"{note}。{text}"))


# ---- a person's decisions ---------------------------------------------------------------------------
class GradingError(ValueError):
    pass


def downgrade(order: WorkOrder, to_colour: str | None, reason: str, user, request=None) -> ClueGrade:
    """A person lowers a clue's colour (or withdraws it: to_colour empty). The reason is required;
    the change is recorded (GradeChange, the order's timeline, the audit log)."""
    reason = (reason or "").strip()
    if not reason:
        raise GradingError("调低颜色必须填写理由")
    to_colour = to_colour or None
    if to_colour is not None and to_colour not in Colour.values:
        raise GradingError("颜色无效")
    levels = _levels()
    with transaction.atomic():
        grade = ClueGrade.objects.select_for_update().filter(order=order).first()
        if grade is None or not grade.colour:
            raise GradingError("该工单尚未定色")
        if severity(to_colour) >= severity(grade.colour):
            raise GradingError("只能调低颜色；自动研判会在出现新情况时升级")
        old = grade.colour
        name = getattr(user, "display_name", "") or user.get_username()
        grade.person_baseline = grade.computed_colour or old
        grade.colour = to_colour
        grade.reasons = [f"人工调整为{colour_name(to_colour, levels)}：{reason}（{name}）"] + [
            r for r in grade.reasons if not r.startswith("人工调整为")]
        grade.due_by = _due_by(order, to_colour, levels)
        grade.graded_at = timezone.now()
        grade.save()
        changes, notes = [], []
        _record(changes, notes, order, old, to_colour or "", grade.reasons, levels, grade.graded_at, name,
                user=user, reason=reason)
        GradeChange.objects.bulk_create(changes)
        OrderEvent.objects.bulk_create(notes)
        audit.record(audit.AuditLog.Action.CHANGE, user=user, request=request, object_type="grading.cluegrade",
                     object_id=str(order.pk), from_colour=old, to_colour=to_colour or "", reason=reason)
    return grade


def orders_affected_by_event(event: CalendarEvent) -> list[int]:
    """Orders received during an event (and the configured days after) in its areas."""
    days = _max_event_days(_load_policies())
    qs = WorkOrder.objects.filter(received_at__gte=event.start,
                                  received_at__lte=event.end + dt.timedelta(days=days))
    areas = _expand_areas(event)
    if areas is not None:
        qs = qs.filter(Q(area_id__in=areas) | Q(area__isnull=True))
    return list(qs.filter(screening__isnull=False).values_list("pk", flat=True))
