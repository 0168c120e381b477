from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jidu.grading import services
from jidu.grading.forms import CalendarEventForm, ClueFilterForm, DowngradeForm
from jidu.grading.models import CalendarEvent, Colour, ColourLevel
from jidu.grading.templatetags.grading_tags import panel_context
from jidu.orders.models import FINISHED_STATUSES, OPEN_STATUSES, WorkOrder
from jidu.orders.services import received_between, search_text
from jidu.org import scope

PAGE_SIZE = 30
# Screening states in which a person still has to decide whether the order is about enforcement.
UNDECIDED_STATES = ["suggested", "pending"]


def clue_orders(user):
    """Enforcement-related orders (or undecided ones) the user may see, as clues."""
    qs = WorkOrder.objects.select_related("area", "lead_department", "grade", "screening", "screening__field")
    return scope.restrict(user, qs).filter(
        Q(screening__enforcement=True) | Q(screening__state__in=UNDECIDED_STATES))


def colour_rank():
    sorts = {lv.code: lv.sort for lv in ColourLevel.objects.all()}
    whens = [When(grade__colour=code, then=Value(sorts.get(code, n))) for n, code in enumerate(Colour.values, 1)]
    return Case(*whens, default=Value(10_000), output_field=IntegerField())


def apply_filters(qs, data):
    handling = data.get("handling") or "open"  # by default: what still needs acting on
    if handling == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif handling == "finished":
        qs = qs.filter(status__in=FINISHED_STATUSES)
    colour = data.get("colour")
    if colour == "none":
        qs = qs.filter(Q(grade__isnull=True) | Q(grade__colour__isnull=True))
    elif colour:
        qs = qs.filter(grade__colour=colour)
    if data.get("field"):
        qs = qs.filter(screening__field=data["field"])
    if data.get("area"):
        qs = qs.filter(area_id__in=data["area"].descendant_ids())
    if data.get("tourism") == "yes":
        qs = qs.filter(screening__tourism=True)
    elif data.get("tourism") == "no":
        qs = qs.exclude(screening__tourism=True)
    qs = search_text(qs, data.get("q"))
    return received_between(qs, data.get("date_from"), data.get("date_to"))


def ordered(qs):
    """Red first, then by time left: the colour's response deadline, then the order's deadline."""
    return qs.annotate(colour_rank=colour_rank()).order_by(
        "colour_rank", F("grade__due_by").asc(nulls_last=True), F("due_at").asc(nulls_last=True),
        "-received_at", "-id")


@login_required
@permission_required("grading.view_cluegrade", raise_exception=True)
def queue(request):
    form = ClueFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    qs = ordered(apply_filters(clue_orders(request.user), data))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "querystring": params.urlencode(), "now": timezone.now(),
               "levels": {lv.code: lv for lv in ColourLevel.objects.all()}}
    template = "grading/_queue_table.html" if request.htmx and request.htmx.target == "clue-table" \
        else "grading/queue.html"
    return render(request, template, context)


def _order(request, pk):
    qs = WorkOrder.objects.select_related("area", "lead_department")
    return scope.get_visible_or_404(request.user, qs, request=request, pk=pk)


@login_required
@permission_required("grading.view_cluegrade", raise_exception=True)
def detail(request, pk):
    order = _order(request, pk)
    screening = getattr(order, "screening", None)  # None when not screened (the accessor raises AttributeError)
    return render(request, "grading/detail.html", {"order": order, "screening": screening})


@login_required
@require_POST
def downgrade(request, pk):
    if not request.user.has_perm("grading.change_cluegrade"):
        raise PermissionDenied("无权调整线索颜色")
    order = _order(request, pk)
    grade = getattr(order, "grade", None)
    form = DowngradeForm(request.POST, current=grade.colour if grade else None)
    error = None
    if form.is_valid():
        to = form.cleaned_data["to_colour"]
        try:
            services.downgrade(order, None if to == "none" else to, form.cleaned_data["reason"], request.user,
                               request=request)
        except services.GradingError as exc:
            error = str(exc)
    else:
        error = "；".join(e for errs in form.errors.values() for e in errs)
    if request.htmx:
        context = panel_context(request, order, form=form if error else None, error=error)
        return render(request, "grading/_grade_panel.html", context, status=200 if not error else 422)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "已调整线索颜色，调整记录已留存。")
    return redirect("orders:detail", pk=order.pk)


@login_required
@permission_required("grading.view_calendarevent", raise_exception=True)
def events(request):
    form = CalendarEventForm()
    if request.method == "POST":
        if not request.user.has_perm("grading.add_calendarevent"):
            raise PermissionDenied("无权录入事件")
        form = CalendarEventForm(request.POST)
        if form.is_valid():
            event = form.save(commit=False)
            event.entered_by = request.user
            event.save()
            form.save_m2m()
            ids = services.orders_affected_by_event(event)
            stats = services.grade_orders(ids) if ids else {"raised": 0, "graded": 0}
            messages.success(request, f"已录入“{event.title}”，重新研判{len(ids)}件工单"
                                      f"（升级{stats['raised']}件，新定色{stats['graded']}件）。")
            return redirect("grading:events")
    items = CalendarEvent.objects.select_related("entered_by").prefetch_related("areas")[:200]
    return render(request, "grading/events.html", {"form": form, "events": items,
                                                   "can_add": request.user.has_perm("grading.add_calendarevent")})
