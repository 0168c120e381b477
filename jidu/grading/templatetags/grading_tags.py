from django import template
from django.utils import timezone

from jidu.grading.forms import DowngradeForm
from jidu.grading.models import ColourLevel

register = template.Library()


def panel_context(request, order, form=None, error=None):
    from jidu.grading.models import ClueGrade

    user = request.user
    grade = ClueGrade.objects.select_related("policy").filter(order=order).first()
    levels = {lv.code: lv for lv in ColourLevel.objects.all()}
    can_downgrade = bool(grade and grade.colour and user.has_perm("grading.change_cluegrade"))
    return {
        "order": order,
        "grade": grade,
        "level": levels.get(grade.colour) if grade and grade.colour else None,
        "changes": order.grade_changes.select_related("by")[:20],
        "can_downgrade": can_downgrade,
        "form": form or (DowngradeForm(current=grade.colour) if can_downgrade else None),
        "error": error,
        "now": timezone.now(),
        "request": request,
    }


@register.inclusion_tag("grading/_grade_panel.html", takes_context=True)
def grade_panel(context, order=None):
    request = context.get("request")
    order = order or context.get("order")
    if request is None or order is None or not request.user.has_perm("grading.view_cluegrade"):
        return {"hidden": True}
    data = panel_context(request, order)
    data["csrf_token"] = context.get("csrf_token")
    return data


@register.filter
def time_left(deadline, now=None):
    """剩余时间 in Chinese: "剩余 3小时20分" / "已超时 2小时"."""
    if not deadline:
        return ""
    now = now or timezone.now()
    delta = deadline - now
    seconds = abs(int(delta.total_seconds()))
    days, rem = divmod(seconds, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if days:
        text = f"{days}天{hours}小时"
    elif hours:
        text = f"{hours}小时{minutes}分"
    else:
        text = f"{minutes}分钟"
    return f"剩余{text}" if delta.total_seconds() >= 0 else f"已超时{text}"


@register.simple_tag
def colour_badge(colour, levels=None):
    from django.utils.html import format_html

    from jidu.grading.models import Colour

    if not colour:
        from django.utils.safestring import mark_safe

        return mark_safe('<span class="clue-badge clue-none" title="未定色">—</span>')
    level = (levels or {}).get(colour)
    name = level.name if level else dict(Colour.choices).get(colour, colour)
    badge = level.badge if level else {"red": "#d93025", "orange": "#f08c00", "yellow": "#f2c200"}.get(colour, "#999")
    return format_html('<span class="clue-badge clue-{}" style="background:{}" title="{}色">{}</span>',
                       colour, badge, name, name)
