"""GET /api/v1/orders/{id}/advice — routing advice, same authentication and scope as the orders API."""

from ninja import Schema

from jidu.jurisdiction.services.advice import advise_order
from jidu.org import scope
from jidu.orders.api import READ_AUTH, _principal, router
from jidu.orders.models import WorkOrder


class DepartmentAdvice(Schema):
    department_id: int
    name: str
    short_name: str
    role: str
    score: float
    confidence: float
    reasons: list[dict]


class AdviceOut(Schema):
    order_id: int
    departments: list[DepartmentAdvice]
    entries: list[dict]
    precedents: list[dict]
    model: list[dict] | None
    area: dict | None


@router.get("/{int:order_id}/advice", auth=READ_AUTH, response=AdviceOut, summary="智能派单建议",
            tags=["职责清单与派单争议"])
def get_advice(request, order_id: int):
    order = scope.get_visible_or_404(_principal(request), WorkOrder.objects.all(), request=request, pk=order_id)
    return advise_order(order)
