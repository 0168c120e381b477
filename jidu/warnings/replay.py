"""Replaying the demo generator's stream for tests and the benchmark (`benchmarks/warnings_eval.py`).

``load_generated(...)`` writes the generator's orders straight into the database with the
screening the generator planned (field, problem types, business, tourism) — the detectors are
measured on known ground truth, not on the screening model's mistakes — and returns
``{order_no: pk}``. ``replay(start, end, step_hours)`` runs the detectors at each step.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def _aware(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


def load_generated(*, end: dt.date, days: int, target_orders: int, seed: int | None = None,
                   extra: list[dict] | None = None) -> dict[str, int]:
    """Write the generator's orders (first version of each: received, not yet handled) plus
    ``extra`` order dicts ({order_no, received_at, title, content, area, lead_department, field,
    problems, business, uscc, order_type}) with their planned screening."""
    from jidu.demo import generator as gen
    from jidu.orders.models import Source, WorkOrder
    from jidu.org.models import Area, Department, Field, ProblemType
    from jidu.screening.models import OrderProblem, OrderScreening

    kwargs = dict(end=end, days=days, target_orders=target_orders)
    if seed is not None:
        kwargs["seed"] = seed
    truth = gen.order_truth(**kwargs)
    first: dict[str, dict] = {}
    for rec in gen.generate_stream(**kwargs):
        first.setdefault(rec["order_no"], rec)
    rows = []
    for no, rec in first.items():
        t = truth.get(no, {})
        rows.append({"order_no": no, "received_at": rec["received_at"], "title": rec["title"] or "",
                     "content": rec["content"] or "", "area": t.get("area") or rec["area"],
                     "lead_department": rec["lead_department"], "field": t.get("field"),
                     "problems": t.get("problems") or [], "business": t.get("business"), "uscc": t.get("uscc"),
                     "order_type": rec["order_type"], "tourism": t.get("tourism"), "enforcement": t.get("enforcement")})
    rows += extra or []
    source = Source.objects.get(code="12345")
    areas = {a.name: a for a in Area.objects.all()}
    depts = {d.name: d for d in Department.objects.all()}
    fields = {f.name: f for f in Field.objects.all()}
    problems = {p.name: p for p in ProblemType.objects.all()}
    type_codes = {label: code for code, label in WorkOrder._meta.get_field("order_type").choices}
    ids: dict[str, int] = {}
    for i in range(0, len(rows), 2000):
        chunk = rows[i:i + 2000]
        objs = []
        for r in chunk:
            received = _aware(r["received_at"]) if isinstance(r["received_at"], str) else r["received_at"]
            objs.append(WorkOrder(source=source, order_no=r["order_no"], received_at=received, source_version=received,
                                  order_type=type_codes.get(r.get("order_type"), r.get("order_type") or "other"),
                                  title=r["title"][:300], content=r["content"], area=areas.get(r.get("area")),
                                  lead_department=depts.get(r.get("lead_department")), status="dispatched"))
        objs = WorkOrder.objects.bulk_create(objs)
        screenings = []
        for o, r in zip(objs, chunk):
            ids[r["order_no"]] = o.pk
            ents = {"businesses": [{"name": r["business"], "uscc": r.get("uscc") or ""}] if r.get("business") else [],
                    "places": [], "amounts": []}
            screenings.append(OrderScreening(order=o, enforcement=r.get("enforcement"), field=fields.get(r.get("field")),
                                             tourism=r.get("tourism"), entities=ents, state="applied"))
        screenings = OrderScreening.objects.bulk_create(screenings)
        OrderProblem.objects.bulk_create([OrderProblem(screening=s, problem=problems[p])
                                          for s, r in zip(screenings, chunk) for p in r.get("problems") or ()
                                          if p in problems])
    return ids


def replay(start: dt.datetime, end: dt.datetime, step_hours: float = 6, *, notify: bool = False,
           only: list[str] | None = None, timings: dict | None = None):
    """Run the detectors at start, start+step, … ≤ end; yields (moment, warnings touched)."""
    from jidu.warnings.services import run_detectors

    now = start
    while now <= end:
        yield now, run_detectors(now, notify=notify, only=only, timings=timings)
        now += dt.timedelta(hours=step_hours)
