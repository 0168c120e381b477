import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jidu.core import audit
from jidu.core.files import serve_attachment
from jidu.core.spreadsheets import xlsx_response
from jidu.jurisdiction import forms
from jidu.jurisdiction.models import Dispute, DisputeAttachment, ListEntry, Precedent, RoutingChoice
from jidu.jurisdiction.services import advice as advice_service
from jidu.jurisdiction.services import disputes as svc
from jidu.jurisdiction.services import dispatch
from jidu.jurisdiction.services import lists as list_service
from jidu.jurisdiction.services.measures import measures as measures_fn
from jidu.jurisdiction.services.measures import measures_by_department
from jidu.org import scope
from jidu.orders.models import Status, WorkOrder

PAGE_SIZE = 30


# ------------------------------------------------------------------------------------------ lists
def _entries(request):
    form = forms.ListFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    qs = scope.restrict(request.user, ListEntry.objects.select_related("lead_department"))
    return form, list_service.search(qs, data)


@login_required
@permission_required("jurisdiction.view_listentry", raise_exception=True)
def lists(request):
    form, qs = _entries(request)
    page = Paginator(qs.prefetch_related("co_departments", "fields").order_by("list_type", "code"),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "querystring": params.urlencode(), "today": timezone.localdate()}
    template = "jurisdiction/_lists_table.html" if request.htmx and request.htmx.target == "lists-table" \
        else "jurisdiction/lists.html"
    return render(request, template, context)


@login_required
@permission_required("jurisdiction.export_listentry", raise_exception=True)
def lists_export(request):
    _form, qs = _entries(request)
    return xlsx_response(f"职责清单-{timezone.localtime():%Y%m%d%H%M}.xlsx",
                         lambda fh: list_service.export_entries(qs, fh, user=request.user, request=request))


@login_required
@permission_required("jurisdiction.import_listentry", raise_exception=True)
def lists_import(request):
    report = None
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = list_service.import_entries(upload, by=request.user, request=request, filename=upload.name)
        if request.POST.get("report") == "xlsx" and report.errors:
            return xlsx_response("清单导入问题.xlsx", lambda fh: list_service.report_xlsx(report, fh))
    return render(request, "jurisdiction/import.html", {"form": form, "report": report})


@login_required
@permission_required("jurisdiction.view_listentry", raise_exception=True)
def entry(request, pk):
    obj = scope.get_visible_or_404(request.user, ListEntry.objects.select_related("lead_department"), request=request,
                                   pk=pk)
    return render(request, "jurisdiction/entry.html", {
        "entry": obj, "versions": obj.versions.select_related("by")[:50], "today": timezone.localdate()})



# ------------------------------------------------------------------------------------------ disputes
def _visible_disputes(user):
    return scope.restrict(user, Dispute.objects.select_related("order", "returning_department", "decided_lead"))


def _dispute(request, pk):
    return scope.get_visible_or_404(request.user, Dispute.objects.select_related(
        "order", "order__area", "order__lead_department", "returning_department", "decided_lead", "decided_by",
        "cited_entry", "cited_precedent"), request=request, pk=pk)


@login_required
@permission_required("jurisdiction.view_dispute", raise_exception=True)
def disputes(request):
    state = request.GET.get("state", "")
    qs = _visible_disputes(request.user)
    if state in Dispute.State.values:
        qs = qs.filter(state=state)
    qs = qs.annotate(unsettled=Case(When(state__in=Dispute.UNSETTLED, then=Value(0)), default=Value(1),
                                    output_field=IntegerField()))
    qs = qs.order_by("unsettled", F("due_at").asc(), F("decided_at").desc(nulls_last=True), "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jurisdiction/disputes.html", {
        "page": page, "state": state, "states": Dispute.State.choices, "now": timezone.now()})


