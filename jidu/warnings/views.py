from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jidu.org import scope
from jidu.warnings import services
from jidu.warnings.forms import AcknowledgeForm, CloseForm, FollowUpForm, WarningFilterForm
from jidu.warnings.models import State, Warning

PAGE_SIZE = 30


def _visible(request, pk):
    return scope.get_visible_or_404(request.user, Warning.objects.all(), request=request, pk=pk)


@login_required
@permission_required("warnings.view_warning", raise_exception=True)
def warning_list(request):
    form = WarningFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = services.filter_warnings(scope.restrict(request.user, Warning.objects.all()), data) \
        .prefetch_related("departments").order_by("-ongoing", "-last_detected_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    template = "warnings/_table.html" if request.htmx and request.htmx.target == "warning-table" else "warnings/list.html"
    return render(request, template, {"form": form, "page": page, "querystring": params.urlencode()})


@login_required
@permission_required("warnings.view_warning", raise_exception=True)
def detail(request, pk):
    w = _visible(request, pk)
    links = w.links.select_related("order", "order__area", "order__lead_department").order_by("order__received_at")
    orders = scope.restrict(request.user, w.orders.all()).values_list("pk", flat=True)
    visible_ids = set(orders)
    windows = (w.evidence or {}).get("windows") or []
    return render(request, "warnings/detail.html", {
        "w": w, "links": links[:300], "link_count": w.links.count(), "visible_ids": visible_ids,
        "windows": windows, "baseline": (w.evidence or {}).get("baseline"),
        "actions": w.actions.select_related("by", "department"),
        "ack_form": AcknowledgeForm(), "follow_form": FollowUpForm(), "close_form": CloseForm(),
        "can_ack": request.user.has_perm("warnings.acknowledge_warning") and w.state == State.NEW,
        "can_follow": request.user.has_perm("warnings.follow_up_warning") and w.state != State.CLOSED,
        "can_close": request.user.has_perm("warnings.close_warning") and w.state != State.CLOSED,
    })


def _handle(request, pk, perm, form_class, action):
    if not request.user.has_perm(perm):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    w = _visible(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("warnings:detail", pk=w.pk)
    try:
        action(w, form.cleaned_data)
    except services.WarningError as exc:
        messages.error(request, str(exc))
    return redirect("warnings:detail", pk=w.pk)


@login_required
@require_POST
def acknowledge(request, pk):
    return _handle(request, pk, "warnings.acknowledge_warning", AcknowledgeForm,
                   lambda w, d: (services.acknowledge(w, request.user, d["note"], request=request),
                                 messages.success(request, "已签收。")))


@login_required
@require_POST
def follow_up(request, pk):
    return _handle(request, pk, "warnings.follow_up_warning", FollowUpForm,
                   lambda w, d: (services.follow_up(w, request.user, d["action"], request=request),
                                 messages.success(request, "已记录跟进措施。")))


@login_required
@require_POST
def close(request, pk):
    return _handle(request, pk, "warnings.close_warning", CloseForm,
                   lambda w, d: (services.close(w, request.user, d["note"], request=request),
                                 messages.success(request, "预警已关闭。")))


@login_required
@require_POST
@permission_required("warnings.run_detectors", raise_exception=True)
def run_now(request):
    warnings = services.run_detectors()
    messages.success(request, f"检测完成：发出或更新预警 {len(warnings)} 条。")
    return redirect("warnings:list")
