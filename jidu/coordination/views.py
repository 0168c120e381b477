"""Pages of coordination. Views stay thin: scope, permission, form → services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jidu.coordination import forms
from jidu.coordination import services as svc
from jidu.coordination.models import (
    Consultation, ConsultationMaterial, FindingPhoto, FollowUpTask, Guidance, Inspection, Rectification,
)
from jidu.core.files import serve_attachment
from jidu.jurisdiction.models import Dispute
from jidu.org import scope
from jidu.orders.models import WorkOrder

PAGE_SIZE = 30
ERRORS = (svc.CoordinationError, PermissionDenied)


def _page(request, qs):
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def _orders(request, numbers) -> list[WorkOrder]:
    """Order numbers the user may see; unknown ones raise a clear error."""
    if not numbers:
        return []
    found = {o.order_no: o for o in scope.restrict(request.user, WorkOrder.objects.filter(order_no__in=numbers))}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise svc.CoordinationError("未找到工单：" + "、".join(missing))
    return [found[n] for n in numbers]


def _disputes(request, ids) -> list[Dispute]:
    if not ids:
        return []
    found = {d.pk: d for d in scope.restrict(request.user, Dispute.objects.filter(pk__in=ids))}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise svc.CoordinationError("未找到派单争议：#" + "、#".join(missing))
    return [found[i] for i in ids]


def _fail(request, exc):
    messages.error(request, str(exc))


def _form_page(request, form, save, *, success, target, **context):
    """Show a create/edit form. On a valid POST run ``save()`` (it returns the object), say
    ``success`` (text, or a function of the object) and go to ``target`` (a URL name taking pk); a
    domain error is shown on the form and nothing is saved."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save()
            messages.success(request, success(obj) if callable(success) else success)
            return redirect(target, pk=obj.pk)
        except ERRORS as exc:
            _fail(request, exc)
    return render(request, "coordination/form.html", {"form": form, **context},
                  status=400 if request.method == "POST" else 200)


@login_required
def index(request):
    if request.user.has_perm("coordination.view_consultation"):
        return redirect("coordination:consultations")
    raise PermissionDenied


# ------------------------------------------------------------------------------------------ consultations
def _consultation(request, pk):
    return scope.get_visible_or_404(request.user, Consultation.objects.select_related("convened_by"),
                                    request=request, pk=pk)


@login_required
@permission_required("coordination.view_consultation", raise_exception=True)
def consultations(request):
    form = forms.ConsultationFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    qs = scope.restrict(request.user, Consultation.objects.select_related("convened_by"))
    if data.get("q"):
        qs = qs.filter(Q(topic__icontains=data["q"]) | Q(conclusions__icontains=data["q"]))
    if data.get("state"):
        qs = qs.filter(state=data["state"])
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("department"):
        qs = qs.filter(departments=data["department"])
    qs = qs.annotate(n_tasks=Count("tasks", distinct=True),
                     n_open=Count("tasks", filter=Q(tasks__done=False), distinct=True)).prefetch_related("departments")
    page, querystring = _page(request, qs.order_by("-scheduled_at", "-id"))
    return render(request, "coordination/consultations.html", {"form": form, "page": page, "querystring": querystring})


def _consultation_form_save(request, form, obj=None):
    d = form.cleaned_data
    orders = _orders(request, d["order_numbers"])
    disputes = _disputes(request, d["dispute_ids"])
    values = {k: d[k] for k in ("topic", "kind", "scheduled_at", "place", "description")}
    if obj is None:
        return svc.create_consultation(by=request.user, departments=d["departments"], orders=orders,
                                       disputes=disputes, **values)
    return svc.update_consultation(obj, by=request.user, departments=d["departments"], orders=orders,
                                   disputes=disputes, **values)


@login_required
@permission_required("coordination.add_consultation", raise_exception=True)
def consultation_new(request):
    initial = {"order_numbers": request.GET.get("order", ""), "dispute_ids": request.GET.get("dispute", "")}
    form = forms.ConsultationForm(request.POST or None, initial=initial)
    return _form_page(request, form, lambda: _consultation_form_save(request, form),
                      success="会商会审已创建，已通知参会部门", target="coordination:consultation",
                      title="新建会商会审", back="coordination:consultations")


