"""Measures of the dispute process per period and department.

For disputes OPENED in [start, end) (optionally: where the department returned the order):
opened, decided (so far), decided within the limit (decided_at <= due_at), the share decided
within the limit among those opened, and the median hours from opening to decision."""

from __future__ import annotations

import datetime as dt
import statistics

from jidu.jurisdiction.models import Dispute


def _period(qs, start, end):
    return qs.filter(opened_at__gte=start, opened_at__lt=end)


def measures(start: dt.datetime, end: dt.datetime, department=None) -> dict:
    qs = _period(Dispute.objects.all(), start, end)
    if department is not None:
        qs = qs.filter(returning_department=department)
    rows = list(qs.values_list("state", "opened_at", "due_at", "decided_at"))
    decided = [(o, d, due) for state, o, due, d in rows if state == Dispute.State.DECIDED and d]
    within = sum(1 for o, d, due in decided if d <= due)
    hours = [(d - o).total_seconds() / 3600 for o, d, _ in decided]
    opened = len(rows)
    return {
        "opened": opened,
        "decided": len(decided),
        "decided_within_limit": within,
        "share_within_limit": round(within / opened, 4) if opened else None,
        "median_hours_to_decision": round(statistics.median(hours), 2) if hours else None,
        "open": sum(1 for r in rows if r[0] == Dispute.State.OPEN),
        "escalated": sum(1 for r in rows if r[0] == Dispute.State.ESCALATED),
    }


def measures_by_department(start: dt.datetime, end: dt.datetime) -> list[dict]:
    from jidu.org.models import Department

    ids = _period(Dispute.objects.all(), start, end).exclude(returning_department=None).values_list(
        "returning_department_id", flat=True).distinct()
    out = []
    for dept in Department.objects.filter(pk__in=list(ids)).order_by("code"):
        out.append({"department": dept, **measures(start, end, department=dept)})
    return out
