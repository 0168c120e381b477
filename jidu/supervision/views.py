from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jidu.core.files import serve_attachment
from jidu.documents.services import documents_for
from jidu.orders.models import WorkOrder
from jidu.orders.services import display_content
from jidu.org import scope
from jidu.supervision import forms, services
from jidu.supervision.models import CaseAttachment, SupervisionCase
from jidu.supervision.workflow import TERMINAL, Action, State, allowed_actions

VIEW = "supervision.view_supervisioncase"


def _case(request, pk):
    qs = SupervisionCase.objects.select_related("assignee", "opened_by")
    return scope.get_visible_or_404(request.user, qs, request=request, pk=pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def case_list(request):
    form = forms.FilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    qs = scope.restrict(request.user, SupervisionCase.objects.select_related("assignee")
                        .prefetch_related("departments"))
    state = data.get("state")
    if state == "open":
        qs = qs.exclude(state__in=TERMINAL)
    elif state:
        qs = qs.filter(state=state)
    if data.get("department"):
        qs = qs.filter(departments=data["department"])
    if data.get("overdue"):
        qs = qs.exclude(state__in=TERMINAL).filter(due_at__lt=timezone.now())
    if data.get("q"):
        qs = qs.filter(Q(subject__icontains=data["q"]) | Q(summary__icontains=data["q"]))
    page = Paginator(qs.distinct().order_by("-opened_at", "-id"), 30).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "supervision/list.html", {"form": form, "page": page, "querystring": params.urlencode()})


@login_required
@permission_required("supervision.add_supervisioncase", raise_exception=True)
def case_new(request):
    clue_id = request.GET.get("clue") or request.POST.get("clue")
    order = None
    if clue_id:
        order = scope.get_visible_or_404(request.user, WorkOrder.objects.select_related("lead_department", "area"),
                                         request=request, pk=clue_id)
    if request.method == "POST":
        form = forms.CaseForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = services.open_case(subject=d["subject"], summary=d["summary"], departments=d["departments"],
                                          orders=[order] if order else [], assignee=d["assignee"],
                                          by=request.user, request=request)
            except services.CaseError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"已立案：{case.number}")
                return redirect("supervision:detail", pk=case.pk)
    else:
        initial = {}
        if order is not None:
            grade = getattr(order, "grade", None)
            reasons = "；".join(grade.reasons or []) if grade else ""
            initial = {"subject": order.title or display_content(order)[:40],
                       "summary": (f"工单{order.order_no}（{timezone.localtime(order.received_at):%Y-%m-%d}受理）反映："
                                   f"{display_content(order)}"
                                   + (f"\n研判依据：{reasons}" if reasons else "")),
                       "departments": [order.lead_department] if order.lead_department_id else []}
        form = forms.CaseForm(initial=initial)
    existing = services.open_cases_for_order(order) if order else []
    return render(request, "supervision/new.html", {"form": form, "order": order, "existing": existing})


@login_required
@permission_required(VIEW, raise_exception=True)
def case_detail(request, pk):
    case = _case(request, pk)
    user = request.user
    can_change = user.has_perm("supervision.change_supervisioncase")
    in_case = services.user_department_in_case(user, case) is not None
    can_rectify = user.has_perm("supervision.rectify_supervisioncase") and in_case
    actions = allowed_actions(case.state)
    documents = scope.restrict(user, documents_for(case)).order_by("issued_at", "id")
    context = {
        "case": case, "steps": case.steps.select_related("assignee", "department", "finished_by")
        .prefetch_related("attachments"),
        "orders": scope.restrict(user, case.orders.select_related("grade", "lead_department")),
        "departments": case.departments.all(), "documents": documents,
        "rectifications": case.rectifications.select_related("department", "by", "reviewed_by")
        .prefetch_related("attachments"),
        "result": getattr(case, "result", None), "now": timezone.now(),
        "can_investigate": can_change and Action.INVESTIGATE in actions,
        "can_withdraw": can_change and Action.WITHDRAW in actions,
        "can_issue": can_change and user.has_perm("documents.add_officialdocument")
        and case.state in services.DOCUMENT_STATES,
        "can_deliver": Action.DELIVER in actions and (can_change or can_rectify),
        "can_rectify": can_rectify and case.state == State.RECTIFYING,
        "can_review": user.has_perm("supervision.review_supervisioncase") and case.state == State.REVIEWING,
        "can_apply": user.has_perm("supervision.add_caseresult") and case.state == State.CLOSED,
        "note_form": forms.NoteForm(), "issue_form": forms.IssueForm(case=case),
        "rect_form": forms.RectificationForm(), "review_form": forms.ReviewForm(), "result_form": forms.ResultForm(),
    }
    return render(request, "supervision/detail.html", context)