@login_required
@permission_required("coordination.change_consultation", raise_exception=True)
def consultation_edit(request, pk):
    obj = _consultation(request, pk)
    initial = {"departments": list(obj.departments.all()),
               "order_numbers": " ".join(obj.orders.values_list("order_no", flat=True)),
               "dispute_ids": " ".join(str(i) for i in obj.disputes.values_list("pk", flat=True))}
    form = forms.ConsultationForm(request.POST or None, instance=obj, initial=initial)
    return _form_page(request, form, lambda: _consultation_form_save(request, form, obj),
                      success="已保存", target="coordination:consultation", title=f"修改：{obj.topic}", obj=obj)


def consultation_context(request, obj, **extra):
    user = request.user
    tasks = list(obj.tasks.select_related("owner_department", "owner_user", "done_by"))
    for t in tasks:
        t.can_report = (not t.done and user.has_perm("coordination.report_followup")
                        and (svc.is_supervisor(user) or user.department_id == t.owner_department_id))
    manage = user.has_perm("coordination.change_consultation")
    return {
        "c": obj, "tasks": tasks, "materials": obj.materials.select_related("uploaded_by"),
        "departments": obj.departments.all(), "orders": scope.restrict(user, obj.orders.all()),
        "disputes": scope.restrict(user, obj.disputes.select_related("order")),
        "entry_changes": obj.entry_changes.select_related("entry", "by"), "manage": manage,
        "minutes_form": forms.MinutesForm(initial={"minutes": obj.minutes}),
        "conclusions_form": forms.ConclusionsForm(initial={"conclusions": obj.conclusions}),
        "materials_form": forms.MaterialsForm(), "task_form": extra.pop("task_form", None) or forms.TaskForm(),
        "entry_form": extra.pop("entry_form", None) or forms.EntryForm(), "done_form": forms.DoneForm(),
        "can_add_task": manage and user.has_perm("coordination.add_followuptask")
        and obj.state in (Consultation.State.HELD, Consultation.State.CONCLUDED),
        "can_close": manage and obj.state == Consultation.State.CONCLUDED and not any(not t.done for t in tasks),
        **extra,
    }


@login_required
@permission_required("coordination.view_consultation", raise_exception=True)
def consultation(request, pk):
    obj = _consultation(request, pk)
    return render(request, "coordination/consultation.html", consultation_context(request, obj))


def _consultation_action(request, pk, action):
    obj = _consultation(request, pk)
    try:
        action(obj)
    except ERRORS as exc:
        _fail(request, exc)
    return redirect("coordination:consultation", pk=pk)


@login_required
@require_POST
@permission_required("coordination.change_consultation", raise_exception=True)
def consultation_hold(request, pk):
    def act(obj):
        svc.hold(obj, by=request.user, minutes=request.POST.get("minutes", ""))
        messages.success(request, "已登记会议召开和纪要")
    return _consultation_action(request, pk, act)


@login_required
@require_POST
@permission_required("coordination.change_consultation", raise_exception=True)
def consultation_conclude(request, pk):
    def act(obj):
        svc.conclude(obj, by=request.user, conclusions=request.POST.get("conclusions", ""))
        messages.success(request, "已形成结论，已通知参会部门")
    return _consultation_action(request, pk, act)


@login_required
@require_POST
@permission_required("coordination.change_consultation", raise_exception=True)
def consultation_close(request, pk):
    def act(obj):
        svc.close(obj, by=request.user)
        messages.success(request, "已办结")
    return _consultation_action(request, pk, act)


@login_required
@require_POST
@permission_required("coordination.change_consultation", raise_exception=True)
def consultation_materials(request, pk):
    form = forms.MaterialsForm(request.POST, request.FILES)

    def act(obj):
        if not form.is_valid() or not form.cleaned_data["files"]:
            raise svc.CoordinationError("请选择要上传的材料")
        saved = svc.add_materials(obj, form.cleaned_data["files"], by=request.user)
        messages.success(request, f"已上传{len(saved)}份材料")
    return _consultation_action(request, pk, act)


@login_required
@permission_required("coordination.view_consultation", raise_exception=True)
def material(request, pk):
    obj = scope.get_visible_or_404(request.user, ConsultationMaterial.objects.select_related("consultation"),
                                   request=request, pk=pk)
    return serve_attachment(request, obj)