def dispute_context(request, obj, **extra):
    order = obj.order
    screening = getattr(order, "screening", None) if hasattr(order, "screening") else None
    adv = advice_service.advise_order(order)
    allowed, why = svc.can_decide(request.user, obj)
    top = adv["departments"][0]["department_id"] if adv["departments"] else None
    decide_form = extra.pop("decide_form", None) or forms.DecideForm(initial={
        "lead": top, "cited_entry": adv["entries"][0]["entry_id"] if adv["entries"] else None})
    default_dept = request.user.department if request.user.department_id else obj.returning_department
    return {
        "dispute": obj, "order": order, "screening": screening, "advice": adv,
        "claims": obj.claims.select_related("department", "suggested_department", "by").prefetch_related(
            "attachments"),
        "evidence": obj.attachments.filter(claim=None), "clock": svc.time_left(obj),
        "can_decide": allowed and obj.is_unsettled, "cannot_decide_reason": why,
        "decide_form": decide_form,
        "claim_form": extra.pop("claim_form", None) or forms.ClaimForm(initial={"department": default_dept}),
        "can_claim": obj.is_unsettled and request.user.has_perm("jurisdiction.add_disputeclaim"),
        "promote_form": forms.PromoteForm(initial={"matter": order.title or order.content[:40],
                                                   "keywords": "、".join(svc.suggested_keywords(obj))})
        if obj.state == Dispute.State.DECIDED and request.user.has_perm("jurisdiction.add_precedent") else None,
        "promoted": Precedent.objects.filter(dispute=obj).first(), "entries_from": obj.list_entries.all(),
        "co_decided": obj.decided_co.all(), **extra,
    }


@login_required
@permission_required("jurisdiction.view_dispute", raise_exception=True)
def dispute(request, pk):
    return render(request, "jurisdiction/dispute.html", dispute_context(request, _dispute(request, pk)))


@login_required
@permission_required("jurisdiction.view_dispute", raise_exception=True)
def clock(request, pk):
    obj = _dispute(request, pk)
    return render(request, "jurisdiction/_clock.html", {"dispute": obj, "clock": svc.time_left(obj)})


@login_required
@require_POST
@permission_required("jurisdiction.add_disputeclaim", raise_exception=True)
def claim(request, pk):
    obj = _dispute(request, pk)
    form = forms.ClaimForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            svc.add_claim(obj, department=d["department"], position=d["position"], text=d["text"], by=request.user,
                          suggested_department=d["suggested_department"], files=d["files"])
            messages.success(request, "意见已提交")
            return redirect("jurisdiction:dispute", pk=pk)
        except (svc.DisputeError, PermissionDenied) as exc:
            messages.error(request, str(exc))
    return render(request, "jurisdiction/dispute.html", dispute_context(request, obj, claim_form=form), status=400)


@login_required
@require_POST
@permission_required("jurisdiction.decide_dispute", raise_exception=True)
def decide(request, pk):
    obj = _dispute(request, pk)
    form = forms.DecideForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            svc.decide(obj, by=request.user, lead=d["lead"], co=list(d["co"]), basis_text=d["basis_text"],
                       citation=d["citation"], cited_entry=d["cited_entry"], cited_precedent=d["cited_precedent"],
                       note=d["note"])
            messages.success(request, "已裁定，工单已改派并通知各方")
            return redirect("jurisdiction:dispute", pk=pk)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return render(request, "jurisdiction/dispute.html", dispute_context(request, obj, decide_form=form),
                          status=403)
        except svc.AlreadySettled as exc:
            messages.error(request, str(exc))
            obj = _dispute(request, pk)
            return render(request, "jurisdiction/dispute.html", dispute_context(request, obj), status=409)
        except svc.DisputeError as exc:
            messages.error(request, str(exc))
    return render(request, "jurisdiction/dispute.html", dispute_context(request, obj, decide_form=form), status=400)


@login_required
@require_POST
@permission_required("jurisdiction.change_dispute", raise_exception=True)
def withdraw(request, pk):
    obj = _dispute(request, pk)
    try:
        svc.withdraw(obj, by=request.user, note=request.POST.get("note", ""))
        messages.success(request, "争议已撤回")
    except svc.DisputeError as exc:
        messages.error(request, str(exc))
    return redirect("jurisdiction:dispute", pk=pk)


@login_required
@require_POST
@permission_required("jurisdiction.add_precedent", raise_exception=True)
def promote(request, pk):
    obj = _dispute(request, pk)
    form = forms.PromoteForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            created = svc.promote(obj, target=d["target"], by=request.user, matter=d["matter"],
                                  keywords=list_service.split_list(d["keywords"]))
            messages.success(request, f"已转为{created._meta.verbose_name}：{created}")
        except svc.DisputeError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "请填写事项")
    return redirect("jurisdiction:dispute", pk=pk)


