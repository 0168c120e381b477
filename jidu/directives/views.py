from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jidu.core import audit
from jidu.core.files import serve_attachment
from jidu.directives import forms
from jidu.directives import services as svc
from jidu.directives.models import Directive, DirectiveReply, Kind
from jidu.documents.services import DocumentError
from jidu.org import scope
from jidu.org.models import Department

PAGE_SIZE = 30
RELATED = ("order", "addressee", "rule", "issued_by", "closed_by")


def _visible(user):
    return scope.restrict(user, Directive.objects.select_related(*RELATED))


def _directive(request, pk):
    return scope.get_visible_or_404(request.user, Directive.objects.select_related(*RELATED, "order__lead_department"),
                                    request=request, pk=pk)


def _back(request, pk):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("directives:detail", pk=pk)


@login_required
@permission_required("directives.view_directive", raise_exception=True)
def directive_list(request):
    form = forms.FilterForm(request.GET)
    if not scope.is_city_wide(request.user):
        form.fields["department"].queryset = Department.objects.filter(pk__in=scope.department_ids(request.user))
    if not form.is_valid() and "department" in form.errors and request.GET.get("department"):
        audit.record(audit.AuditLog.Action.DENIED, request=request, object_type="org.department",
                     object_id=request.GET.get("department"), path=request.path)
        raise Http404("未找到该单位，或您无权查看")
    data = form.cleaned_data if form.is_valid() else {}
    qs = _visible(request.user)
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("state"):
        qs = qs.filter(state=data["state"])
    if data.get("department"):
        qs = qs.filter(addressee=data["department"])
    if data.get("overdue"):
        qs = qs.filter(state=Directive.State.ISSUED, reply_due__lt=timezone.now())
    if data.get("q"):
        term = data["q"].strip()
        qs = qs.filter(Q(order__order_no__icontains=term) | Q(document_number__icontains=term))
    qs = qs.annotate(open_first=Case(When(state__in=Directive.OPEN_STATES, then=Value(0)),
                                     When(state=Directive.State.PROPOSED, then=Value(1)), default=Value(2),
                                     output_field=IntegerField()))
    qs = qs.order_by("open_first", F("reply_due").asc(nulls_last=True), "-proposed_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "directives/list.html", {"form": form, "page": page, "querystring": params.urlencode(),
                                                    "now": timezone.now()})


