from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jidu.core import audit
from jidu.dashboard import services


@require_GET
@login_required
@permission_required("measures.view_dashboard", raise_exception=True)
def index(request):
    form = services.DashboardForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        if "department" in form.errors and request.GET.get("department"):
            # Another department's figures: the same answer as for an object out of scope.
            audit.record(audit.AuditLog.Action.DENIED, request=request, object_type="org.department",
                         object_id=request.GET.get("department"), path=request.path)
            raise Http404("未找到该单位，或您无权查看")
        context = {"form": form, "error": True}
    else:
        if not request.GET:
            form = services.DashboardForm({}, user=request.user)
            form.is_valid()
        try:
            context = {"form": form, **services.build(request.user, form.cleaned_data)}
        except PermissionError as exc:
            context = {"form": form, "error": True, "message": str(exc)}
    context["echarts"] = services.echarts_available()
    context["echarts_static"] = services.ECHARTS_STATIC
    context["city_wide"] = services.scope.is_city_wide(request.user)
    template = "dashboard/_body.html" if request.htmx and request.htmx.target == "dashboard-body" \
        else "dashboard/index.html"
    return render(request, template, context)
