"""GET /api/v1/orders/{id}/screening — same authentication and scope as the orders API."""

import datetime as dt

from ninja import Schema
from ninja.errors import HttpError

from jidu.org import scope
from jidu.orders.api import READ_AUTH, _principal, router
from jidu.orders.models import WorkOrder
from jidu.screening.models import OrderScreening


class ProblemOut(Schema):
    name: str
    score: float | None
    provenance: str
    state: str


class ScreeningOut(Schema):
    order_id: int
    order_no: str
    screened_at: dt.datetime
    model_version: str | None
    state: str
    state_display: str
    summary: str
    enforcement: bool | None
    enforcement_score: float | None
    kind: str
    kind_score: float | None
    field: str | None
    field_score: float | None
    field_top: list
    problems: list[ProblemOut]
    tourism: bool | None
    tourism_score: float | None
    too_short: bool
    needs_rescreen: bool
    provenance: dict
    labels: dict
    explanation: str
    entities: dict
    rules_applied: list


@router.get("/{int:order_id}/screening", auth=READ_AUTH, response=ScreeningOut, summary="工单筛查结果",
            tags=["线索筛查"])
def get_screening(request, order_id: int):
    principal = _principal(request)
    order = scope.get_visible_or_404(principal, WorkOrder.objects.all(), request=request, pk=order_id)
    if not getattr(principal, "is_api_token", False) and not principal.has_perm("screening.view_orderscreening"):
        raise HttpError(403, "您没有查看筛查结果的权限")
    s = OrderScreening.objects.select_related("field", "model_version").filter(order=order).first()
    if s is None:
        raise HttpError(404, "该工单尚未筛查")
    problems = [{"name": p.problem.name, "score": p.score, "provenance": p.provenance, "state": p.state}
                for p in s.problems.select_related("problem").order_by("id")]
    return {
        "order_id": order.pk, "order_no": order.order_no, "screened_at": s.screened_at,
        "model_version": s.model_version.version if s.model_version_id else None, "state": s.state,
        "state_display": s.get_state_display(), "summary": s.summary, "enforcement": s.enforcement,
        "enforcement_score": s.enforcement_score, "kind": s.kind, "kind_score": s.kind_score,
        "field": s.field.name if s.field_id else None, "field_score": s.field_score, "field_top": s.field_top,
        "problems": problems, "tourism": s.tourism, "tourism_score": s.tourism_score, "too_short": s.too_short,
        "needs_rescreen": s.needs_rescreen, "provenance": s.provenance, "labels": s.labels,
        "explanation": s.explanation, "entities": s.entities, "rules_applied": s.rules_applied,
    }