@login_required
@permission_required("directives.issue_directive", raise_exception=True)
def proposals(request):
    kind = request.GET.get("kind", "")
    qs = _visible(request.user).filter(state=Directive.State.PROPOSED)
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    qs = qs.annotate(weight=Case(When(kind=Kind.RED, then=Value(0)), When(kind=Kind.DUBAN, then=Value(1)),
                                 default=Value(2), output_field=IntegerField()))
    page = Paginator(qs.order_by("weight", "-level", "proposed_at", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = {k: _visible(request.user).filter(state=Directive.State.PROPOSED, kind=k).count() for k in Kind.values}
    return render(request, "directives/proposals.html", {
        "page": page, "kind": kind, "kinds": Kind.choices, "counts": counts,
        "querystring": f"kind={kind}" if kind else "", "dismiss_form": forms.DismissForm()})


def detail_context(request, d, **extra):
    user = request.user
    can_issue = d.state == Directive.State.PROPOSED and user.has_perm("directives.issue_directive")
    can_reply = (d.state == Directive.State.ISSUED and user.has_perm("directives.reply_directive")
                 and user.department_id == d.addressee_id)
    can_review = d.state == Directive.State.REPLIED and user.has_perm("directives.review_directive")
    return {
        "d": d, "order": d.order, "orders": d.orders.select_related("lead_department").order_by("received_at"),
        "replies": d.replies.select_related("by", "department", "reviewed_by"),
        "events": d.events.select_related("actor"), "reminders": d.reminders.all(),
        "time_left": svc.reply_time_left(d),
        "can_issue": can_issue, "can_reply": can_reply, "can_review": can_review,
        "issue_form": extra.pop("issue_form", None) or forms.IssueForm(initial={
            "addressee": d.addressee_id or d.order.lead_department_id, "requirement": d.requirement}),
        "dismiss_form": extra.pop("dismiss_form", None) or forms.DismissForm(),
        "reply_form": extra.pop("reply_form", None) or forms.ReplyForm(),
        "review_form": extra.pop("review_form", None) or forms.ReviewForm(),
        **extra,
    }


@login_required
@permission_required("directives.view_directive", raise_exception=True)
def detail(request, pk):
    return render(request, "directives/detail.html", detail_context(request, _directive(request, pk)))


def _refused(request, d, exc, status, **forms_):
    messages.error(request, str(exc))
    d = _directive(request, d.pk)
    return render(request, "directives/detail.html", detail_context(request, d, **forms_), status=status)


@login_required
@require_POST
@permission_required("directives.issue_directive", raise_exception=True)
def issue(request, pk):
    d = _directive(request, pk)
    form = forms.IssueForm(request.POST)
    form.fields["addressee"].required = False
    if not form.is_valid():
        return _refused(request, d, "请检查督办对象和督办要求", 400, issue_form=form)
    requirement = form.cleaned_data["requirement"] if "requirement" in request.POST else None
    try:
        svc.issue(d, by=request.user, addressee=form.cleaned_data["addressee"], requirement=requirement)
    except PermissionDenied as exc:
        return _refused(request, d, exc, 403)
    except svc.DirectiveError as exc:
        return _refused(request, d, exc, 409)
    except DocumentError as exc:  # the template of the document type is broken: nothing was issued
        return _refused(request, d, f"公文生成失败，未签发：{exc}", 400)
    messages.success(request, f"已签发{d.get_kind_display()}#{d.pk}" +
                     (f"（文号 {d.document_number}）" if d.document_number else "") + f"，督办对象：{d.addressee}")
    return _back(request, pk)


@login_required
@require_POST
@permission_required("directives.issue_directive", raise_exception=True)
def dismiss(request, pk):
    d = _directive(request, pk)
    form = forms.DismissForm(request.POST)
    if not form.is_valid():
        return _refused(request, d, "请填写不予督办的理由", 400, dismiss_form=form)
    try:
        svc.dismiss(d, by=request.user, reason=form.cleaned_data["reason"])
    except svc.DirectiveError as exc:
        return _refused(request, d, exc, 409)
    messages.success(request, f"{d.get_kind_display()}#{d.pk} 不予督办")
    return _back(request, pk)


@login_required
@require_POST
@permission_required("directives.reply_directive", raise_exception=True)
def reply(request, pk):
    d = _directive(request, pk)
    form = forms.ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, d, "请填写回复内容", 400, reply_form=form)
    try:
        svc.reply(d, by=request.user, text=form.cleaned_data["text"], attachment=form.cleaned_data["attachment"])
    except PermissionDenied as exc:
        return _refused(request, d, exc, 403, reply_form=form)
    except svc.DirectiveError as exc:
        return _refused(request, d, exc, 400 if d.state == Directive.State.ISSUED else 409, reply_form=form)
    messages.success(request, "回复已提交，等待监督员审核")
    return redirect("directives:detail", pk=pk)


@login_required
@require_POST
@permission_required("directives.review_directive", raise_exception=True)
def review(request, pk):
    d = _directive(request, pk)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        return _refused(request, d, "请选择审核结果", 400, review_form=form)
    try:
        if form.cleaned_data["decision"] == "accept":
            svc.accept(d, by=request.user, note=form.cleaned_data["note"])
            messages.success(request, "已认可回复，督办办结")
        else:
            svc.return_reply(d, by=request.user, note=form.cleaned_data["note"])
            messages.success(request, f"已退回，请{d.addressee}于{svc._fmt(d.reply_due)}前重新回复")
    except svc.DirectiveError as exc:
        return _refused(request, d, exc, 400 if d.state == Directive.State.REPLIED else 409, review_form=form)
    return redirect("directives:detail", pk=pk)


@login_required
@permission_required("directives.view_directive", raise_exception=True)
def attachment(request, pk):
    r = scope.get_visible_or_404(request.user, DirectiveReply.objects.select_related("directive"), request=request,
                                 pk=pk)
    if not r.attachment:
        raise Http404("该回复没有附件")
    return serve_attachment(request, r, file=r.attachment, filename=r.attachment_name, directive=r.directive_id)


@login_required
@require_POST
@permission_required("directives.issue_directive", raise_exception=True)
def start(request, order_pk):
    """发起督办 from the order page: a proposal without a rule, opened for the supervisor to issue."""
    from jidu.orders.models import WorkOrder

    order = scope.get_visible_or_404(request.user, WorkOrder.objects.all(), request=request, pk=order_pk)
    form = forms.StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择督办类型并填写督办事由")
        return redirect("orders:detail", pk=order.pk)
    try:
        d = svc.propose_manually(order, by=request.user, kind=form.cleaned_data["kind"],
                                 reason=form.cleaned_data["reason"])
    except svc.DirectiveError as exc:
        messages.error(request, str(exc))
        return redirect("orders:detail", pk=order.pk)
    messages.success(request, f"已发起{d.get_kind_display()}#{d.pk}，请确认督办对象和要求后签发")
    return redirect("directives:detail", pk=d.pk)
