"""Reading orders: the scoped queue with its filters, the caller's personal data (masked unless
the user holds the permission, and then audited), the timeline, and exports."""

import datetime as dt

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from jidu.core import audit
from jidu.core.masking import mask_id_number, mask_name, mask_phone, mask_text
from jidu.core.spreadsheets import write_xlsx
from jidu.orders.models import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    OrderCoDepartment,
    OrderType,
    Status,
    WorkOrder,
)
from jidu.org import scope
from jidu.org.models import Area, Department, Field, ProblemType

QUEUES = {
    "open": "待办",
    "returned": "退单申请",
    "due_soon": "即将到期",
    "overdue": "已超期",
    "flagged": "待核实",
    "finished": "已办结",
    "all": "全部",
}
DEFAULT_QUEUE = {"dispatcher": "open", "supervisor": "returned", "handler": "open", "leader": "all",
                 "admin": "all"}


def visible_orders(user) -> QuerySet:
    return scope.restrict(user, WorkOrder.objects.select_related("area", "lead_department", "source"))


def default_queue(user) -> str:
    return DEFAULT_QUEUE.get(getattr(user, "role", ""), "all")


class OrderFilterForm(forms.Form):
    queue = forms.ChoiceField(label="队列", choices=list(QUEUES.items()), required=False)
    q = forms.CharField(label="搜索", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "工单编号 / 标题 / 内容"}))
    status = forms.ChoiceField(label="状态", choices=[("", "全部状态"), *Status.choices], required=False)
    order_type = forms.ChoiceField(label="类型", choices=[("", "全部类型"), *OrderType.choices], required=False)
    area = forms.ModelChoiceField(label="区域", queryset=Area.objects.filter(active=True), required=False,
                                  empty_label="全部区域")
    department = forms.ModelChoiceField(label="单位", queryset=Department.objects.filter(active=True),
                                        required=False, empty_label="全部单位")
    date_from = forms.DateField(label="受理日期自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    # Filters the dashboard's links use (each figure opens the orders behind it):
    field = forms.ModelChoiceField(label="执法领域", queryset=Field.objects.all(), required=False,
                                   empty_label="全部领域")
    colour = forms.ChoiceField(label="线索颜色", choices=[("", "全部颜色"), ("red", "红"), ("orange", "橙"),
                                                        ("yellow", "黄")], required=False)
    problem = forms.ModelChoiceField(label="问题类型", queryset=ProblemType.objects.all(), required=False,
                                     empty_label="全部问题类型")
    theme = forms.ChoiceField(label="主题", choices=[("", "全部"), ("tourism", "涉旅"), ("enforcement", "涉执法")],
                              required=False)
    lead_only = forms.BooleanField(label="仅主办", required=False)
    due_from = forms.DateField(label="办理时限自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_to = forms.DateField(label="办理时限至", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not scope.is_city_wide(user):
            # A department handler filters within its own scope only.
            self.fields["department"].queryset = Department.objects.filter(pk__in=scope.department_ids(user))


def apply_filters(qs: QuerySet, data: dict, now: dt.datetime | None = None) -> QuerySet:
    now = now or timezone.now()
    queue = data.get("queue") or "all"
    if queue == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif queue == "returned":
        qs = qs.filter(status=Status.RETURN_REQUESTED)
    elif queue == "due_soon":
        qs = qs.filter(status__in=OPEN_STATUSES, due_at__gte=now, due_at__lt=now + dt.timedelta(days=1))
    elif queue == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, due_at__lt=now)
    elif queue == "flagged":
        qs = qs.exclude(flags=[])
    elif queue == "finished":
        qs = qs.filter(status__in=FINISHED_STATUSES)
    qs = search_text(qs, data.get("q"))
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("order_type"):
        qs = qs.filter(order_type=data["order_type"])
    if data.get("area"):
        qs = qs.filter(area_id__in=data["area"].descendant_ids())
    if data.get("department"):
        dept = data["department"]
        lead = Q(lead_department=dept)
        qs = qs.filter(lead if data.get("lead_only") else lead | Q(
            Exists(OrderCoDepartment.objects.filter(order_id=OuterRef("pk"), department=dept))))
    if data.get("field"):
        qs = qs.filter(screening__field=data["field"])
    if data.get("problem"):
        from jidu.screening.models import OrderProblem, ReviewState

        qs = qs.filter(Exists(OrderProblem.objects.filter(
            screening__order_id=OuterRef("pk"), problem=data["problem"],
            state__in=[ReviewState.APPLIED, ReviewState.CONFIRMED])))
    if data.get("colour"):
        qs = qs.filter(grade__colour=data["colour"])
    if data.get("theme") in ("tourism", "enforcement"):
        qs = qs.filter(**{f"screening__{data['theme']}": True})
    qs = between(qs, "due_at", data.get("due_from"), data.get("due_to"))
    return received_between(qs, data.get("date_from"), data.get("date_to"))


def search_text(qs: QuerySet, term: str | None) -> QuerySet:
    """Orders whose number, title or content contains `term`."""
    term = (term or "").strip()
    if not term:
        return qs
    return qs.filter(Q(order_no__icontains=term) | Q(title__icontains=term) | Q(content__icontains=term))


def received_between(qs: QuerySet, date_from=None, date_to=None) -> QuerySet:
    """Orders received on local dates date_from … date_to, both included."""
    return between(qs, "received_at", date_from, date_to)


def between(qs: QuerySet, name: str, date_from=None, date_to=None) -> QuerySet:
    """Rows whose datetime field `name` falls on local dates date_from … date_to, both included."""
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(**{f"{name}__gte": dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)})
    if date_to:
        qs = qs.filter(**{f"{name}__lt": dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)})
    return qs


