"""Re-dispatching an order (改派) after a ruling or a dispatcher's choice. Writes the order's
lead/co-departments and status and its timeline events; never goes through the Ingestor."""

from django.db import transaction
from django.utils import timezone

from jidu.orders.models import OrderCoDepartment, OrderEvent, Status, WorkOrder


def dept_label(lead, co) -> str:
    parts = [f"主办：{lead}" if lead else "主办：未定"]
    if co:
        parts.append("协办：" + "、".join(str(d) for d in co))
    return "；".join(parts)


def assign(order: WorkOrder, lead, co, *, by=None, actor_label: str = "", status: str | None = None,
           note: str = "") -> WorkOrder:
    """Set the order's lead and co-departments (and status); one timeline event per change plus
    an optional note. Call inside the caller's transaction (it opens its own otherwise)."""
    co = [d for d in dict.fromkeys(co or []) if d != lead]
    now = timezone.now()
    with transaction.atomic():
        order = WorkOrder.objects.select_for_update(of=("self",)).select_related("lead_department").get(pk=order.pk)
        current_co = [c.department for c in order.co_departments.select_related("department").order_by("id")]
        events = []
        common = {"order": order, "actor": by, "actor_label": actor_label, "at": now, "recorded_at": now}
        old_label, new_label = dept_label(order.lead_department, current_co), dept_label(lead, co)
        update = []
        if (order.lead_department_id, sorted(d.pk for d in current_co)) != (lead.pk if lead else None,
                                                                           sorted(d.pk for d in co)):
            events.append(OrderEvent(kind=OrderEvent.Kind.ASSIGNED, field="承办单位", old_value=old_label,
                                     new_value=new_label, **common))
            order.lead_department = lead
            update.append("lead_department")
            OrderCoDepartment.objects.filter(order=order).exclude(department__in=co).delete()
            have = set(OrderCoDepartment.objects.filter(order=order).values_list("department_id", flat=True))
            OrderCoDepartment.objects.bulk_create(
                [OrderCoDepartment(order=order, department=d) for d in co if d.pk not in have])
        if status and status != order.status:
            events.append(OrderEvent(kind=OrderEvent.Kind.STATUS, field="工单状态",
                                     old_value=order.get_status_display(),
                                     new_value=Status(status).label, **common))
            order.status = status
            update.append("status")
        if note:
            events.append(OrderEvent(kind=OrderEvent.Kind.NOTE, note=note, **common))
        if update:
            order.updated_at = now
            order.save(update_fields=[*update, "updated_at"])
        OrderEvent.objects.bulk_create(events)
    return order
