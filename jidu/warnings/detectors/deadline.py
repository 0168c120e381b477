"""Deadlines at risk (即将超时): open work orders due within ``order_hours`` (one warning per
lead department, listing its orders), unsettled dispatch disputes due within ``dispute_hours``
(one per dispute), and — when those apps exist — supervision steps and supervision orders due
within ``step_hours`` (configured ``steps``: model, due field, closed state values; absent models
or fields are skipped)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import FieldError

from jidu.orders.models import OPEN_STATUSES, WorkOrder
from jidu.warnings.detectors.base import Finding, field_names, level_for, model_or_none


def _hours_left(due, now) -> float:
    return round((due - now).total_seconds() / 3600, 1)


def detect(now: dt.datetime, params: dict) -> list[Finding]:
    from jidu.org.models import Department

    levels = params.get("levels") or {}
    findings: list[Finding] = []
    # -- work orders, per lead department
    horizon = now + dt.timedelta(hours=float(params.get("order_hours", 24)))
    rows = list(WorkOrder.objects.filter(status__in=OPEN_STATUSES, due_at__gt=now, due_at__lte=horizon,
                                         lead_department__isnull=False)
                .values("id", "order_no", "due_at", "lead_department_id").order_by("due_at"))
    by_dept = defaultdict(list)
    for r in rows:
        by_dept[r["lead_department_id"]].append(r)
    depts = {d.pk: d for d in Department.objects.filter(pk__in=by_dept)}
    for dept_id, items in by_dept.items():
        if len(items) < int(params.get("order_min_count", 3)):
            continue
        dept = depts[dept_id]
        n, soonest = len(items), _hours_left(items[0]["due_at"], now)
        level = level_for(levels, lambda t: n >= int(t.get("count", 10 ** 9)))
        f = Finding(
            kind="deadline_risk", dimension="department", key=f"orders:{dept.code}", key_label=dept.name, level=level,
            title=f"{dept.name}有{n}件工单将在{params.get('order_hours', 24)}小时内到期",
            summary=f"最早一件剩余{soonest}小时。", observed=n, window_start=now, window_end=horizon,
            order_ids=[r["id"] for r in items],
            evidence={"what": "orders", "hours": params.get("order_hours", 24),
                      "items": [{"order_no": r["order_no"], "due_at": r["due_at"].isoformat(),
                                 "hours_left": _hours_left(r["due_at"], now)} for r in items[:200]]},
        )
        f.department_ids.add(dept_id)
        findings.append(f)
    # -- dispatch disputes, one by one
    dispute_model = model_or_none("jurisdiction.Dispute")
    if dispute_model is not None:
        horizon = now + dt.timedelta(hours=float(params.get("dispute_hours", 6)))
        for d in dispute_model.objects.filter(state__in=dispute_model.UNSETTLED, due_at__gt=now, due_at__lte=horizon) \
                .select_related("order"):
            left = _hours_left(d.due_at, now)
            level = level_for(levels, lambda t: left <= float(t.get("hours_left", -1)))
            f = Finding(
                kind="deadline_risk", dimension="dispute", key=f"dispute:{d.pk}", key_label=f"工单{d.order.order_no}的派单争议",
                level=level, title=f"派单争议（工单{d.order.order_no}）剩余{left}小时须裁定",
                summary="24小时内确定承办部门的时限即将届满。", observed=1, window_start=now, window_end=d.due_at,
                order_ids=[d.order_id],
                evidence={"what": "dispute", "dispute": d.pk, "due_at": d.due_at.isoformat(), "hours_left": left},
            )
            f.department_ids.update(x for x in (d.returning_department_id, d.order.lead_department_id) if x)
            findings.append(f)
    # -- supervision steps / supervision orders, when those apps exist
    horizon = now + dt.timedelta(hours=float(params.get("step_hours", 24)))
    for step in params.get("steps") or ():
        model = model_or_none(step.get("model", ""))
        if model is None:
            continue
        names = field_names(model)
        due_field = next((f for f in step.get("due_fields") or () if f in names), None)
        if due_field is None:
            continue
        qs = model.objects.filter(**{f"{due_field}__gt": now, f"{due_field}__lte": horizon})
        state_field = next((f for f in ("state", "status") if f in names), None)
        if state_field and step.get("closed_values"):
            qs = qs.exclude(**{f"{state_field}__in": step["closed_values"]})
        if step.get("open_if_null") in names:
            qs = qs.filter(**{f"{step['open_if_null']}__isnull": True})
        try:
            objs = list(qs[:500])
        except (FieldError, ValueError):
            continue
        for obj in objs:
            due = getattr(obj, due_field)
            left = _hours_left(due, now)
            level = level_for(levels, lambda t: left <= float(t.get("hours_left", -1)))
            label = step.get("label", model._meta.verbose_name)
            f = Finding(
                kind="deadline_risk", dimension="other", key=f"{model._meta.label_lower}:{obj.pk}",
                key_label=f"{label}：{str(obj)[:60]}", level=level, title=f"{label}“{str(obj)[:60]}”剩余{left}小时到期",
                observed=1, window_start=now, window_end=due,
                evidence={"what": model._meta.label_lower, "pk": obj.pk, "due_at": due.isoformat(), "hours_left": left},
            )
            for fname in ("department", "addressee", "responsible_department", "target_department"):
                if fname in names and getattr(obj, f"{fname}_id", None):
                    f.department_ids.add(getattr(obj, f"{fname}_id"))
            if "order" in names and getattr(obj, "order_id", None):
                f.order_ids.append(obj.order_id)
            findings.append(f)
    return findings