def can_view_personal(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("orders.view_personal_data"))


def caller_masked(order: WorkOrder) -> dict:
    return {"name": mask_name(order.caller_name), "phone": mask_phone(order.caller_phone),
            "id_number": mask_id_number(order.caller_id_number)}


def reveal_caller(order: WorkOrder, user, request=None) -> dict:
    """The caller's full personal data, for a user holding the permission. Audited every time."""
    if not can_view_personal(user):
        audit.record(audit.AuditLog.Action.DENIED, user=user, request=request, obj=order,
                     reason="无查看个人信息权限")
        raise PermissionError("您没有查看来电人完整个人信息的权限")
    audit.record(audit.AuditLog.Action.VIEW_PERSONAL, user=user, request=request, obj=order,
                 order_no=order.order_no)
    return {"name": order.caller_name, "phone": order.caller_phone, "id_number": order.caller_id_number}


def display_content(order: WorkOrder) -> str:
    """Content with phone and ID numbers the caller typed into it masked."""
    return mask_text(order.content)


EXPORT_HEADERS = ["工单编号", "来源", "工单类型", "受理时间", "来电人", "联系电话", "标题", "诉求内容", "事发地址",
                  "所属区域", "热线分类", "主办单位", "承办单位（原文）", "状态", "办理时限", "答复时间",
                  "回访-解决情况", "回访-满意度", "待核实事项"]


def _fmt(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def export_orders(qs: QuerySet, fileobj, *, user, request=None, limit: int = 100_000) -> int:
    """Write the (already scoped and filtered) orders as .xlsx, personal data masked. Audited."""
    count = 0

    def rows():
        nonlocal count
        for o in qs.order_by("-received_at", "-id")[:limit].iterator(chunk_size=2000):
            count += 1
            m = caller_masked(o)
            yield [o.order_no, o.source.code, o.get_order_type_display(), _fmt(o.received_at), m["name"],
                   m["phone"], o.title, display_content(o), o.address, str(o.area or o.area_text or ""),
                   o.hotline_category, str(o.lead_department or ""), o.departments_text, o.get_status_display(),
                   _fmt(o.due_at), _fmt(o.replied_at), o.get_callback_resolution_display(),
                   o.get_callback_satisfaction_display(), "；".join(f.get("message", "") for f in o.flags)]

    write_xlsx(fileobj, EXPORT_HEADERS, rows(), sheet_title="工单")
    audit.record(audit.AuditLog.Action.EXPORT, user=user, request=request, object_type="orders.workorder",
                 count=count)
    return count