def _done(request, case, ok_message, error=None):
    if error:
        messages.error(request, error)
    else:
        messages.success(request, ok_message)
    return redirect("supervision:detail", pk=case.pk)


def _errors(form) -> str:
    return "；".join(e for errs in form.errors.values() for e in errs)


@login_required
@require_POST
def case_action(request, pk, action):
    case = _case(request, pk)
    if action not in (Action.INVESTIGATE, Action.DELIVER, Action.WITHDRAW):
        return _done(request, case, "", "未知的操作")
    allowed = request.user.has_perm("supervision.change_supervisioncase") or (
        action == Action.DELIVER and request.user.has_perm("supervision.rectify_supervisioncase")
        and services.user_department_in_case(request.user, case) is not None)
    if not allowed:
        raise PermissionDenied("无权办理该操作")
    form = forms.NoteForm(request.POST, request.FILES)
    if not form.is_valid():
        return _done(request, case, "", _errors(form))
    try:
        if action == Action.WITHDRAW:
            services.withdraw(case, by=request.user, note=form.cleaned_data["note"], request=request)
        else:
            services.advance(case, action, by=request.user, note=form.cleaned_data["note"],
                             files=form.cleaned_data["files"], request=request)
    except services.CaseError as exc:
        return _done(request, case, "", str(exc))
    return _done(request, case, f"已{Action(action).label}")


@login_required
@require_POST
def case_issue(request, pk):
    if not (request.user.has_perm("supervision.change_supervisioncase")
            and request.user.has_perm("documents.add_officialdocument")):
        raise PermissionDenied("无权制发监督文书")
    case = _case(request, pk)
    form = forms.IssueForm(request.POST, case=case)
    if not form.is_valid():
        return _done(request, case, "", _errors(form))
    d = form.cleaned_data
    try:
        doc = services.issue_case_document(case, d["doc_type"].code, by=request.user, addressee=d["addressee"],
                                           deadline=d["deadline"], extra=d["extra"], request=request)
    except services.CaseError as exc:
        return _done(request, case, "", str(exc))
    return _done(request, case, f"已制发{doc.doc_type.name}：{doc.number}")


@login_required
@require_POST
def case_rectify(request, pk):
    if not request.user.has_perm("supervision.rectify_supervisioncase"):
        raise PermissionDenied("无权提交整改报告")
    case = _case(request, pk)
    form = forms.RectificationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _done(request, case, "", _errors(form))
    try:
        services.submit_rectification(case, by=request.user, text=form.cleaned_data["text"],
                                      files=form.cleaned_data["files"], request=request)
    except services.CaseError as exc:
        return _done(request, case, "", str(exc))
    return _done(request, case, "整改报告已提交，等待监督机关复核")


@login_required
@require_POST
def case_review(request, pk):
    if not request.user.has_perm("supervision.review_supervisioncase"):
        raise PermissionDenied("无权复核")
    case = _case(request, pk)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        return _done(request, case, "", _errors(form))
    d = form.cleaned_data
    try:
        services.review(case, by=request.user, accept=d["decision"] == "accept", note=d["note"], on=d["deadline"],
                        request=request)
    except services.CaseError as exc:
        return _done(request, case, "", str(exc))
    return _done(request, case, "复核通过，已结案" if d["decision"] == "accept" else "已退回继续整改")


@login_required
@require_POST
def case_result(request, pk):
    if not request.user.has_perm("supervision.add_caseresult"):
        raise PermissionDenied("无权记录结果运用")
    case = _case(request, pk)
    form = forms.ResultForm(request.POST)
    if not form.is_valid():
        return _done(request, case, "", _errors(form))
    d = form.cleaned_data
    try:
        services.apply_result(case, by=request.user, score=d["score"], accountability=d["accountability"],
                              accountability_to=d["accountability_to"], rule_change=d["rule_change"],
                              list_entry=d["list_entry"], money_recovered=d["money_recovered"] or 0,
                              note=d["note"], request=request)
    except services.CaseError as exc:
        return _done(request, case, "", str(exc))
    return _done(request, case, "已记录结果运用")


@login_required
@permission_required(VIEW, raise_exception=True)
def attachment(request, pk):
    att = scope.get_visible_or_404(request.user, CaseAttachment.objects.select_related("case"), request=request,
                                   pk=pk)
    return serve_attachment(request, att, audit_event="download_case_attachment", case=att.case_id)
