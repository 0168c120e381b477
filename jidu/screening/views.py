from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jidu.org import scope
from jidu.orders.models import WorkOrder
from jidu.screening import services
from jidu.screening.forms import CorrectionForm, RuleForm, TryRuleForm
from jidu.screening.models import Correction, Label, OrderScreening, Provenance, ReviewState, Rule
from jidu.screening.rules import try_rule

TRY_LIMIT = 1000
LABEL_ORDER = ["enforcement", "kind", "field", "problem", "tourism"]


# ---- the panel on the order page ---------------------------------------------------------------
def _display_value(label, screening, decision):
    if label in ("enforcement", "tourism"):
        value = getattr(screening, label)
        return "—" if value is None else ("是" if value else "否")
    if label == "kind":
        return screening.get_kind_display() or "—"
    if label == "field":
        return screening.field.name if screening.field_id else "—"
    return ""


def panel_context(order, user, *, csrf_token=None, message=None) -> dict:
    """What the screening panel shows; the order has already been scope-checked by the caller."""
    if not user.has_perm("screening.view_orderscreening"):
        return {"visible": False}
    screening = (OrderScreening.objects.select_related("field", "model_version").filter(order=order).first())
    can_correct = user.has_perm("screening.add_correction")
    rows, problems = [], []
    states, bys = dict(ReviewState.choices), dict(Provenance.choices)
    if screening is not None:
        decisions = services.decisions_of(screening)
        for label in ("enforcement", "kind", "field", "tourism"):
            d = decisions.get(label)
            if d is None and label == "kind":
                continue
            guess = services._display(label, d.guess) if d is not None and d.guess is not None else ""
            rows.append({"label": label, "name": dict(Label.choices)[label],
                         "value": _display_value(label, screening, d), "guess": guess,
                         "by": bys.get(d.by, "") if d else "", "by_code": d.by if d else "",
                         "score": d.score if d and d.by == Provenance.MODEL else None,
                         "state": states.get(d.state, "") if d else "", "state_code": d.state if d else "",
                         "rule": d.rule if d else None, "evidence": d.evidence if d else None})
        for p in screening.problems.select_related("problem").order_by("-score", "id"):
            problems.append({"name": p.problem.name, "by": p.get_provenance_display(), "by_code": p.provenance,
                             "score": p.score if p.provenance == Provenance.MODEL else None,
                             "state": p.get_state_display()})
    forms = []
    if can_correct:
        for label in LABEL_ORDER:
            current = services.current_value(screening, label)
            forms.append(CorrectionForm(label, current=current))
    corrections = list(Correction.objects.filter(order=order).select_related("by")[:5])
    entities = (screening.entities if screening else {}) or {}
    return {"visible": True, "order": order, "screening": screening, "rows": rows, "problems": problems,
            "entities": entities, "can_correct": can_correct, "forms": forms, "corrections": corrections,
            "csrf_token": csrf_token, "message": message}


def _order(request, pk):
    return scope.get_visible_or_404(request.user, WorkOrder.objects.all(), request=request, pk=pk)


@login_required
@require_POST
def correct(request, pk, label):
    if label not in Label.values:
        raise PermissionDenied("未知的标签")
    order = _order(request, pk)
    if not request.user.has_perm("screening.add_correction"):
        raise PermissionDenied("您没有修正筛查结果的权限")
    screening = OrderScreening.objects.filter(order=order).first()
    form = CorrectionForm(label, request.POST, current=services.current_value(screening, label))
    message = None
    if form.is_valid():
        try:
            services.correct(order, label, form.value(), user=request.user, note=form.cleaned_data.get("note", ""))
            message = ("success", f"已确认：{form.label_display}")
        except ValidationError as exc:
            message = ("error", "；".join(exc.messages))
    else:
        message = ("error", "；".join(e for errs in form.errors.values() for e in errs))
    if request.htmx:
        context = panel_context(order, request.user, csrf_token=get_token(request), message=message)
        return render(request, "screening/_panel_body.html", context)
    getattr(messages, message[0])(request, message[1])
    return redirect("orders:detail", pk=order.pk)


# ---- rules -------------------------------------------------------------------------------------
@login_required
@permission_required("screening.view_rule", raise_exception=True)
def rules(request):
    qs = Rule.objects.all()
    label = request.GET.get("label")
    if label in Label.values:
        qs = qs.filter(label=label)
    return render(request, "screening/rules.html", {"rules": qs, "labels": Label.choices, "current_label": label})


def _values_context():
    from jidu.org.models import Field, ProblemType

    return {"field_names": list(Field.objects.values_list("name", flat=True)),
            "problem_names": list(ProblemType.objects.values_list("name", flat=True))}


def _rule_form(request, instance=None):
    form = RuleForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        rule = form.save(commit=False)
        if rule.created_by_id is None:
            rule.created_by = request.user
        rule.save()
        messages.success(request, f"规则“{rule.name}”已保存")
        return redirect("screening:rules")
    return render(request, "screening/rule_form.html", {"form": form, "rule": instance, **_values_context()})


@login_required
@permission_required("screening.add_rule", raise_exception=True)
def rule_create(request):
    return _rule_form(request)


@login_required
@permission_required("screening.change_rule", raise_exception=True)
def rule_edit(request, pk):
    return _rule_form(request, get_object_or_404(Rule, pk=pk))


@login_required
@require_POST
def rule_try(request):
    """试运行: how many of the last 1,000 orders the rule in the form would match (htmx)."""
    if not (request.user.has_perm("screening.add_rule") or request.user.has_perm("screening.change_rule")):
        raise PermissionDenied("您没有编辑规则的权限")
    form = TryRuleForm(request.POST)
    result = None
    if form.is_valid():
        result = try_rule(form.instance, limit=TRY_LIMIT,
                          queryset=scope.restrict(request.user, WorkOrder.objects.all()))
    return render(request, "screening/_try_result.html", {"form": form, "result": result, "limit": TRY_LIMIT})


@login_required
@require_POST
@permission_required("screening.change_rule", raise_exception=True)
def rule_toggle(request, pk):
    rule = get_object_or_404(Rule, pk=pk)
    rule.active = not rule.active
    rule.save(update_fields=["active", "updated_at"])
    if request.htmx:
        return render(request, "screening/_rule_row.html", {"rule": rule, "perms_change": True})
    messages.success(request, f"规则“{rule.name}”已{'启用' if rule.active else '停用'}")
    return redirect("screening:rules")