@login_required
@require_POST
@permission_required("coordination.add_followuptask", raise_exception=True)
def task_add(request, pk):
    obj = _consultation(request, pk)
    form = forms.TaskForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            svc.add_task(obj, by=request.user, text=d["text"], owner_department=d["owner_department"],
                         owner_user=d["owner_user"], working_days=d["working_days"])
            messages.success(request, "已布置跟进任务，已通知责任部门")
            return redirect("coordination:consultation", pk=pk)
        except ERRORS as exc:
            _fail(request, exc)
    return render(request, "coordination/consultation.html",
                  consultation_context(request, obj, task_form=form), status=400)


@login_required
@require_POST
@permission_required("coordination.report_followup", raise_exception=True)
def task_done(request, pk):
    task = scope.get_visible_or_404(request.user, FollowUpTask.objects.select_related("consultation"),
                                    request=request, pk=pk)
    try:
        svc.complete_task(task, by=request.user, note=request.POST.get("note", ""))
        messages.success(request, "已报告完成情况")
    except ERRORS as exc:
        _fail(request, exc)
    return redirect("coordination:consultation", pk=task.consultation_id)


@login_required
@require_POST
@permission_required("coordination.change_consultation", raise_exception=True)
def consultation_entry(request, pk):
    if not request.user.has_perm("jurisdiction.change_listentry"):
        raise PermissionDenied
    obj = _consultation(request, pk)
    form = forms.EntryForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            link = svc.apply_to_list(obj, by=request.user, entry=d["entry"] if d["mode"] == "amend" else None,
                                     code=d["code"], changes=form.changes())
            messages.success(request, f"已{link.get_action_display()}：{link.entry}（第{link.version_number}版）")
            return redirect("coordination:consultation", pk=pk)
        except ERRORS as exc:
            _fail(request, exc)
    return render(request, "coordination/consultation.html",
                  consultation_context(request, obj, entry_form=form), status=400)


# ------------------------------------------------------------------------------------------ inspections
def _inspection(request, pk):
    return scope.get_visible_or_404(request.user, Inspection.objects.select_related("area", "created_by"),
                                    request=request, pk=pk)


@login_required
@permission_required("coordination.view_inspection", raise_exception=True)
def inspections(request):
    form = forms.InspectionFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    qs = scope.restrict(request.user, Inspection.objects.select_related("area"))
    if data.get("q"):
        qs = qs.filter(Q(title__icontains=data["q"]) | Q(themes__icontains=data["q"]))
    if data.get("state"):
        qs = qs.filter(state=data["state"])
    if data.get("area"):
        qs = qs.filter(Q(area=data["area"]) | Q(area__parent=data["area"]))
    if data.get("department"):
        qs = qs.filter(departments=data["department"])
    qs = qs.annotate(n_findings=Count("findings", distinct=True), n_cases=Count("cases", distinct=True),
                     n_rect=Count("rectifications", distinct=True),
                     n_rect_done=Count("rectifications", filter=Q(rectifications__done=True), distinct=True))
    page, querystring = _page(request, qs.prefetch_related("departments").order_by("-start_date", "-id"))
    return render(request, "coordination/inspections.html", {"form": form, "page": page, "querystring": querystring})


def _inspection_save(request, form, obj=None):
    d = form.cleaned_data
    orders = _orders(request, d["order_numbers"])
    values = {k: d[k] for k in ("title", "area", "start_date", "end_date", "themes")}
    if obj is None:
        return svc.create_inspection(by=request.user, departments=d["departments"], problem_types=d["problem_types"],
                                     orders=orders, **values)
    return svc.update_inspection(obj, by=request.user, departments=d["departments"],
                                 problem_types=d["problem_types"], orders=orders, **values)


@login_required
@permission_required("coordination.add_inspection", raise_exception=True)
def inspection_new(request):
    form = forms.InspectionForm(request.POST or None, initial={"order_numbers": request.GET.get("order", "")})
    return _form_page(request, form, lambda: _inspection_save(request, form),
                      success="联合巡查计划已创建，已通知参加部门", target="coordination:inspection",
                      title="新建联合巡查", back="coordination:inspections")


@login_required
@permission_required("coordination.change_inspection", raise_exception=True)
def inspection_edit(request, pk):
    obj = _inspection(request, pk)
    initial = {"departments": list(obj.departments.all()), "problem_types": list(obj.problem_types.all()),
               "order_numbers": " ".join(obj.orders.values_list("order_no", flat=True))}
    form = forms.InspectionForm(request.POST or None, instance=obj, initial=initial)
    return _form_page(request, form, lambda: _inspection_save(request, form, obj),
                      success="已保存", target="coordination:inspection", title=f"修改：{obj.title}", obj=obj)


