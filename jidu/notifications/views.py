from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jidu.core import audit
from jidu.notifications import services
from jidu.notifications.forms import PreferenceForm
from jidu.notifications.models import Notification


def own_or_404(request, pk) -> Notification:
    """The user's own notification; anyone else's is a 404, and the attempt is audited."""
    try:
        return services.inbox(request.user).get(pk=pk)
    except Notification.DoesNotExist:
        if Notification.objects.filter(pk=pk).exists():
            audit.record(audit.AuditLog.Action.DENIED, request=request,
                         object_type="notifications.notification", object_id=str(pk), lookup={"pk": str(pk)})
        raise Http404("未找到该消息，或您无权查看") from None


@login_required
def inbox(request):
    qs = services.inbox(request.user)
    show = request.GET.get("show", "")
    if show == "unread":
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html",
                  {"page": page, "show": show, "unread": services.unread_count(request.user)})


@login_required
def detail(request, pk):
    n = own_or_404(request, pk)
    if n.read_at is None:
        services.mark_read(request.user, [n.pk])
        n.read_at = timezone.now()
    if request.GET.get("go") and n.url and url_has_allowed_host_and_scheme(n.url, {request.get_host()}):
        return redirect(n.url)
    return render(request, "notifications/detail.html", {"n": n})


@login_required
@require_POST
def mark_read(request, pk):
    n = own_or_404(request, pk)
    services.mark_read(request.user, [n.pk])
    if request.htmx:
        return render(request, "notifications/_badge.html", {"unread": services.unread_count(request.user)})
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(request.user)
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    return redirect("notifications:inbox")


def badge(request):
    if not request.user.is_authenticated:  # session ended: leave the nav as it is (no login page swapped in)
        return HttpResponse(status=204)
    return render(request, "notifications/_badge.html", {"unread": services.unread_count(request.user)})


@login_required
def preferences(request):
    from jidu.notifications.models import Preference

    pref = Preference.objects.filter(user=request.user).first()
    form = PreferenceForm(request.POST or None, instance=pref, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record(audit.AuditLog.Action.CHANGE, request=request, obj=form.instance,
                     event="notification_preferences")
        from django.contrib import messages

        messages.success(request, "通知设置已保存")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
