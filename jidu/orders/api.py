"""Reading orders over the API: a signed-in user (session) sees what their role may see; a source
token with the orders:read scope sees its own source's orders. Personal data is always masked."""

import datetime as dt

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from jidu.intake.auth import TokenAuth
from jidu.org import scope
from jidu.orders import services
from jidu.orders.models import WorkOrder

router = Router(tags=["工单查询"])
READ_AUTH = [TokenAuth("orders:read"), django_auth]


class OrderOut(Schema):
    id: int
    source: str
    order_no: str
    order_type: str
    status: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    title: str
    content: str
    address: str
    area: str | None
    lead_department: str | None
    departments: list[dict]
    caller_name: str
    caller_phone: str
    replied_at: dt.datetime | None
    callback_resolution: str
    callback_satisfaction: str
    flags: list[dict]
    updated_at: dt.datetime

    @staticmethod
    def resolve_source(obj):
        return obj.source.code

    @staticmethod
    def resolve_order_type(obj):
        return obj.get_order_type_display()

    @staticmethod
    def resolve_status(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_content(obj):
        return services.display_content(obj)

    @staticmethod
    def resolve_area(obj):
        return str(obj.area) if obj.area else (obj.area_text or None)

    @staticmethod
    def resolve_lead_department(obj):
        return str(obj.lead_department) if obj.lead_department else None

    @staticmethod
    def resolve_departments(obj):
        lead = [{"name": obj.lead_department.name, "role": "主办"}] if obj.lead_department else []
        return lead + [{"name": c.department.name, "role": "协办"} for c in obj.co_departments.all()]

    @staticmethod
    def resolve_caller_name(obj):
        return services.caller_masked(obj)["name"]

    @staticmethod
    def resolve_caller_phone(obj):
        return services.caller_masked(obj)["phone"]

    @staticmethod
    def resolve_callback_resolution(obj):
        return obj.get_callback_resolution_display()

    @staticmethod
    def resolve_callback_satisfaction(obj):
        return obj.get_callback_satisfaction_display()


class OrderFilter(Schema):
    status: str | None = None
    order_type: str | None = None
    q: str | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None


def _principal(request):
    return getattr(request, "api_token", None) or request.user


@router.get("", auth=READ_AUTH, response=list[OrderOut], summary="查询工单（按权限范围）")
@paginate(LimitOffsetPagination)
def list_orders(request, filters: Query[OrderFilter]):
    qs = scope.restrict(_principal(request), WorkOrder.objects.select_related("source", "area", "lead_department"))
    qs = qs.prefetch_related("co_departments__department")
    data = {"status": filters.status, "order_type": filters.order_type, "q": filters.q,
            "date_from": filters.received_from, "date_to": filters.received_to}
    return services.apply_filters(qs, data, timezone.now())


@router.get("/{int:order_id}", auth=READ_AUTH, response=OrderOut, summary="工单详情")
def get_order(request, order_id: int):
    qs = WorkOrder.objects.select_related("source", "area", "lead_department").prefetch_related(
        "co_departments__department")
    return scope.get_visible_or_404(_principal(request), qs, request=request, pk=order_id)