def inspection_context(request, obj, **extra):
    user = request.user
    rects = list(obj.rectifications.select_related("department", "finding", "done_by"))
    for r in rects:
        r.can_report = (not r.done and user.has_perm("coordination.report_rectification")
                        and (svc.is_supervisor(user) or user.department_id == r.department_id))
    manage = user.has_perm("coordination.change_inspection")
    return {
        "i": obj, "departments": obj.departments.all(), "problem_types": obj.problem_types.all(),
        "findings": obj.findings.select_related("problem_type", "recorded_by").prefetch_related("photos"),
        "cases": obj.cases.select_related("department", "finding"), "rectifications": rects,
        "businesses": obj.businesses.all(), "orders": scope.restrict(user, obj.orders.all()),
        "manage": manage, "recording": manage and obj.state == Inspection.State.IN_PROGRESS,
        "finding_form": extra.pop("finding_form", None) or forms.FindingForm(),
        "case_form": forms.CaseForm(), "rect_form": forms.RectificationForm(),
        "business_form": extra.pop("business_form", None) or forms.BusinessForm(), "done_form": forms.DoneForm(),
        **extra,
    }


@login_required
@permission_required("coordination.view_inspection", raise_exception=True)
def inspection(request, pk):
    return render(request, "coordination/inspection.html", inspection_context(request, _inspection(request, pk)))


@login_required
@require_POST
@permission_required("coordination.change_inspection", raise_exception=True)
def inspection_transition(request, pk):
    obj = _inspection(request, pk)
    try:
        if request.POST.get("to") == "in_progress":
            svc.start_inspection(obj, by=request.user)
            messages.success(request, "已开始巡查")
        elif request.POST.get("to") == "completed":
            svc.complete_inspection(obj, by=request.user, summary=request.POST.get("summary", ""))
            messages.success(request, "巡查已完成")
        else:
            raise svc.CoordinationError("未知操作")
    except ERRORS as exc:
        _fail(request, exc)
    return redirect("coordination:inspection", pk=pk)


@login_required
@require_POST
@permission_required("coordination.change_inspection", raise_exception=True)
def finding_add(request, pk):
    obj = _inspection(request, pk)
    form = forms.FindingForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            svc.add_finding(obj, by=request.user, place=d["place"], description=d["description"],
                            business_name=d["business_name"], uscc=d["uscc"], problem_type=d["problem_type"],
                            photos=d["photos"])
            messages.success(request, "已记录巡查发现")
            return redirect("coordination:inspection", pk=pk)
        except svc.CoordinationError as exc:
            form.add_error("uscc" if "信用代码" in str(exc) else None, str(exc))
    return render(request, "coordination/inspection.html", inspection_context(request, obj, finding_form=form),
                  status=400)


@login_required
@require_POST
@permission_required("coordination.change_inspection", raise_exception=True)
def case_add(request, pk):
    obj = _inspection(request, pk)
    form = forms.CaseForm(request.POST)
    try:
        if not form.is_valid():
            raise svc.CoordinationError("请填写案件编号和立案部门")
        d = form.cleaned_data
        finding = obj.findings.filter(pk=request.POST.get("finding") or 0).first()
        svc.add_case(obj, by=request.user, number=d["number"], department=d["department"], note=d["note"],
                     finding=finding)
        messages.success(request, "已登记立案")
    except ERRORS as exc:
        _fail(request, exc)
    return redirect("coordination:inspection", pk=pk)


@login_required
@require_POST
@permission_required("coordination.change_inspection", raise_exception=True)
def rectification_add(request, pk):
    obj = _inspection(request, pk)
    form = forms.RectificationForm(request.POST)
    try:
        if not form.is_valid():
            raise svc.CoordinationError("请填写整改责任部门、整改要求和整改期限")
        d = form.cleaned_data
        finding = obj.findings.filter(pk=request.POST.get("finding") or 0).first()
        svc.add_rectification(obj, by=request.user, department=d["department"], description=d["description"],
                              deadline=d["deadline"], finding=finding)
        messages.success(request, "已布置整改，已通知责任部门")
    except ERRORS as exc:
        _fail(request, exc)
    return redirect("coordination:inspection", pk=pk)