@login_required
@permission_required("jurisdiction.view_dispute", raise_exception=True)
def attachment(request, pk):
    obj = scope.get_visible_or_404(request.user, DisputeAttachment.objects.select_related("dispute"),
                                   request=request, pk=pk)
    return serve_attachment(request, obj, dispute=obj.dispute_id)


@login_required
@permission_required("jurisdiction.view_dispute", raise_exception=True)
def measures(request):
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start", "")) if request.GET.get("start") else \
            today.replace(day=1)
        end = dt.date.fromisoformat(request.GET.get("end", "")) if request.GET.get("end") else today
    except ValueError:
        start, end = today.replace(day=1), today
    tz = timezone.get_current_timezone()
    s = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    e = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return render(request, "jurisdiction/measures.html", {
        "start": start, "end": end, "total": measures_fn(s, e), "rows": measures_by_department(s, e)})


# ------------------------------------------------------------------------------------------ precedents
@login_required
@permission_required("jurisdiction.view_precedent", raise_exception=True)
def precedents(request):
    qs = scope.restrict(request.user, Precedent.objects.select_related("lead_department", "dispute"))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(matter__icontains=q) | qs.filter(text__icontains=q)
    page = Paginator(qs.order_by("-decided_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jurisdiction/precedents.html", {"page": page, "q": q})


@login_required
@permission_required("jurisdiction.view_precedent", raise_exception=True)
def precedent(request, pk):
    obj = scope.get_visible_or_404(request.user, Precedent.objects.select_related("lead_department", "dispute"),
                                   request=request, pk=pk)
    return render(request, "jurisdiction/precedent.html", {"precedent": obj})


# ------------------------------------------------------------------------------------------ order page
def _order(request, order_pk):
    return scope.get_visible_or_404(request.user, WorkOrder.objects.select_related("lead_department", "area"),
                                    request=request, pk=order_pk)


@login_required
@require_POST
@permission_required("jurisdiction.add_dispute", raise_exception=True)
def flag(request, order_pk):
    order = _order(request, order_pk)
    form = forms.FlagForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请填写争议理由")
        return redirect("orders:detail", pk=order.pk)
    d = form.cleaned_data
    obj, created = svc.open_dispute(order, via=Dispute.Via.FLAG, by=request.user, reason=d["reason"],
                                    returning_department=d["returning_department"], files=d["files"])
    messages.success(request, "已发起派单争议" if created else "该工单已有未结的派单争议")
    return redirect("jurisdiction:dispute", pk=obj.pk)


@login_required
@require_POST
@permission_required("jurisdiction.add_routingchoice", raise_exception=True)
def route(request, order_pk):
    order = _order(request, order_pk)
    form = forms.RouteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择主办单位")
        return redirect("orders:detail", pk=order.pk)
    lead, co = form.cleaned_data["lead"], list(form.cleaned_data["co"])
    shown = advice_service.advise_order(order)["departments"][:5]
    status = Status.DISPATCHED if order.status == Status.RECEIVED else (
        Status.REDISPATCHED if order.lead_department_id != lead.pk or order.status == Status.RETURN_REQUESTED
        else None)
    choice = RoutingChoice.objects.create(
        order=order, lead_department=lead, by=request.user,
        advice=[{k: d[k] for k in ("department_id", "name", "role", "confidence")} for d in shown],
        followed_advice=bool(shown and shown[0]["department_id"] == lead.pk))
    choice.co_departments.set(co)
    dispatch.assign(order, lead, co, by=request.user, status=status,
                    note="派单（" + ("采纳智能派单建议" if choice.followed_advice else "未采纳首选建议") + "）")
    audit.record(audit.AuditLog.Action.CHANGE, request=request, obj=choice, event="dispatch", order=order.order_no,
                 lead=lead.name)
    messages.success(request, f"已派单：主办 {lead}")
    return redirect("orders:detail", pk=order.pk)


@login_required
def notices(request):
    qs = svc.visible_notices(request.user)
    if request.method == "POST":
        qs.filter(read_at=None).update(read_at=timezone.now())
        return HttpResponse(status=204) if request.htmx else redirect("jurisdiction:notices")
    return render(request, "jurisdiction/notices.html", {"notices": qs[:100]})
