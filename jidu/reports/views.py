from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from jidu.core import audit
from jidu.org import scope
from jidu.reports import services
from jidu.reports.forms import GenerateForm
from jidu.reports.models import Kind, Report

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def view_permission(view):
    """reports.view_report required; a refusal is a 403 and is audited (a department handler
    trying a report's URL leaves a trace)."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("reports.view_report"):
            audit.record(audit.AuditLog.Action.DENIED, request=request, object_type="reports.report",
                         object_id=str(kwargs.get("pk", "")), path=request.path, reason="无查看报告权限")
            return HttpResponse("您没有查看分析报告的权限", status=403)
        return view(request, *args, **kwargs)
    return wrapped


@login_required
@view_permission
def archive(request):
    form = GenerateForm(request.POST or None, initial={"kind": Kind.DAILY})
    if request.method == "POST":
        if not request.user.has_perm("reports.generate_report"):
            return HttpResponse("您没有生成报告的权限", status=403)
        if form.is_valid():
            try:
                report, created = services.request_report(form.cleaned_data["kind"], form.cleaned_data["start"],
                                                          by=request.user, **form.params())
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                if created:
                    messages.success(request, f"已提交生成：{report.get_kind_display()} {report.period_label}"
                                              f"（第{report.version}版）。")
                else:
                    messages.info(request, "同一报告正在生成中，未重复提交。")
                return redirect("reports:detail", pk=report.pk)
    reports = scope.restrict(request.user, Report.objects.select_related("by"))
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        reports = reports.filter(kind=kind)
    if request.GET.get("all") != "1":
        reports = reports.filter(current=True)
    return render(request, "reports/archive.html", {
        "form": form, "reports": reports[:200], "kinds": Kind.choices, "kind": kind,
        "show_all": request.GET.get("all") == "1",
    })


def _report(request, pk):
    return scope.get_visible_or_404(request.user, Report.objects.select_related("by"), request=request, pk=pk)


@login_required
@view_permission
def detail(request, pk):
    report = _report(request, pk)
    versions = Report.objects.filter(kind=report.kind, period_start=report.period_start,
                                     period_end=report.period_end, params_key=report.params_key).order_by("-version")
    return render(request, "reports/detail.html", {"report": report, "versions": versions})


@login_required
@view_permission
def progress(request, pk):
    return render(request, "reports/_progress.html", {"report": _report(request, pk)})


@login_required
@view_permission
def download(request, pk, fmt):
    report = _report(request, pk)
    file = getattr(report, fmt, None) if fmt in CONTENT_TYPES else None
    if report.status != Report.Status.DONE or not file:
        raise Http404("该报告尚未生成完成")
    audit.record(audit.AuditLog.Action.EXPORT, request=request, obj=report, event="report_download", format=fmt,
                 title=report.title, version=report.version)
    name = f"{report.title or report}（第{report.version}版）.{fmt}"
    return FileResponse(file.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])