@login_required
@require_POST
@permission_required("coordination.report_rectification", raise_exception=True)
def rectification_done(request, pk):
    r = scope.get_visible_or_404(request.user, Rectification.objects.all(), request=request, pk=pk)
    try:
        svc.complete_rectification(r, by=request.user, note=request.POST.get("note", ""))
        messages.success(request, "已报告整改情况")
    except ERRORS as exc:
        _fail(request, exc)
    return redirect("coordination:inspection", pk=r.inspection_id)


@login_required
@require_POST
@permission_required("coordination.change_inspection", raise_exception=True)
def business_add(request, pk):
    obj = _inspection(request, pk)
    form = forms.BusinessForm(request.POST)
    if form.is_valid():
        try:
            svc.add_business(obj, by=request.user, name=form.cleaned_data["name"], uscc=form.cleaned_data["uscc"])
            messages.success(request, "已关联经营主体")
            return redirect("coordination:inspection", pk=pk)
        except svc.CoordinationError as exc:
            form.add_error("uscc", str(exc))
    return render(request, "coordination/inspection.html", inspection_context(request, obj, business_form=form),
                  status=400)


@login_required
@permission_required("coordination.view_inspection", raise_exception=True)
def photo(request, pk):
    obj = scope.get_visible_or_404(request.user, FindingPhoto.objects.select_related("finding"), request=request,
                                   pk=pk)
    return serve_attachment(request, obj, inline=True)


# ------------------------------------------------------------------------------------------ guidance
def _guidance(request, pk):
    return scope.get_visible_or_404(request.user, Guidance.objects.select_related(
        "order", "department", "issued_by", "acknowledged_by", "acted_by"), request=request, pk=pk)


@login_required
@permission_required("coordination.view_guidance", raise_exception=True)
def guidances(request):
    form = forms.GuidanceFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    qs = scope.restrict(request.user, Guidance.objects.select_related("order", "department", "issued_by"))
    if data.get("state"):
        qs = qs.filter(state=data["state"])
    if data.get("department"):
        qs = qs.filter(department=data["department"])
    page, querystring = _page(request, qs.order_by("-issued_at", "-id"))
    return render(request, "coordination/guidances.html", {"form": form, "page": page, "querystring": querystring,
                                                           "now": timezone.now()})


@login_required
@permission_required("coordination.add_guidance", raise_exception=True)
def guidance_new(request):
    form = forms.GuidanceForm(request.POST or None, initial={"order_no": request.GET.get("order", ""),
                                                             "working_days": svc.default_guidance_days()})

    def save():
        d = form.cleaned_data
        order = _orders(request, [d["order_no"].strip()])[0] if d["order_no"].strip() else None
        return svc.issue_guidance(by=request.user, department=d["department"], order=order, text=d["text"],
                                  requested_action=d["requested_action"], legal_basis=d["legal_basis"],
                                  working_days=d["working_days"])

    return _form_page(request, form, save, success=lambda g: f"介入指导已下达{g.department}",
                      target="coordination:guidance", title="下达介入指导", back="coordination:guidances")


@login_required
@permission_required("coordination.view_guidance", raise_exception=True)
def guidance(request, pk):
    g = _guidance(request, pk)
    user = request.user
    can_respond = (g.is_open and user.has_perm("coordination.respond_guidance")
                   and (svc.is_supervisor(user) or user.department_id == g.department_id))
    return render(request, "coordination/guidance.html", {
        "g": g, "can_respond": can_respond, "ack_form": forms.AcknowledgeForm(), "act_form": forms.ActForm(),
        "now": timezone.now()})


@login_required
@require_POST
@permission_required("coordination.respond_guidance", raise_exception=True)
def guidance_ack(request, pk):
    g = _guidance(request, pk)
    try:
        svc.acknowledge_guidance(g, by=request.user, note=request.POST.get("note", ""))
        messages.success(request, "已签收")
    except ERRORS as exc:
        _fail(request, exc)
    return redirect("coordination:guidance", pk=pk)


@login_required
@require_POST
@permission_required("coordination.respond_guidance", raise_exception=True)
def guidance_act(request, pk):
    g = _guidance(request, pk)
    try:
        svc.report_action(g, by=request.user, action_taken=request.POST.get("action_taken", ""))
        messages.success(request, "已报告落实情况")
    except ERRORS as exc:
        _fail(request, exc)
    return redirect("coordination:guidance", pk=pk)

