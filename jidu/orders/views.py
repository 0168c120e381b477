from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jidu.core import audit
from jidu.core.spreadsheets import xlsx_response
from jidu.org import scope
from jidu.orders import services
from jidu.orders.models import WorkOrder

PAGE_SIZE = 30


def _filtered(request):
    params = request.GET.copy()
    if not params.get("queue"):
        params["queue"] = services.default_queue(request.user)
    form = services.OrderFilterForm(params, user=request.user)
    valid = form.is_valid()
    if not valid and "department" in form.errors and params.get("department"):
        # A department outside the user's scope: the same answer as for an object out of scope.
        audit.record(audit.AuditLog.Action.DENIED, request=request, object_type="org.department",
                     object_id=params.get("department"), path=request.path)
        raise Http404("未找到该单位，或您无权查看")
    data = form.cleaned_data if valid else {"queue": params["queue"]}
    qs = services.apply_filters(services.visible_orders(request.user), data)
    return form, qs, params


@login_required
@permission_required("orders.view_workorder", raise_exception=True)
def queue(request):
    form, qs, params = _filtered(request)
    page = Paginator(qs.order_by("-received_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    params.pop("page", None)
    context = {"form": form, "page": page, "querystring": params.urlencode(), "queues": services.QUEUES,
               "current_queue": params.get("queue"), "now": timezone.now()}
    template = "orders/_queue_table.html" if request.htmx and request.htmx.target == "queue-table" \
        else "orders/queue.html"
    return render(request, template, context)


@login_required
@permission_required("orders.export_workorder", raise_exception=True)
def export(request):
    _form, qs, _params = _filtered(request)
    return xlsx_response(f"工单导出-{timezone.localtime():%Y%m%d%H%M}.xlsx",
                         lambda fh: services.export_orders(qs, fh, user=request.user, request=request))


def _order(request, pk):
    qs = WorkOrder.objects.select_related("source", "area", "lead_department", "last_batch")
    return scope.get_visible_or_404(request.user, qs, request=request, pk=pk)


@login_required
@permission_required("orders.view_workorder", raise_exception=True)
def detail(request, pk):
    order = _order(request, pk)
    context = {
        "order": order,
        "caller": services.caller_masked(order),
        "can_reveal": services.can_view_personal(request.user),
        "content": services.display_content(order),
        "co_departments": order.co_departments.select_related("department"),
        "events": order.events.select_related("actor").order_by("at", "id"),
        "now": timezone.now(),
    }
    return render(request, "orders/detail.html", context)


@login_required
@require_POST
def caller(request, pk):
    """Reveal the caller's personal data (htmx). Needs the permission; every reveal is audited."""
    order = _order(request, pk)
    try:
        full = services.reveal_caller(order, request.user, request)
    except PermissionError as exc:
        return HttpResponseForbidden(str(exc))
    return render(request, "orders/_caller.html", {"caller": full, "revealed": True, "order": order})
